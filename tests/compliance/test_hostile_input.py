"""Input that could hurt: links that run code, names that collide, values longer than columns."""

import pytest
from django.core.exceptions import ValidationError

from compliance.doap.importer import import_doap, import_document, slug_for
from compliance.doap.parse import DoapError, parse_doap
from compliance.models import Claim, Software
from compliance.signals import claims_batch

HEAD = (
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    b'xmlns="http://usefulinc.com/ns/doap#" xmlns:xmpp="https://linkmauve.fr/ns/xmpp-doap#">'
    b"<Project>"
)


def doap(body: str) -> bytes:
    return HEAD + body.encode() + b"</Project></rdf:RDF>"


def test_a_homepage_that_is_not_http_is_dropped_and_linted():
    document = parse_doap(doap('<name>X</name><homepage rdf:resource="javascript:alert(1)"/>'))
    assert document.homepage == ""
    assert [f.code for f in document.findings if f.code == "bad-homepage"] == ["bad-homepage"]


def test_a_javascript_homepage_never_reaches_a_page(client, db):
    import_document(
        parse_doap(doap('<name>Evil</name><homepage rdf:resource="javascript:x()"/>')),
        role="client",
    )
    page = client.get("/software/evil/").content.decode()
    assert "javascript:" not in page.split("lint findings")[0]


def test_names_without_letters_get_distinct_slugs(db):
    first = import_document(parse_doap(doap("<name>Монал</name>")), role="client").software
    second = import_document(parse_doap(doap("<name>日本語</name>")), role="server").software
    assert first.slug != second.slug
    assert first.slug.startswith("software-")
    first.refresh_from_db()
    assert (first.name, first.role) == ("Монал", "client")
    assert slug_for("Монал") == first.slug  # a re-import finds it again


def test_long_values_are_cut_or_refused_not_crashing(db):
    name = "N" * 300
    status = "s" * 300
    body = (
        f"<name>{name}</name><implements><xmpp:SupportedXep><xmpp:xep rdf:resource="
        f'"https://xmpp.org/extensions/xep-0030.html"/><xmpp:status>{status}</xmpp:status>'
        "</xmpp:SupportedXep></implements>"
    )
    software = import_document(parse_doap(doap(body)), role="client").software
    assert len(software.slug) <= 200
    assert len(software.name) == 200
    assert software.claims.get().status == status[:200]
    with pytest.raises(DoapError, match="longer than 500"):
        import_doap("https://example.org/" + "a" * 500)


def test_a_claim_moved_to_another_software_refreshes_both(db):
    one = Software.objects.create(name="One", slug="one", role="client")
    two = Software.objects.create(name="Two", slug="two", role="client")
    claim = Claim.objects.create(software=one, spec="XEP-0030", status="complete")
    claim.software = two
    claim.save()
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.statuses == {}
    assert two.statuses == {"XEP-0030": "complete"}


def test_a_failed_batch_writes_nothing(db):
    software = Software.objects.create(name="S", slug="s", role="client")

    def interrupted_write():
        with claims_batch(software):
            Claim.objects.create(software=software, spec="XEP-0030", status="complete")
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        interrupted_write()
    assert not Claim.objects.exists()
    software.refresh_from_db()
    assert software.statuses == {}


def test_claims_and_platforms_are_validated(db):
    software = Software.objects.create(name="S", slug="s", role="client")
    with pytest.raises(ValidationError, match="RFC 6120"):
        Claim(software=software, spec="RFC6120", status="complete").full_clean()
    software.platforms = "Linux"
    with pytest.raises(ValidationError, match="list of names"):
        software.full_clean()


def test_a_malformed_spec_in_the_database_does_not_break_the_page(client, db):
    software = Software.objects.create(name="S", slug="s", role="client")
    Claim.objects.create(software=software, spec="xep-30", status="complete")
    page = client.get("/software/s/")
    assert page.status_code == 200
    assert "xep-30" in page.content.decode()
