"""Reading DOAP files: the real ones from ../shared/doap/, hand-made defects, hostile input."""

import pytest

from compliance.doap.parse import MAX_BYTES, DoapError, parse_doap
from compliance.doap.vocabulary import suggest_status
from tests.compliance.doap.files import BOMB, HEAD, doap, xep


def codes(document) -> list[str]:
    return [finding.code for finding in document.findings]


def test_it_reads_every_real_file(doap_dir):
    files = sorted(doap_dir.glob("*.doap"))
    assert len(files) == 13
    for path in files:
        document = parse_doap(path.read_bytes())
        assert document.name, path


def test_it_reads_prosody(doap_dir):
    document = parse_doap((doap_dir / "prosody.doap").read_bytes())
    assert document.name == "Prosody IM"
    assert document.shortdesc == "Lightweight XMPP server"
    assert document.homepage == "https://prosody.im/"
    assert document.role == "server"
    assert document.platforms == ["Linux", "macOS", "FreeBSD", "OpenBSD", "NetBSD"]
    assert "RFC 6120" in document.rfcs
    mam = next(entry for entry in document.xeps if entry.spec == "XEP-0313")
    assert mam.status == "complete"
    first = document.xeps[0]
    assert (first.spec, first.status, first.version, first.since) == (
        "XEP-0004",
        "partial",
        "2.13.1",
        "0.4.0",
    )
    assert first.note == "no support for multiple items (reported tag)"
    misspelled = [f for f in document.findings if f.code == "misspelled-property"]
    assert misspelled[0].suggestion == "programming-language"
    assert misspelled[0].line == 23


def test_it_reads_rfcs_in_every_common_form():
    body = b"<name>X</name>" + b"".join(
        f'<implements rdf:resource="{iri}"/>'.encode()
        for iri in (
            "https://xmpp.org/rfcs/rfc6120.html",
            "https://www.rfc-editor.org/info/rfc6121",
            "https://datatracker.ietf.org/doc/html/rfc7590",
            "https://tools.ietf.org/html/rfc7395",
            "https://www.rfc-editor.org/rfc/rfc7622.html",
            "https://datatracker.ietf.org/doc/draft-ietf-kitten-sasl-ht/",
        )
    )
    document = parse_doap(doap(body))
    assert document.rfcs == ["RFC 6120", "RFC 6121", "RFC 7590", "RFC 7395", "RFC 7622"]
    assert codes(document).count("unrecognised-implements") == 1


def test_it_lints_status_values(doap_dir):
    openfire = parse_doap((doap_dir / "openfire.doap").read_bytes())
    unknown = [f for f in openfire.findings if f.code == "unknown-status"]
    assert {f.suggestion for f in unknown} == {"complete"}
    assert len(unknown) == 3
    missing = [f for f in openfire.findings if f.code == "missing-status"]
    assert len(missing) == 73
    assert {f.suggestion for f in missing} == {""}  # state one, not "complete"
    assert "state the status it has, one of complete, partial" in missing[0].message
    movim = parse_doap((doap_dir / "movim.doap").read_bytes())
    parial = [f for f in movim.findings if f.code == "unknown-status"]
    assert [f.suggestion for f in parial] == ["partial"]


@pytest.mark.parametrize(
    ("value", "suggestion"),
    [
        ("full", "complete"),
        ("parial", "partial"),
        ("complet", "complete"),
        ("sufficient", "partial"),
        ("no thumbnail support", ""),
    ],
)
def test_it_suggests_the_status_meant(value, suggestion):
    assert suggest_status(value) == suggestion


def test_it_flags_upper_case_status_but_keeps_it():
    document = parse_doap(
        doap(b"<name>X</name>" + xep("0030", "<xmpp:status>Complete</xmpp:status>"))
    )
    assert document.xeps[0].status == "Complete"
    assert codes(document) == ["missing-role", "status-case"]


def test_it_flags_foreign_and_unknown_categories(doap_dir):
    dino = parse_doap((doap_dir / "dino.doap").read_bytes())
    assert dino.role == "client"
    assert "unknown-category" in codes(dino)


def test_it_reads_a_wrong_rdf_namespace_and_says_so():
    head = HEAD.replace(b"http://www.w3.org/1999", b"https://www.w3.org/1999")
    document = parse_doap(
        doap(
            b'<name>X</name><homepage rdf:resource="https://x.example/"/>'
            b'<category rdf:resource="https://linkmauve.fr/ns/xmpp-doap#'
            b'category-client"/>',
            head,
        )
    )
    assert document.homepage == "https://x.example/"
    assert document.role == "client"
    assert codes(document) == ["wrong-rdf-namespace"]


def test_it_flags_a_wrong_xmpp_namespace():
    head = HEAD.replace(b"https://linkmauve.fr/ns/xmpp-doap#", b"http://linkmauve.fr/ns/xmpp-doap#")
    document = parse_doap(
        doap(b"<name>X</name>" + xep("0030", "<xmpp:status>complete</xmpp:status>"), head)
    )
    assert document.xeps[0].spec == "XEP-0030"
    assert "wrong-xmpp-namespace" in codes(document)


def test_ambiguous_categories_leave_the_role_open():
    document = parse_doap(
        doap(
            b"<name>X</name>"
            b'<category rdf:resource="https://linkmauve.fr/ns/xmpp-doap#category-client"/>'
            b'<category rdf:resource="https://linkmauve.fr/ns/xmpp-doap#category-server"/>'
        )
    )
    assert document.role is None
    assert codes(document) == ["ambiguous-role"]


def test_ios_sets_the_background_flag():
    document = parse_doap(doap(b"<name>X</name><os>Linux</os><os>iOS</os>"))
    assert document.background_restricted
    assert not parse_doap(doap(b"<name>X</name><os>Android</os>")).background_restricted


def test_it_prefers_english_text():
    document = parse_doap(
        doap(
            b'<name>X</name><shortdesc xml:lang="fr">Serveur</shortdesc>'
            b'<shortdesc xml:lang="en">Server</shortdesc>'
        )
    )
    assert document.shortdesc == "Server"


def test_a_supported_xep_without_xep_reference_is_skipped():
    body = (
        b"<name>X</name><implements><xmpp:SupportedXep><xmpp:status>complete</xmpp:status>"
        b"</xmpp:SupportedXep></implements>"
    )
    document = parse_doap(doap(body))
    assert document.xeps == []
    assert "missing-xep" in codes(document)


# -- input that cannot be read -------------------------------------------------------------


def test_a_truncated_file_is_refused(doap_dir):
    data = (doap_dir / "prosody.doap").read_bytes()[:5000]
    with pytest.raises(DoapError, match="not well-formed XML"):
        parse_doap(data)


def test_an_xml_bomb_is_refused():
    with pytest.raises(DoapError, match="entities"):
        parse_doap(BOMB)


def test_an_external_entity_is_refused():
    data = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    with pytest.raises(DoapError, match="refused"):
        parse_doap(data)


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>news</title></feed>',
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description/>'
        b"</rdf:RDF>",
    ],
)
def test_a_non_doap_file_is_refused(data):
    with pytest.raises(DoapError, match="not a DOAP file"):
        parse_doap(data)


def test_a_project_without_name_is_refused():
    with pytest.raises(DoapError, match="no <name>"):
        parse_doap(doap(b"<homepage rdf:resource='https://x.example/'/>"))


def test_a_file_over_the_cap_is_refused_before_parsing():
    data = doap(b"<name>X</name><description>" + b"a" * (20 * 1024 * 1024) + b"</description>")
    assert len(data) > MAX_BYTES
    with pytest.raises(DoapError, match="limited to 10 MiB"):
        parse_doap(data)


def test_an_empty_file_is_refused():
    with pytest.raises(DoapError, match="empty"):
        parse_doap(b"  \n")
