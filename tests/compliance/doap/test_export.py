"""The DOAP export: /software/<slug>.doap, and import → export → import keeping every claim."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from compliance.claims import ClaimValues, write_claims
from compliance.doap.export import export_doap, xml_text
from compliance.doap.importer import import_doap, import_document
from compliance.doap.parse import parse_doap
from compliance.doap.vocabulary import DOAP_NS, RDF_NS, STATUSES, XMPP_NS
from compliance.models import Claim, Software
from tests.compliance.factories import TEST, make_software
from tests.conftest import DOAP_DIR

CLAIM_FIELDS = ("spec", "source", "status", "spec_version", "since_version", "note")
ENTRY_FIELDS = ("name", "description", "homepage", "platforms", "role", "current_version")
REAL_FILES = sorted(path.name for path in DOAP_DIR.glob("*.doap")) or ["prosody.doap"]
RESOURCE = f"{{{RDF_NS}}}resource"


def claims_of(software: Software) -> set[tuple[str, ...]]:
    return set(software.claims.values_list(*CLAIM_FIELDS))


def entry_of(software: Software) -> dict:
    return {name: getattr(software, name) for name in ENTRY_FIELDS}


def exported(software: Software) -> bytes:
    return export_doap(software, software.claims.all())


def claim(spec, status="complete", source=Claim.DOAP, **values) -> ClaimValues:
    return ClaimValues(spec=spec, source=source, status=status, **values)


def entry_with(*claims: ClaimValues, name="Exported", **fields) -> Software:
    software = make_software(name, **fields)
    write_claims(software, actor=TEST, put=list(claims))
    return software


@pytest.mark.parametrize("name", REAL_FILES)
def test_it_round_trips_every_real_file(doap_dir, db, name):
    path = doap_dir / name
    role = None if parse_doap(path.read_bytes()).role else "client"
    original = import_doap(str(path), role=role).software
    document = parse_doap(exported(original))
    copy = import_document(document, source_file=f"/exported/{name}").software
    assert copy.pk != original.pk
    assert entry_of(copy) == entry_of(original)
    assert copy.background_restricted == original.background_restricted
    assert claims_of(copy) == claims_of(original)
    assert copy.statuses == original.statuses
    # The only warnings are the vendor's own statuses, carried as they are (Openfire's missing
    # ones, "full", "parial"): nothing the export itself wrote.
    warnings = [finding for finding in document.findings if finding.severity == "warning"]
    assert {finding.code for finding in warnings} <= {"missing-status", "unknown-status"}
    xep_statuses = original.claims.filter(spec__startswith="XEP").values_list("status", flat=True)
    assert len(warnings) == len([s for s in xep_statuses if s.lower() not in STATUSES])


def test_a_file_in_the_vocabulary_exports_without_findings(db):
    software = entry_with(claim("XEP-0030"), claim("RFC 6120"), current_version="1.0")
    assert parse_doap(exported(software)).findings == []


def test_it_writes_the_xep_0453_structure_and_namespaces(db):
    software = entry_with(
        claim("XEP-0030", "partial", spec_version="2.5", since_version="0.1", note="No items."),
        claim("XEP-0045"),
        name="Structured",
        role="library",
        homepage="https://example.org/",
        platforms=["Linux", "iOS"],
        description="A library",
        current_version="2.0",
    )
    body = exported(software)
    assert body.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<rdf:RDF ")
    for declaration in (f'xmlns:rdf="{RDF_NS}"', f'xmlns="{DOAP_NS}"', f'xmlns:xmpp="{XMPP_NS}"'):
        assert declaration.encode() in body
    root = ET.fromstring(body)
    assert root.tag == f"{{{RDF_NS}}}RDF"
    (project,) = root
    assert project.tag == f"{{{DOAP_NS}}}Project"

    def texts(path):
        return [e.text for e in project.findall(path, {"": DOAP_NS, "xmpp": XMPP_NS})]

    assert texts("name") == ["Structured"]
    assert texts("shortdesc") == ["A library"]
    assert texts("os") == ["Linux", "iOS"]
    assert texts("release/Version/revision") == ["2.0"]
    assert project.find(f"{{{DOAP_NS}}}homepage").get(RESOURCE) == "https://example.org/"
    category = project.find(f"{{{DOAP_NS}}}category").get(RESOURCE)
    assert category == XMPP_NS + "category-library"
    xeps = project.findall("implements/xmpp:SupportedXep", {"": DOAP_NS, "xmpp": XMPP_NS})
    assert [x.find(f"{{{XMPP_NS}}}xep").get(RESOURCE) for x in xeps] == [
        "https://xmpp.org/extensions/xep-0030.html",
        "https://xmpp.org/extensions/xep-0045.html",
    ]
    assert [(child.tag.split("}")[1], child.text) for child in xeps[0]][1:] == [
        ("status", "partial"),
        ("version", "2.5"),
        ("since", "0.1"),
        ("note", "No items."),
    ]
    assert len(xeps[1]) == 2  # xep and status: what is not set is not written


def test_it_exports_the_claim_that_counts(db):
    software = entry_with(
        claim("XEP-0030", "complete", spec_version="2.5"),
        claim("XEP-0030", "partial", source=Claim.SELF, note="Only the basics."),
        claim("XEP-0045", "planned", source=Claim.SELF),
        claim("XEP-0115", "complete"),
    )
    document = parse_doap(exported(software))
    assert [(x.spec, x.status, x.version, x.note) for x in document.xeps] == [
        ("XEP-0030", "partial", "", "Only the basics."),
        ("XEP-0045", "planned", "", ""),
        ("XEP-0115", "complete", "", ""),
    ]


def test_rfcs_are_exported_only_when_the_counting_claim_is_complete(db):
    software = entry_with(
        claim("RFC 6120"),
        claim("RFC 6121", "partial", source=Claim.SELF),
        claim("RFC 7590", " Complete ", source=Claim.SELF),
        claim("RFC 7395"),
        claim("RFC 7395", "planned", source=Claim.SELF),
    )
    body = exported(software)
    assert b'<implements rdf:resource="https://www.rfc-editor.org/info/rfc6120" />' in body
    assert parse_doap(body).rfcs == ["RFC 6120", "RFC 7590"]


def test_what_vendors_entered_is_escaped(db):
    hostile = "<script>alert(1)</script> & \"quotes\" 'too' ]]> &amp;"
    software = entry_with(
        claim("XEP-0030", hostile, spec_version=hostile[:32], since_version=hostile, note=hostile),
        name=hostile,
        slug="hostile",
        description=hostile,
        homepage='https://example.org/?q="<x>"&y=1',
        platforms=[hostile],
        current_version=hostile[:64],
    )
    body = exported(software)
    assert b"<script>" not in body
    document = parse_doap(body)
    assert (document.name, document.shortdesc, document.platforms) == (hostile, hostile, [hostile])
    assert document.homepage == 'https://example.org/?q="<x>"&y=1'
    assert document.current_version == hostile[:64]
    (xep,) = document.xeps
    assert (xep.status, xep.version, xep.since, xep.note) == (
        hostile,
        hostile[:32],
        hostile,
        hostile,
    )


FORBIDDEN = "\x00\x01\x08\x0b\x0c\x1b\ud800\udfff\ufffe\uffff"  # XML 1.0 has no such Char


def test_characters_xml_forbids_are_dropped():
    assert (
        xml_text(f"a{FORBIDDEN}b\tc\nd\r\x7f\u00e9\U0001f600") == "ab\tc\nd\r\x7f\u00e9\U0001f600"
    )
    software = Software(
        name=f"Bad{FORBIDDEN}Name",
        slug="bad",
        role="client",
        description="one\x00two",
        platforms=["Linux\x1b", FORBIDDEN],
        current_version="1.0\x01",
    )
    claims = [Claim(spec="XEP-0030", status="complete\x0c", note=f"n{FORBIDDEN}", source="doap")]
    document = parse_doap(export_doap(software, claims))  # well-formed, or this raises
    assert (document.name, document.shortdesc) == ("BadName", "onetwo")
    assert document.platforms == ["Linux"]  # an os with nothing left is not written
    assert document.current_version == "1.0"
    assert document.xeps[0].status == "complete"
    assert document.xeps[0].note == "n"


def test_a_name_with_nothing_left_is_the_slug():
    software = Software(name="\x01\x02", slug="nameless", role="server")
    assert parse_doap(export_doap(software, [])).name == "nameless"


def test_the_download_is_an_rdf_attachment(client, db):
    software = entry_with(claim("XEP-0030"), name="Downloaded")
    response = client.get("/software/downloaded.doap")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rdf+xml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="downloaded.doap"'
    assert response.content == exported(software)
    assert client.head("/software/downloaded.doap").status_code == 200
    assert client.post("/software/downloaded.doap").status_code == 405


def test_an_unknown_slug_is_a_404(client, db):
    assert client.get("/software/nothing-here.doap").status_code == 404


def test_the_slug_does_not_swallow_the_extension(client, db):
    make_software("Dotted")
    assert reverse("software-doap", args=["dotted"]) == "/software/dotted.doap"
    match = resolve("/software/dotted.doap")
    assert (match.url_name, match.kwargs) == ("software-doap", {"slug": "dotted"})
    assert resolve("/software/dotted/").url_name == "software-detail"
    assert client.get("/software/dotted.doap/").status_code == 404
    assert client.get("/software/dotted.doap.doap").status_code == 404


def test_the_software_page_links_the_download(client, db):
    make_software("Linked")
    page = client.get("/software/linked/").content.decode()
    assert '<a href="/software/linked.doap" download>Download as DOAP</a>' in page


def test_queries_do_not_grow_with_claims(client, db):
    def count(slug):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/software/{slug}.doap").status_code == 200
        return len(queries)

    make_software("Few", specs=[f"XEP-{n:04d}" for n in range(1, 6)])
    make_software("Many", specs=[f"XEP-{n:04d}" for n in range(1, 101)])
    assert count("many") == count("few")
