"""Write a software entry and its claims as a DOAP file (XEP-0453, RDF/XML).

The file says what the dashboard counts: for each spec, the claim that counts
(suites.statuses.counted: the self-assessed one over the DOAP one). It carries what the entry
holds and DOAP can say: name (the slug when nothing of it can be written), shortdesc (the
description), homepage (when http(s), as the importer reads it), one os per platform, the role as
a category, the current version as a release, and every XEP claim as an xmpp:SupportedXep with
its status, version, since and note, each only when set (a blank status is left out, and the
file's reader then reports it missing, as it would in the vendor's own file).

Not exported, because DOAP has no place for them: a claim's evidence URL and "provided by", the
entry's terminal and background flags (the importer derives the latter from an os naming iOS).
Nor what the dashboard never stores (license, repository, maintainers, translations): the file
is the entry's data, not a copy of the project's own DOAP file.

RFCs: DOAP names one only by a bare doap:implements, which the importer reads as "complete".
So an RFC is exported only when its counting claim is complete; an RFC claim with any other
status (partial, planned, ...) cannot be said in DOAP and is left out rather than overstated.

Every text is the vendor's: the tree is built with ElementTree, which escapes it, and the
characters XML 1.0 forbids (most C0 controls, lone surrogates, U+FFFE, U+FFFF) are dropped,
since ElementTree would write them as they are and no parser would read the file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from compliance.doap.parse import MAX_URL
from compliance.doap.vocabulary import CATEGORY_PREFIX, DOAP_NS, RDF_NS, ROLE_CATEGORIES, XMPP_NS
from compliance.models import Claim, Software
from suites.catalogue import SPEC_ID
from suites.engine import COMPLETE, support_of
from suites.specs import spec_sort_key, spec_url
from suites.statuses import counted

ET.register_namespace("rdf", RDF_NS)
ET.register_namespace("xmpp", XMPP_NS)

NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
ROLE_CATEGORY = {role: name for name, role in ROLE_CATEGORIES.items()}
RFC_INFO = "https://www.rfc-editor.org/info/rfc{number}"


def xml_text(value: str) -> str:
    """The value without the characters XML 1.0 forbids."""
    return NOT_XML_CHAR.sub("", value)


def _add(parent: ET.Element, namespace: str, name: str, resource: str = "") -> ET.Element:
    element = ET.SubElement(parent, f"{{{namespace}}}{name}")
    if resource:
        element.set(f"{{{RDF_NS}}}resource", xml_text(resource))
    return element


def _add_text(parent: ET.Element, namespace: str, name: str, text: str) -> None:
    """An element holding the text, unless nothing of it is left to say."""
    text = xml_text(text)
    if text.strip():
        _add(parent, namespace, name).text = text


def counting_claims(claims: Iterable[Claim]) -> list[Claim]:
    """The claim that counts for each spec, RFCs first, then XEPs, by number."""
    claims = list(claims)
    chosen = counted([(claim.spec, claim.status, claim.source) for claim in claims])
    return sorted((claims[index] for index in chosen.values()), key=lambda c: spec_sort_key(c.spec))


def _implements(project: ET.Element, claim: Claim) -> None:
    if not SPEC_ID.match(claim.spec):
        return  # not a spec id: nothing a DOAP reader could name
    if claim.spec.startswith("RFC "):
        if support_of(claim.status) == COMPLETE:
            number = claim.spec.removeprefix("RFC ")
            _add(project, DOAP_NS, "implements", RFC_INFO.format(number=number))
        return
    supported = _add(_add(project, DOAP_NS, "implements"), XMPP_NS, "SupportedXep")
    _add(supported, XMPP_NS, "xep", spec_url(claim.spec))
    values = [
        ("status", claim.status),
        ("version", claim.spec_version),
        ("since", claim.since_version),
        ("note", claim.note),
    ]
    for name, value in values:
        _add_text(supported, XMPP_NS, name, value)


def _is_web_address(url: str) -> bool:
    """What the importer accepts as a homepage: an http(s) address of at most MAX_URL."""
    return url.lower().startswith(("http://", "https://")) and len(url) <= MAX_URL


def export_doap(software: Software, claims: Iterable[Claim]) -> bytes:
    """The DOAP file of an entry and its claims, UTF-8 encoded."""
    root = ET.Element(f"{{{RDF_NS}}}RDF")
    project = _add(root, DOAP_NS, "Project")
    # A DOAP file must name its project: the slug, if nothing of the name can be written.
    name = software.name if xml_text(software.name).strip() else software.slug
    _add_text(project, DOAP_NS, "name", name)
    _add_text(project, DOAP_NS, "shortdesc", software.description)
    if _is_web_address(software.homepage):
        _add(project, DOAP_NS, "homepage", software.homepage)
    for platform in software.platforms:
        _add_text(project, DOAP_NS, "os", platform)
    if software.role in ROLE_CATEGORY:
        _add(project, DOAP_NS, "category", CATEGORY_PREFIX + ROLE_CATEGORY[software.role])
    if software.current_version:
        version = _add(_add(project, DOAP_NS, "release"), DOAP_NS, "Version")
        _add_text(version, DOAP_NS, "revision", software.current_version)
    for claim in counting_claims(claims):
        _implements(project, claim)
    ET.indent(root)
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True, default_namespace=DOAP_NS)
    return xml + b"\n"
