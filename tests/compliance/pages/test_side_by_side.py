"""Two to four entries side by side in every cell of a suite year."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.compliance.factories import CORE_CLIENT, CORE_SERVER, IM_CLIENT, make_many, make_software

pytestmark = pytest.mark.django_db
URL = "/compare/entries/"


@pytest.fixture
def entries():
    make_software("Chatty", specs=CORE_CLIENT + IM_CLIENT)
    make_software("Serverly", role="server", specs=CORE_SERVER)
    make_software("Empty")


def test_it_shows_every_cell_of_the_year_for_each_entry(client, entries):
    page = client.get(URL + "?e=chatty&e=serverly&e=empty").content.decode()
    head = page.split("<thead>")[1].split("</thead>")[0]
    assert head.index(">Chatty<") < head.index(">Serverly<") < head.index(">Empty<")
    assert page.count('<tr><th scope="row"><a href="/compare/2023/') == 5 * 4
    row = page.split('<a href="/compare/2023/im/client/">XMPP 2023 · IM · Client</a></th>')[1]
    row = row.split("</tr>")[0]
    assert '<td class="verdict-compliant"><span aria-hidden="true">✓</span> compliant</td>' in row
    assert "not judged (server)" in row
    assert '<span aria-hidden="true">?</span> no data</td>' in row
    server = page.split("XMPP 2023 · Core · Server</a></th>")[1].split("</tr>")[0]
    assert "not judged (client)" in server
    assert '<td class="verdict-compliant">' in server


def test_a_year_and_what_is_missing(client, entries):
    page = client.get(URL + "?e=chatty&e=serverly&year=2019").content.decode()
    assert "XMPP 2019 · IM · Advanced Client" in page
    clients = client.get(URL + "?e=chatty&e=empty").content.decode()
    assert "· Server</a>" not in clients  # no level that judges none of them
    assert "A/V Calling" not in page  # not in the 2019 suite
    assert '<span class="cell-detail">missing: ' in page


@pytest.mark.parametrize(
    "query",
    ["?e=a&e=b&e=c&e=d&e=e", "?e=<script>&e=chatty", "?e=chatty&e=serverly&year=2018"],
)
def test_a_bad_choice_is_a_400(client, entries, query):
    assert client.get(URL + query).status_code == 400


def test_fewer_than_two_or_unknown_entries_say_so(client, entries):
    page = client.get(URL + "?e=chatty&e=nobody").content.decode()
    assert "No entry at <code>nobody</code>" in page
    assert "Choose at least 2 entries" in page
    assert 'value="chatty"' in page
    assert '<option value="serverly">Serverly</option>' in page


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_rows(client, entries):
    make_many(5)
    few = count_queries(client, URL + "?e=chatty&e=serverly&e=bulk-client-000&e=empty")
    make_many(95, role="server")
    assert count_queries(client, URL + "?e=chatty&e=serverly&e=bulk-client-000&e=empty") == few
