"""Input that could hurt: links that run code, names that collide, values longer than columns."""

import pytest
from django.core.management import CommandError, call_command

from compliance.doap.importer import import_doap, import_document, slug_for
from compliance.doap.parse import (
    MAX_FINDINGS,
    MAX_PLATFORMS,
    MAX_TEXT,
    DoapError,
    parse_doap,
)
from compliance.models import Software
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


def test_findings_are_capped_and_counted(db):
    body = "<name>Noisy</name>" + "".join(f"<unknown{i}/>" for i in range(200_000))
    result = import_document(parse_doap(doap(body)), role="client")
    findings = result.software.doap_findings
    assert len(findings) == MAX_FINDINGS + 1
    assert findings[-1]["code"] == "more-findings"
    assert findings[-1]["message"].startswith(
        f"{200_001 - MAX_FINDINGS} more findings"
    )  # + no role


def test_a_huge_value_is_quoted_short_in_its_finding():
    iri = "https://example.org/" + "a" * 9_000_000
    document = parse_doap(doap(f'<name>X</name><category rdf:resource="{iri}"/>'))
    (finding,) = [f for f in document.findings if f.code == "unknown-category"]
    assert len(finding.message) < 300
    assert "aaaa…'" in finding.message


def test_a_huge_element_name_is_quoted_short():
    document = parse_doap(doap(f"<name>X</name><{'x' * 100_000}/>"))
    assert all(len(finding.message) < 300 for finding in document.findings)


def test_sixty_thousand_supported_xeps_read_once_each():
    entries = "".join(
        f'<implements><xmpp:SupportedXep><xmpp:xep rdf:resource="https://xmpp.org/extensions/'
        f'xep-{i % 10_000:04d}.html"/><xmpp:status>complete</xmpp:status>'
        "</xmpp:SupportedXep></implements>"
        for i in range(60_000)
    )
    document = parse_doap(doap("<name>Many</name>" + entries))
    assert len(document.xeps) == 10_000
    assert len(document.findings) == MAX_FINDINGS + 1
    assert {f.code for f in document.findings[:-1]} == {"missing-role", "duplicate-spec"}


def test_free_text_is_cut_at_import(db):
    body = (
        f"<name>{'N' * 5000}</name><shortdesc>{'d' * 9_500_000}</shortdesc>"
        + "".join(f"<os>{'L' * 1000}{i}</os>" for i in range(100))
        + '<implements><xmpp:SupportedXep><xmpp:xep rdf:resource="https://xmpp.org/extensions/'
        f'xep-0030.html"/><xmpp:status>complete</xmpp:status><xmpp:note>{"n" * 50_000}'
        "</xmpp:note></xmpp:SupportedXep></implements>"
    )
    software = import_document(parse_doap(doap(body)), role="client").software
    software.refresh_from_db()
    assert len(software.name) == MAX_TEXT["name"]
    assert len(software.description) == MAX_TEXT["shortdesc"]
    assert len(software.platforms) == MAX_PLATFORMS
    assert {len(name) for name in software.platforms} == {MAX_TEXT["platform"]}
    assert len(software.claims.get().note) == MAX_TEXT["note"]


def write_doap(path, name: str, xep: str) -> str:
    path.write_bytes(
        doap(
            f"<name>{name}</name>"
            '<implements><xmpp:SupportedXep><xmpp:xep rdf:resource="https://xmpp.org/extensions/'
            f'xep-{xep}.html"/><xmpp:status>complete</xmpp:status></xmpp:SupportedXep></implements>'
        )
    )
    return str(path)


def test_names_that_slug_alike_never_take_over_another_entry(tmp_path, db):
    names = {"Collide Me": "0030", "collide-me": "0045", "COLLIDE me!!": "0163"}
    results = [
        import_doap(write_doap(tmp_path / f"{i}.doap", name, xep), role="client")
        for i, (name, xep) in enumerate(names.items())
    ]
    assert [r.software.slug for r in results] == ["collide-me", "collide-me-2", "collide-me-3"]
    assert all(r.created for r in results)
    for result, (name, xep) in zip(results, names.items(), strict=True):
        result.software.refresh_from_db()
        assert result.software.name == name
        assert list(result.software.claims.values_list("spec", flat=True)) == [f"XEP-{xep}"]
    again = import_doap(str(tmp_path / "0.doap"), role="client")
    assert not again.created
    assert again.software.pk == results[0].software.pk


def test_a_file_from_another_url_with_the_same_name_gets_its_own_entry(db):
    document = parse_doap(doap("<name>Same Name</name>"))
    first = import_document(document, role="client", source_url="https://one.example/doap")
    second = import_document(document, role="client", source_url="https://two.example/doap")
    assert second.created
    assert (first.software.slug, second.software.slug) == ("same-name", "same-name-2")
    first.software.refresh_from_db()
    assert first.software.doap_url == "https://one.example/doap"
    again = import_document(document, role="client", source_url="https://one.example/doap")
    assert again.software.pk == first.software.pk


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("http://[::1/", "'http://[::1/' is not a valid URL: Invalid IPv6 URL."),
        ("https:///doap.rdf", "'https:///doap.rdf' is not a valid URL: it names no host."),
        ("/dev/zero", "/dev/zero is larger than 10 MiB; DOAP files are limited to 10 MiB."),
    ],
)
def test_an_unusable_source_is_a_usage_error_in_one_line(db, source, message):
    with pytest.raises(CommandError) as raised:
        call_command("import_doap", source, "--role", "client")
    assert raised.value.returncode == 2
    assert str(raised.value) == message
    assert not Software.objects.exists()


def test_a_3_gb_file_is_not_read_whole(tmp_path, db):
    huge = tmp_path / "huge.doap"
    with huge.open("wb") as fh:  # sparse: takes no disk
        fh.truncate(3 * 1024**3)
    with pytest.raises(CommandError, match="larger than 10 MiB") as raised:
        call_command("import_doap", str(huge), "--role", "client")
    assert raised.value.returncode == 2


@pytest.mark.parametrize("iri", ["http://[x", "https://", "http:///path"])
def test_a_malformed_homepage_is_a_finding_not_a_crash(iri):
    document = parse_doap(doap(f'<name>X</name><homepage rdf:resource="{iri}"/>'))
    assert document.homepage == ""
    assert [f.code for f in document.findings if f.code == "bad-homepage"] == ["bad-homepage"]
