"""Read a DOAP file (XEP-0453, RDF/XML) into plain data, with lint findings for its author.

Parsing is safe: defusedxml refuses entity declarations (XML bombs) and external references,
and input over the size cap is refused before parsing. Reading is namespace-tolerant where real
files go wrong (an https rdf namespace, misspelled properties): what can be read is read, and
every deviation becomes a finding. A file that cannot be read at all raises DoapError.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from compliance.doap.vocabulary import (
    CATEGORY_PREFIX,
    DOAP_NS,
    DOAP_PROPERTIES,
    KNOWN_CATEGORIES,
    RDF_NS,
    ROLE_CATEGORIES,
    STATUSES,
    SUPPORTED_XEP_PROPERTIES,
    XML_LANG,
    XMPP_NS,
    closest,
    suggest_status,
)
from compliance.platforms import keys_of
from suites.specs import rfc_from_iri, xep_from_iri
from suites.versions import version_key

MAX_BYTES = 10 * 1024 * 1024
MAX_URL = 500
MAX_FINDINGS = 200  # then one finding saying how many more there were
MAX_SHOWN = 100  # characters of a value quoted in a message
# Free text is cut to these lengths: a description is a line, not a document.
MAX_TEXT = {"name": 200, "shortdesc": 1000, "note": 2000, "platform": 100}
MAX_PLATFORMS = 50
MAX_RELEASES = 1000
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def shown(value: str) -> str:
    """A value quoted in a message, cut to MAX_SHOWN characters."""
    return repr(value if len(value) <= MAX_SHOWN else value[:MAX_SHOWN] + "…")


# schema.org, as XEP-0453 writes it and as files also write it.
SCHEMA_NAMESPACES = ("https://schema.org/", "http://schema.org/")


class DoapError(ValueError):
    """The file cannot be read as a DOAP file; the message says why, for a person, and
    `findings` holds what the lint found before reading stopped (often nothing)."""

    def __init__(self, message: str, findings: Iterable[Finding] = ()) -> None:
        super().__init__(message)
        self.findings = list(findings)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str  # "warning": costs the software something; "info": worth fixing
    message: str
    line: int | None = None
    suggestion: str = ""

    def as_dict(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value not in (None, "")}

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        hint = f" (did you mean {self.suggestion!r}?)" if self.suggestion else ""
        return f"{self.severity}: {where}{self.message}{hint}"


@dataclass(frozen=True)
class XepEntry:
    spec: str
    status: str
    version: str = ""
    since: str = ""
    note: str = ""


@dataclass
class DoapDocument:
    name: str
    shortdesc: str = ""
    homepage: str = ""
    logo: str = ""  # schema:logo, an http(s) URL
    platforms: list[str] = field(default_factory=list)
    role: str | None = None
    xeps: list[XepEntry] = field(default_factory=list)
    rfcs: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    releases: list[tuple[str, str]] = field(default_factory=list)  # (revision, created date)

    @property
    def current_version(self) -> str:
        """The newest release's revision: the latest created date, the highest version among
        releases of the same date or without one; '' without releases."""
        return self._newest_release[0]

    @property
    def current_release_date(self) -> str:
        """The newest release's created date (YYYY-MM-DD), or ''."""
        return self._newest_release[1]

    @property
    def _newest_release(self) -> tuple[str, str]:
        if not self.releases:
            return ("", "")
        return max(self.releases, key=lambda r: (r[1], version_key(r[0])))

    @property
    def background_restricted(self) -> bool:
        """An os naming iOS: a platform that disallows long-lasting background connections."""
        return "ios" in keys_of(self.platforms)


class _LineTreeBuilder(ET.TreeBuilder):
    """A TreeBuilder that remembers the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: DefusedXMLParser | None = None
        self.lines: dict[int, int] = {}

    def start(self, tag, attrs):
        element = super().start(tag, attrs)
        self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _is_http_url(iri: str) -> bool:
    try:
        parts = urlsplit(iri)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an unclosed IPv6 literal
        return False


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


class _Reader:
    def __init__(self, root: ET.Element, lines: dict[int, int]) -> None:
        self.root = root
        self.lines = lines
        self.findings: list[Finding] = []
        self.more_findings = 0
        self.rdf_ns = RDF_NS
        self.seen_xeps: set[str] = set()

    def line(self, element: ET.Element) -> int | None:
        return self.lines.get(id(element))

    def find(self, code, severity, message, element=None, suggestion=""):
        if len(self.findings) >= MAX_FINDINGS:
            self.more_findings += 1
            return
        line = self.line(element) if element is not None else None
        self.findings.append(Finding(code, severity, message, line, suggestion))

    def all_findings(self) -> list[Finding]:
        if not self.more_findings:
            return self.findings
        more = f"{self.more_findings} more findings are not listed; fix the ones above first."
        return [*self.findings, Finding("more-findings", "info", more)]

    def resource(self, element: ET.Element) -> str:
        return (element.get(f"{{{self.rdf_ns}}}resource") or "").strip()

    def lang_of(self, element: ET.Element, inherited: str) -> str:
        return element.get(XML_LANG, inherited)

    # -- the document -------------------------------------------------------------------------

    def project(self) -> ET.Element:
        namespace, local = _split(self.root.tag)
        if local == "Project":
            return self._checked_project(self.root)
        if local != "RDF":
            raise DoapError(
                f"This is not a DOAP file: its root element is <{local[:MAX_SHOWN]}>"
                f"{f' in namespace {shown(namespace)}' if namespace else ''}, "
                "expected <rdf:RDF> holding a <Project> (XEP-0453)."
            )
        if namespace != RDF_NS:
            self.rdf_ns = namespace
            self.find(
                "wrong-rdf-namespace",
                "warning",
                f"The rdf namespace is {shown(namespace)}; it must be {RDF_NS!r} (http, not "
                "https). Consumers that follow RDF ignore every rdf:resource in this file.",
                self.root,
                RDF_NS,
            )
        projects = [child for child in self.root if _split(child.tag)[1] == "Project"]
        if not projects:
            raise DoapError(
                "This is not a DOAP file: <rdf:RDF> holds no <Project> element "
                f"(namespace {DOAP_NS})."
            )
        if len(projects) > 1:
            self.find(
                "several-projects",
                "info",
                f"The file describes {len(projects)} projects; only the first is read.",
                projects[1],
            )
        return self._checked_project(projects[0])

    def _checked_project(self, project: ET.Element) -> ET.Element:
        namespace = _split(project.tag)[0]
        if namespace != DOAP_NS:
            if "usefulinc.com/ns/doap" not in namespace:
                raise DoapError(
                    f"This is not a DOAP file: its <Project> is in namespace {shown(namespace)}, "
                    f"not {DOAP_NS!r}."
                )
            self.find(
                "wrong-doap-namespace",
                "warning",
                f"The DOAP namespace is {shown(namespace)}; it must be {DOAP_NS!r}.",
                project,
                DOAP_NS,
            )
        return project

    def read(self) -> DoapDocument:
        project = self.project()
        doap_ns = _split(project.tag)[0]
        inherited_lang = self.lang_of(project, self.root.get(XML_LANG, ""))
        by_name: dict[str, list[ET.Element]] = {}
        for child in project:
            namespace, local = _split(child.tag)
            if namespace == doap_ns:
                if local in DOAP_PROPERTIES:
                    by_name.setdefault(local, []).append(child)
                else:
                    self._unknown_property(child, local, "DOAP", DOAP_PROPERTIES)
            elif namespace in SCHEMA_NAMESPACES and local == "logo":
                by_name.setdefault("schema:logo", []).append(child)
            elif namespace == "":
                self.find(
                    "no-namespace",
                    "warning",
                    f"<{local[:MAX_SHOWN]}> has no namespace, so it is not a DOAP property.",
                    child,
                )

        names = [_text(e) for e in by_name.get("name", []) if _text(e)]
        if not names:
            raise DoapError("The <Project> has no <name>: a DOAP file must name its project.")
        platforms = [_text(e)[: MAX_TEXT["platform"]] for e in by_name.get("os", [])]
        document = DoapDocument(
            name=names[0][: MAX_TEXT["name"]],
            shortdesc=self._preferred_text(by_name.get("shortdesc", []), inherited_lang)[
                : MAX_TEXT["shortdesc"]
            ],
            homepage=self._homepage(by_name.get("homepage", [])),
            platforms=[name for name in platforms if name][:MAX_PLATFORMS],
        )
        document.logo = self._logo(by_name.get("schema:logo", []))
        self._categories(document, by_name.get("category", []))
        document.releases = self._releases(by_name.get("release", []), doap_ns)
        for element in by_name.get("implements", []):
            self._implements(document, element, inherited_lang)
        document.findings = self.all_findings()
        return document

    def _releases(self, elements: list[ET.Element], doap_ns: str) -> list[tuple[str, str]]:
        """(revision, created) of every <release><Version>; a created date is kept only in
        the ISO form (YYYY-MM-DD…) that sorts."""
        releases = []
        for version in (v for e in elements for v in e if _split(v.tag) == (doap_ns, "Version")):
            fields = {_split(child.tag)[1]: _text(child) for child in version}
            revision = fields.get("revision", "")[:64]
            created = fields.get("created", "")[:10]
            if revision:
                releases.append((revision, created if ISO_DATE.fullmatch(created) else ""))
        return releases[:MAX_RELEASES]

    def _logo(self, elements: list[ET.Element]) -> str:
        """The first schema:logo that is an http(s) address."""
        for element in elements:
            iri = self.resource(element)
            if iri and _is_http_url(iri) and len(iri) <= MAX_URL:
                return iri
        return ""

    def _homepage(self, elements: list[ET.Element]) -> str:
        """The first homepage that is an http(s) address (others would be links that run code
        or go nowhere)."""
        for element in elements:
            iri = self.resource(element)
            if iri and _is_http_url(iri) and len(iri) <= MAX_URL:
                return iri
            if iri:
                self.find(
                    "bad-homepage",
                    "warning",
                    f"The homepage {shown(iri)} is not an http(s) address of at most "
                    f"{MAX_URL} characters; it is ignored.",
                    element,
                )
        return ""

    def _unknown_property(self, element, local, vocabulary, known) -> None:
        if len(self.findings) >= MAX_FINDINGS:
            self.more_findings += 1  # not worth a suggestion that will not be shown
            return
        suggestion = closest(local, known)
        message = f"<{local[:MAX_SHOWN]}> is not a {vocabulary} property and is ignored."
        if suggestion:
            self.find("misspelled-property", "warning", message, element, suggestion)
        else:
            self.find("unknown-property", "info", message, element)

    def _preferred_text(self, elements: list[ET.Element], inherited_lang: str) -> str:
        """The English (or language-less) text among translations, else the first."""
        texts = [(self.lang_of(e, inherited_lang), _text(e)) for e in elements if _text(e)]
        for lang, text in texts:
            if lang in ("", "en") or lang.startswith("en-"):
                return text
        return texts[0][1] if texts else ""

    def _categories(self, document: DoapDocument, elements: list[ET.Element]) -> None:
        roles = []
        for element in elements:
            iri = self.resource(element)
            name = iri[len(CATEGORY_PREFIX) :] if iri.startswith(CATEGORY_PREFIX) else ""
            if name in ROLE_CATEGORIES:
                roles.append(ROLE_CATEGORIES[name])
            elif name not in KNOWN_CATEGORIES:
                self.find(
                    "unknown-category",
                    "info",
                    f"The category {shown(iri)} is not one of the XMPP DOAP categories "
                    f"({CATEGORY_PREFIX}server, -client, -library, ...).",
                    element,
                )
        if len(set(roles)) == 1:
            document.role = roles[0]
        elif roles:
            self.find(
                "ambiguous-role",
                "info",
                f"The categories name several roles ({', '.join(sorted(set(roles)))}).",
            )
        else:
            self.find(
                "missing-role",
                "info",
                "No category says whether this is a server, a client or a library "
                f"(e.g. {CATEGORY_PREFIX}client).",
            )

    def _implements(self, document: DoapDocument, element: ET.Element, lang: str) -> None:
        iri = self.resource(element)
        if iri:
            rfc = rfc_from_iri(iri)
            if rfc:
                if rfc in document.rfcs:
                    self.find("duplicate-spec", "info", f"{rfc} is listed twice.", element)
                else:
                    document.rfcs.append(rfc)
            elif xep_from_iri(iri) and "xmpp.org/extensions" in iri:
                self.find(
                    "bare-xep",
                    "warning",
                    f"{xep_from_iri(iri)} is named by a bare IRI without a status; use "
                    "<xmpp:SupportedXep> with <xmpp:status> so that it can count.",
                    element,
                )
            else:
                self.find(
                    "unrecognised-implements",
                    "info",
                    f"{shown(iri)} is neither an RFC nor a XEP and is not read.",
                    element,
                )
            return
        for child in element:
            namespace, local = _split(child.tag)
            if local == "SupportedXep":
                if namespace != XMPP_NS:
                    self.find(
                        "wrong-xmpp-namespace",
                        "warning",
                        f"SupportedXep is in namespace {shown(namespace)}; it must be {XMPP_NS!r}.",
                        child,
                        XMPP_NS,
                    )
                self._supported_xep(document, child, namespace, self.lang_of(element, lang))
            else:
                self.find(
                    "unrecognised-implements",
                    "info",
                    f"<{local[:MAX_SHOWN]}> inside <implements> is not read.",
                    child,
                )

    def _supported_xep(self, document, element, namespace, lang) -> None:
        values: dict[str, list[ET.Element]] = {}
        for child in element:
            child_ns, local = _split(child.tag)
            if child_ns == namespace and local in SUPPORTED_XEP_PROPERTIES:
                values.setdefault(local, []).append(child)
            else:
                self._unknown_property(child, local, "xmpp:SupportedXep", SUPPORTED_XEP_PROPERTIES)
        iri = self.resource(values["xep"][0]) if "xep" in values else ""
        spec = xep_from_iri(iri) if iri else None
        if not spec:
            self.find(
                "missing-xep",
                "warning",
                'A SupportedXep has no <xmpp:xep rdf:resource="https://xmpp.org/'
                'extensions/xep-NNNN.html"/>; it is skipped.',
                element,
            )
            return
        if spec in self.seen_xeps:
            self.find(
                "duplicate-spec", "info", f"{spec} is listed twice; the first counts.", element
            )
            return
        self.seen_xeps.add(spec)
        status = _text(values["status"][0]) if "status" in values else ""
        self._check_status(spec, status, element)
        first = {key: _text(found[0]) for key, found in values.items() if key != "note"}
        document.xeps.append(
            XepEntry(
                spec=spec,
                status=status,
                version=first.get("version", ""),
                since=first.get("since", ""),
                note=self._preferred_text(values.get("note", []), lang)[: MAX_TEXT["note"]],
            )
        )

    def _check_status(self, spec: str, status: str, element: ET.Element) -> None:
        if not status:
            self.find(
                "missing-status",
                "warning",
                f"{spec} has no <xmpp:status>, so it does not count as supported; state the "
                f"status it has, one of {', '.join(STATUSES)}.",
                element,
            )
        elif status.lower() not in STATUSES:
            self.find(
                "unknown-status",
                "warning",
                f"{spec} has status {shown(status)}, which is not one of {', '.join(STATUSES)}; "
                "it does not count as supported.",
                element,
                suggest_status(status),
            )
        elif status not in STATUSES:
            self.find(
                "status-case",
                "info",
                f"{spec} has status {shown(status)}; write it in lower case.",
                element,
                status.lower(),
            )


def parse_doap(data: bytes) -> DoapDocument:
    """Read a DOAP file. Raises DoapError, with a message for a person, when it cannot."""
    if len(data) > MAX_BYTES:
        raise DoapError(
            f"The file is {len(data) / 1048576:.1f} MiB; DOAP files are limited to "
            f"{MAX_BYTES // 1048576} MiB."
        )
    if not data.strip():
        raise DoapError("The file is empty.")
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as exc:
        raise DoapError(
            "The file declares XML entities or external references, which are refused "
            f"(protection against entity expansion attacks): {exc}"
        ) from exc
    except ET.ParseError as exc:
        line, column = exc.position
        raise DoapError(
            f"The file is not well-formed XML (line {line}, column {column}): {exc.msg}"
        ) from exc
    reader = _Reader(root, builder.lines)
    try:
        return reader.read()
    except DoapError as exc:
        exc.findings = reader.all_findings()
        raise
