"""The software list and software pages."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.claims import ClaimValues, write_claims
from compliance.doap.importer import import_doap
from compliance.models import Claim, Software
from tests.compliance.factories import CORE_CLIENT, IM_CLIENT, TEST, make_many, make_software

pytestmark = pytest.mark.django_db


def names(page: str) -> list[str]:
    return [
        part.split(">", 1)[1].split("<", 1)[0]
        for part in page.split('<th scope="row"><a href="/software/')[1:]
    ]


@pytest.fixture
def entries():
    make_software(
        "Chatty",
        specs=CORE_CLIENT + IM_CLIENT,
        platforms=["Linux", "iOS"],
        description="A chat client",
    )
    make_software("Serverly", role="server", platforms=["FreeBSD"])
    make_software("Libby", role="library", specs=CORE_CLIENT, platforms=["Windows (WSL)"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Chatty", "Libby", "Serverly"]),
        ("?role=server", ["Serverly"]),
        ("?role=library", ["Libby"]),
        ("?platform=bsd", ["Serverly"]),
        ("?platform=ios", ["Chatty"]),
        ("?platform=windows", ["Libby"]),
        ("?q=chat", ["Chatty"]),
        ("?q=nothing", []),
    ],
)
def test_the_list_filters(client, entries, query, expected):
    assert names(client.get("/software/" + query).content.decode()) == expected


def test_the_list_sorts_case_insensitively_by_name_role_and_update(client, entries):
    make_software("alpha lower", role="server", specs=["RFC 6120"])
    assert names(client.get("/software/").content.decode()) == [
        "alpha lower",
        "Chatty",
        "Libby",
        "Serverly",
    ]
    by_role = names(client.get("/software/?sort=role").content.decode())
    assert by_role == ["Chatty", "Libby", "alpha lower", "Serverly"]
    Software.objects.get(name="Libby").save()  # the most recently updated now
    assert names(client.get("/software/?sort=updated").content.decode())[0] == "Libby"
    assert client.get("/software/?sort=fastest").status_code == 400


def test_the_list_filters_by_compliance_with_a_suite_cell(client, entries):
    page = client.get("/software/?compliant=2023/im/client").content.decode()
    assert names(page) == ["Chatty"]
    assert names(client.get("/software/?compliant=2023/core/client").content.decode()) == [
        "Chatty",
        "Libby",
    ]
    assert names(client.get("/software/?compliant=2023/core/server").content.decode()) == []
    assert '<option value="2023/im/advanced-client">XMPP 2023 · IM · Advanced Client' in page
    assert client.get("/software/?compliant=2018/im/client").status_code == 400


def test_the_list_shows_the_level_reached_per_category(client, entries):
    page = client.get("/software/?q=chatty").content.decode()
    assert "Core 2023</th>" in page
    assert "✓</span> Client</span>" in page  # Core and IM at the client level
    assert "none</span>" in page


def test_the_list_says_no_data_for_an_entry_without_claims(client, entries):
    page = client.get("/software/?q=serverly").content.decode()
    assert '<span aria-hidden="true">?</span> no data: claims nothing' in page
    assert "none</span>" not in page


def test_the_list_answers_htmx_with_its_results(client, entries):
    partial = client.get("/software/?role=server", headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="software-results">')


def test_a_bad_list_query_is_a_400(client):
    assert client.get("/software/?role=admin").status_code == 400
    assert client.get("/software/?order=1").status_code == 200  # unknown: ignored


@pytest.mark.parametrize(
    "query", ["", "?compliant=2023/im/client&sort=role", "?sort=updated&examples=on"]
)
def test_list_queries_do_not_grow_with_rows(client, query):
    make_many(5)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/software/" + query).status_code == 200
        return len(queries)

    few = count()
    make_many(95, role="server")
    make_many(95, role="library")
    assert count() == few


@pytest.fixture
def gajim(doap_dir):
    return import_doap(str(doap_dir / "gajim.doap")).software


def test_a_page_shows_the_verdict_grid_of_every_year(client, gajim):
    page = client.get("/software/gajim/").content.decode()
    for year in (2019, 2020, 2021, 2022, 2023):
        assert f'href="?year={year}#next">{year}</a>' in page
    assert "not in the 2019 suite" in page  # no A/V Calling in 2019
    assert page.count('<th scope="col">Advanced Client</th>') == 5


def test_a_page_says_what_is_missing_for_the_next_level(client, gajim):
    page = client.get("/software/gajim/?year=2022").content.decode()
    assert "IM: Client reached" in page
    assert "<strong>Advanced Group Chat</strong>" in page
    assert (
        'lacking\n        <a href="https://xmpp.org/extensions/xep-0410.html">XEP-0410</a>' in page
    )
    assert "Web: Advanced Client reached" in page
    assert "; it relies on partial support of XEP-0156" in page
    assert "compliant (partial)" not in page


def test_a_missing_list_says_why_each_spec_does_not_count(client, doap_dir):
    import_doap(str(doap_dir / "openfire.doap"))
    page = client.get("/software/openfire/").content.decode()
    missing = page.split('<section id="next">')[1].split("</section>")[0]
    assert 'XEP-0045</a> <a class="spec-index"' in missing
    assert "(listed without a status (not counted)" in missing
    assert re.search(r'not counted\); <a href="#doap-findings">DOAP lint, line \d+</a>\)', missing)
    assert re.search(r"<strong>\d+ of these features? would count if the DOAP file stated", missing)
    findings = page.split('<section id="doap-findings">')[1].split("</section>")[0]
    assert findings.index("<h3>missing-status (73)</h3>") < findings.index("<h3>unknown-status")
    assert "State the status each really has" in findings
    assert "Suggestion: <code>complete</code>" not in findings.split("<h3>unknown-status")[0]


def test_deprecated_and_removed_are_not_plain_lacking(client, doap_dir, gajim):
    page = client.get("/software/gajim/").content.decode()
    assert "(listed as removed)" in page
    import_doap(str(doap_dir / "dino.doap"))
    assert "(listed as deprecated)" in client.get("/software/dino/").content.decode()


def test_an_entry_without_data_says_no_data(client, doap_dir):
    import_doap(str(doap_dir / "swift.doap"))
    page = client.get("/software/swift/").content.decode()
    assert '<p class="notice" id="no-data"><strong>No data.</strong>' in page
    grid = page.split('<section id="verdicts">')[1].split("</section>")[0]
    assert "not compliant" not in grid
    assert '<td class="verdict-no_data"><span aria-hidden="true">?</span> no data</td>' in grid


def test_a_page_lists_every_claim_and_the_lint_findings(client, gajim):
    page = client.get("/software/gajim/").content.decode()
    claims_table = page.split('<section id="claims">')[1].split("</section>")[0]
    assert claims_table.count('<th scope="row">') == gajim.claims.count() == 103
    assert re.search(
        r"XEP-0234</a></th>\n        <td>removed</td>\n        <td>\d{4}-\d\d-\d\d</td>\n"
        r"        <td>does not count</td>",
        page,
    )
    assert "DOAP lint findings (2)" in page
    assert "short-name" in page


def test_a_self_claim_supersedes_the_doap_one(client, gajim):
    write_claims(gajim, actor=TEST, put=[ClaimValues("XEP-0410", "self", "complete")])
    page = client.get("/software/gajim/?year=2022").content.decode()
    assert "IM: Client reached" in page
    assert "<strong>Direct File Transfer</strong>" in page  # still missing
    assert "<strong>Advanced Group Chat</strong>" not in page
    write_claims(gajim, actor=TEST, put=[ClaimValues("XEP-0402", "self", "planned")])
    page = client.get("/software/gajim/").content.decode()
    assert "superseded by the self-assessed claim" in page


def test_a_page_offers_badge_snippets(client, gajim):
    page = client.get("/software/gajim/?year=2021").content.decode()
    assert '<img src="/badge/gajim/2021/im/advanced-client.svg"' in page
    base = "http://testserver/badge/gajim/2021/im/client.svg"
    alt = "XMPP 2021 · IM · Client: compliant"  # the alt text says the result
    target = "http://testserver/software/gajim/#badges"
    assert f"[![{alt}]({base})]({target})" in page
    assert f".. image:: {base}\n   :alt: {alt}\n" in page
    assert f'&lt;a href="{target}"&gt;&lt;img src="{base}" alt="{alt}"' in page
    shields = "https://img.shields.io/endpoint?url=http%3A%2F%2Ftestserver%2Fbadge%2Fgajim%2F2021"
    assert f"[![{alt}]({shields}%2Fim%2Fclient.json)]({target})" in page


def test_the_summary_badge_is_near_the_top_and_linkable(client, gajim):
    page = client.get("/software/gajim/").content.decode()
    assert page.index('<section id="badges">') < page.index('<section id="verdicts">')
    assert page.index('<section id="badges">') < page.index('<section id="claims">')
    summary = page.split('<section id="badges">')[1].split("<details>")[0]
    alt = "XMPP 2023: Core Advanced · Web Advanced · IM"
    assert f'<img src="/badge/gajim/latest.svg" alt="{alt}"' in summary
    assert "[![XMPP 2023: Core Advanced · Web Advanced · IM](" in page


def test_libraries_are_labelled(client, doap_dir):
    import_doap(str(doap_dir / "slixmpp.doap"))
    page = client.get("/software/slixmpp/").content.decode()
    assert "Libraries are judged against the client columns" in page
    assert "XMPP 2023 · IM · Advanced Client (library)" in page


@pytest.mark.parametrize("query", ["?year=2018", "?year=abc"])
def test_a_bad_page_query_is_a_400(client, gajim, query):
    assert client.get("/software/gajim/" + query).status_code == 400


def test_an_unknown_software_is_404(client):
    assert client.get("/software/nobody/").status_code == 404


def test_the_list_pages_by_a_hundred_keeping_the_filters(client):
    make_many(150)
    page = client.get("/software/?platform=linux").content.decode()
    assert len(names(page)) == 100
    assert "page 1 of 2" in page
    assert 'href="?platform=linux&amp;page=2"' in page
    second = client.get("/software/?platform=linux&page=2").content.decode()
    assert len(names(second)) == 50
    assert 'href="?platform=linux" hx-get="?platform=linux"' in second
    assert names(client.get("/software/?page=99").content.decode()) == names(second)
    assert client.get("/software/?page=first").status_code == 400
    assert client.get("/software/?page=0").status_code == 400


def test_a_malformed_spec_in_the_database_does_not_break_the_page(client, db):
    software = Software.objects.create(name="S", slug="s", role="client")
    Claim.objects.create(software=software, spec="xep-30", status="complete")
    page = client.get("/software/s/")
    assert page.status_code == 200
    assert "xep-30" in page.content.decode()


def test_the_page_says_where_the_data_comes_from(client, doap_dir):
    software = import_doap(str(doap_dir / "conversations.doap")).software
    page = client.get(f"/software/{software.slug}/").content.decode()
    source = page.split('<li id="source">')[1].split("</li>")[0]
    assert "Data from the DOAP file <code>conversations.doap</code>, imported " in source
    assert str(doap_dir) not in page  # the file's name, never its path on the server
    assert "its newest release, 2.9.13, is of 2021-05-03" in source
    assert "more than a year ago: the file may not have been kept up to date" in page


def test_an_old_import_is_warned_of(client, db):
    from datetime import timedelta

    from django.utils import timezone

    software = make_software("Old", specs=CORE_CLIENT, doap_url="https://example.org/old.doap")
    Software.objects.filter(pk=software.pk).update(
        doap_imported_at=timezone.now() - timedelta(days=400)
    )
    page = client.get("/software/old/").content.decode()
    assert 'Data from the DOAP file <a href="https://example.org/old.doap"' in page
    assert "more than a year ago: the data may be out of date." in page
    fresh = make_software("Fresh", specs=CORE_CLIENT)
    page = client.get(f"/software/{fresh.slug}/").content.decode()
    assert "No DOAP file: the data was entered on the site." in page
    assert 'class="notice stale"' not in page


def test_a_waived_feature_whose_spec_is_claimed_says_supported(client, db):
    specs = CORE_CLIENT + ["XEP-0368", "XEP-0163", "XEP-0084"]
    make_software("Term", specs=specs, terminal_interface=True)
    page = client.get("/software/term/?year=2022").content.decode()
    assert "User Avatars: supported (not required here)</p>" in page
