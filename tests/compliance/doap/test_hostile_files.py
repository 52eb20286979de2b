"""Input that could hurt: links that run code, names that collide, values longer than columns."""

import pytest

from compliance.doap.importer import import_doap, import_document, slug_for
from compliance.doap.parse import DoapError, parse_doap
from tests.compliance.doap.files import doap


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
