"""Comparison tables: columns, cells in words, filters, sorting, htmx partials, CSV, queries."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.claims import ClaimValues, write_claims
from compliance.models import Claim
from tests.compliance.factories import CORE_CLIENT, IM_CLIENT, TEST, make_many, make_software

pytestmark = pytest.mark.django_db
URL = "/compare/2022/im/client/"


@pytest.fixture
def entries():
    make_software("Full Client", specs=CORE_CLIENT + IM_CLIENT, platforms=["Linux", "Windows"])
    make_software("Half Client", specs=CORE_CLIENT, platforms=["Android (Termux)"])
    make_software(
        "Partial Library",
        role="library",
        specs=CORE_CLIENT + IM_CLIENT,
        status="partial",
        platforms=["macOS"],
    )
    make_software("A Server", role="server", specs=CORE_CLIENT)


def rows(page: str) -> list[str]:
    return [
        line.split(">", 1)[1].split("<", 1)[0]
        for line in page.split('<th scope="row"><a href="/software/')[1:]
    ]


def test_it_lists_the_role_and_the_required_features_in_groups(client, entries):
    page = client.get(URL).content.decode()
    assert rows(page) == ["Full Client", "Half Client", "Partial Library"]
    assert '<th scope="colgroup" colspan="4">Core</th>' in page
    assert '<th scope="colgroup" colspan="6">IM</th>' in page
    me = '>The /me Command<span class="providers"> <a href="/specs/XEP-0245/">XEP-0245</a></span>'
    assert me in page  # each provider links to the spec index
    assert ">User Avatars<" not in page  # not required at the client level
    assert '<span class="tag">library</span>' in page


def test_headers_say_their_specs_and_shared_names_their_category(client, entries):
    page = client.get(URL).content.decode()
    head = page[page.index("<thead>") : page.index("</thead>")]
    assert ' title="' not in head  # nothing only in a tooltip
    core = '>Core features<span class="providers"> <a href="/specs/RFC-6120/">RFC 6120</a>'
    im = '>IM core features<span class="providers"> <a href="/specs/RFC-6121/">RFC 6121</a>'
    assert core in head
    assert im in head


def test_cells_and_verdicts_say_what_they_are_in_words(client, entries):
    page = client.get(URL).content.decode()
    assert '<td class="state-supported"><span aria-hidden="true">✓</span> supported</td>' in page
    assert 'title="Needs all of XEP-0363; lacking XEP-0363.">' in page
    lacking = '<span class="cell-detail">lacking XEP-0363'
    assert f'<span aria-hidden="true">✗</span> not listed {lacking}' in page
    assert '<span aria-hidden="true">◐</span> partial <span class="cell-detail">partial: ' in page
    assert "not compliant</td>" in page


def test_the_verdict_and_the_missing_count_follow_the_name(client, entries):
    page = client.get(URL + "?q=half").content.decode()
    head = page[page.index("<thead>") : page.index("</thead>")]
    assert head.index(">Software") < head.index(">Verdict") < head.index(">Missing")
    assert head.index(">Missing") < head.index(">Core</th>")
    row = page[page.index('<tr><th scope="row">') :]
    assert row.index('</th><td class="verdict verdict-not_compliant">') > 0
    assert '<td class="missing-count"><strong>6</strong> <span class="cell-detail">' in row
    assert row.index("missing-count") < row.index("state-supported")


def test_partial_reliance_says_compliant_with_a_mark(client, entries):
    page = client.get(URL + "?role=library").content.decode()
    assert "compliant (partial)" not in page
    assert (
        '<td class="verdict verdict-partial"><span aria-hidden="true">✓</span> compliant'
        '<sup class="mark" aria-hidden="true">*</sup> <span class="cell-detail">relies on '
        "partial support of RFC 6120, RFC 6121, RFC 7590, XEP-0030"
    ) in page
    assert 'id="partial-note"' in page
    table = client.get("/compare/2022/im/client.csv?role=library").content.decode()
    assert ",compliant,RFC 6120 RFC 6121" in table


def test_an_entry_without_data_says_no_data(client, entries):
    make_software("Empty Client", specs=[])
    make_software("Elsewhere Client", specs=["XEP-0001"])  # claims, none on a suite spec
    page = client.get(URL + "?q=e").content.decode()
    for name in ("Empty Client", "Elsewhere Client"):
        row = page[page.index(f">{name}</a>") :].split("</tr>", 1)[0]
        no_data = '<span aria-hidden="true">?</span> no data'
        assert f'<td class="verdict verdict-no_data">{no_data}' in row
        assert '<td class="missing-count no-data">—</td>' in row
        assert 'class="state-no_data" colspan="10"' in row
        assert "not listed" not in row
        assert "not compliant" not in row
    table = client.get("/compare/2022/im/client.csv?q=empty").content.decode()
    assert table.splitlines()[1].endswith(",no data,,")
    assert rows(client.get(URL + "?sort=verdict").content.decode())[-2:] == [
        "Elsewhere Client",
        "Empty Client",
    ]


@pytest.mark.parametrize(
    ("status", "state", "word"),
    [
        ("", "unstated", "no status"),
        ("deprecated", "deprecated", "deprecated"),
        ("removed", "removed", "removed"),
        ("planned", "planned", "planned"),
        ("wontfix", "wontfix", "won't fix"),
        ("full", "other", "unknown status"),
    ],
)
def test_a_listed_spec_that_does_not_count_says_why(client, status, state, word):
    software = make_software("Listed", specs=CORE_CLIENT + IM_CLIENT[:-1])
    write_claims(
        software, actor=TEST, put=[ClaimValues(spec="XEP-0363", source=Claim.DOAP, status=status)]
    )
    page = client.get(URL).content.decode()
    cell = f'<td class="state-{state}" title="Needs all of XEP-0363; lacking XEP-0363.">'
    assert f'{cell}<span aria-hidden="true">' in page
    assert f"</span> {word} <span" in page


def test_a_feature_lacking_specs_for_several_reasons_names_each(client):
    software = make_software("Mixed", specs=CORE_CLIENT)
    put = [ClaimValues(spec="XEP-0402", source=Claim.DOAP, status="deprecated")]
    write_claims(software, actor=TEST, put=put)
    page = client.get("/compare/2023/im/advanced-client/").content.decode()
    detail = (
        '<span class="cell-detail">XEP-0048 not listed; XEP-0313 not listed; '
        "XEP-0402 listed as deprecated; XEP-0410 not listed</span>"
    )
    assert f'<span aria-hidden="true">✗</span> deprecated {detail}' in page


def test_waived_cells_are_labelled(client):
    make_software("Term", specs=CORE_CLIENT + ["XEP-0368", "XEP-0163"], terminal_interface=True)
    page = client.get("/compare/2022/im/advanced-client/").content.decode()
    assert '<span aria-hidden="true">–</span> waived</td>' in page


def test_a_waived_cell_whose_spec_is_claimed_says_supported(client):
    make_software("Term", specs=CORE_CLIENT + ["XEP-0368", "XEP-0163"], terminal_interface=True)
    make_software(
        "Rich Term",
        specs=CORE_CLIENT + ["XEP-0368", "XEP-0163", "XEP-0084", "XEP-0153", "XEP-0392"],
        terminal_interface=True,
    )
    page = client.get("/compare/2022/im/advanced-client/").content.decode()
    assert "</span> supported (not required here)</td>" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=half", ["Half Client"]),
        ("?q=CLIENT", ["Full Client", "Half Client"]),
        ("?role=library", ["Partial Library"]),
        ("?role=client", ["Full Client", "Half Client"]),
        ("?platform=android", ["Half Client"]),
        ("?platform=windows", ["Full Client"]),
        ("?compliant=on", ["Full Client", "Partial Library"]),
        ("?sort=name_desc", ["Partial Library", "Half Client", "Full Client"]),
        ("?sort=verdict", ["Full Client", "Partial Library", "Half Client"]),
        ("?sort=missing", ["Full Client", "Partial Library", "Half Client"]),
    ],
)
def test_filters_and_sorting(client, entries, query, expected):
    assert rows(client.get(URL + query).content.decode()) == expected


def test_htmx_gets_the_table_partial_and_a_plain_get_the_page(client, entries):
    partial = client.get(URL + "?q=full", headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="compare-table">')
    assert "<html" not in partial
    assert rows(partial) == ["Full Client"]
    page = client.get(URL + "?q=full").content.decode()
    assert "<html" in page
    assert 'hx-push-url="true"' in page
    assert 'value="full"' in page  # the filter survives a reload of the permalink


def test_sort_links_work_without_javascript(client, entries):
    page = client.get(URL + "?q=client").content.decode()
    link = 'href="?q=client&amp;sort=name_desc" hx-get="?q=client&amp;sort=name_desc"'
    assert f'<a id="sort-name" {link}' in page  # the id keeps the focus through the swap


def test_htmx_pushes_the_canonical_url_and_refreshes_the_links(client, entries):
    response = client.get(
        URL + "?role=&platform=&q=full&compliant=on&sort=name&utm_source=x",
        headers={"HX-Request": "true"},
    )
    assert response["HX-Push-Url"] == URL + "?q=full&compliant=on"
    partial = response.content.decode()
    assert '<div id="compare-switchers" hx-swap-oob="true">' in partial
    assert 'href="/compare/2021/im/client/?q=full&amp;compliant=on"' in partial
    assert 'href="/compare/2022/core/client/?q=full&amp;compliant=on"' in partial
    whole = client.get(URL + "?q=full").content.decode()
    assert whole.count('id="compare-switchers"') == 1
    assert "hx-swap-oob" not in whole


def test_level_links_keep_the_filters_and_drop_a_role_the_level_does_not_judge(client, entries):
    page = client.get(URL + "?role=library&q=x&sort=verdict").content.decode()
    assert 'href="/compare/2022/im/advanced-client/?q=x&amp;role=library&amp;sort=verdict"' in page
    assert 'href="/compare/2022/im/server/?q=x&amp;sort=verdict"' in page


def test_the_year_switcher_keeps_category_level_and_filters(client, entries):
    page = client.get("/compare/2022/av/advanced-client/?q=x").content.decode()
    assert 'href="/compare/2021/av/advanced-client/?q=x"' in page
    assert (
        '<span class="unavailable">2020</span> <small class="muted">(no A/V Calling)</small>'
        in page
    )


def test_server_levels_show_servers_only(client, entries):
    assert rows(client.get("/compare/2022/core/server/").content.decode()) == ["A Server"]
    assert client.get("/compare/2022/core/server/?role=client").status_code == 400


@pytest.mark.parametrize("query", ["?sort=fastest", "?platform=amiga", "?q=" + "x" * 101])
def test_a_bad_value_is_a_400_page_in_the_sites_layout(client, query):
    response = client.get(URL + query)
    assert response.status_code == 400
    page = response.content.decode()
    assert '<nav aria-label="Main">' in page
    assert "<h1>This address has a value the page does not know</h1>" in page
    assert f'<a href="{URL}">The same page without them</a>' in page


TRACKING = "utm_source=newsletter&fbclid=IwAR0&utm_medium=social"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        URL,
        "/compare/2022/im/client.csv",
        "/software/",
        "/software/full-client/",
        "/software/full-client/history/",
        "/specs/",
        "/specs/XEP-0030/",
        "/registry/",
        "/suites/",
        "/suites/2023/",
        "/badge/full-client/2022/im/client.svg",
    ],
)
def test_tracking_parameters_are_ignored_everywhere(client, entries, path):
    assert client.get(f"{path}?{TRACKING}").status_code == 200


def test_unknown_parameters_are_dropped_from_links(client, entries):
    page = client.get(f"{URL}?q=full&{TRACKING}").content.decode()
    assert "utm_source" not in page
    assert "fbclid" not in page
    assert 'href="/compare/2022/im/client.csv?q=full"' in page
    assert '<link rel="canonical" href="http://testserver/compare/2022/im/client/?q=full">' in page


@pytest.mark.parametrize(
    "path",
    [
        "/compare/2018/im/client/",
        "/compare/2019/av/client/",
        "/compare/2022/chat/client/",
        "/compare/2022/im/expert/",
    ],
)
def test_unknown_tables_are_404(client, path):
    assert client.get(path).status_code == 404


def test_the_csv_is_the_filtered_table(client, entries):
    response = client.get("/compare/2022/im/client.csv?role=client")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "xmpp-compliance-2022-im-client.csv" in response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0][:3] == ["software", "role", "Core: Core features"]
    assert table[0][-3:] == ["verdict", "relies on partial", "missing"]
    assert [row[0] for row in table[1:]] == ["Full Client", "Half Client"]
    assert table[2][-3] == "not compliant"
    assert "The /me Command" in table[2][-1]


def test_the_csv_link_carries_the_filters(client, entries):
    page = client.get(URL + "?role=client&compliant=on").content.decode()
    assert 'href="/compare/2022/im/client.csv?role=client&amp;compliant=on"' in page


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_rows(client):
    make_many(5)
    few = count_queries(client, URL)
    make_many(95, role="library")
    assert count_queries(client, URL) == few
    assert count_queries(client, "/compare/2022/im/client.csv") == few


def test_names_are_escaped_in_the_rendered_rows(client):
    make_software("<img src=x onerror=alert(1)>", slug="evil", specs=CORE_CLIENT)
    page = client.get(URL).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_csv_does_not_carry_formulas(client):
    make_software('=HYPERLINK("http://x")', slug="formula", specs=CORE_CLIENT)
    table = client.get("/compare/2022/im/client.csv").content.decode()
    assert "\n'=HYPERLINK" in table.replace('"', "")


def test_a_history_restore_gets_the_whole_page(client, entries):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    page = client.get(URL + "?q=full", headers=headers)
    assert "<html" in page.content.decode()
    assert "HX-Request" in page["Vary"]


@pytest.mark.parametrize("query", ["?compliant=banana", "?compliant=1"])
def test_only_a_checkbox_value_means_compliant_only(client, query):
    assert client.get(URL + query).status_code == 400


def test_a_level_has_one_address(client):
    assert client.get("/compare/2022/im/advanced_client/").status_code == 404


def test_rows_say_as_of_which_version(client, db):
    make_software("Versioned", specs=CORE_CLIENT, current_version="1.<b>2</b>")
    page = client.get("/compare/2023/core/client/").content.decode()
    assert '<span class="version">as of version 1.&lt;b&gt;2&lt;/b&gt;</span>' in page
