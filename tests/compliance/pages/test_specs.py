"""The spec index: /specs/ and /specs/<spec>/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.claims import ClaimValues, write_claims
from compliance.models import Claim
from compliance.pages.specs import spec_claims, spec_from_slug, spec_index
from tests.compliance.factories import CORE_CLIENT, TEST, make_many, make_software

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries():
    chatty = make_software("Chatty", specs=["XEP-0313", "RFC 6120"])
    make_software("Serv", role="server", specs=["XEP-0313"], status="partial")
    make_software("Lib", role="library", specs=["XEP-0030"])
    write_claims(
        chatty,
        actor=TEST,
        put=[ClaimValues(spec="XEP-0313", source=Claim.SELF, status="planned", spec_version="1.1")],
    )
    return chatty


def test_it_lists_every_entry_claiming_a_spec(client, entries):
    page = client.get("/specs/XEP-0313/").content.decode()
    assert "<h1>XEP-0313: Message Archive Management</h1>" in page
    assert '<a href="https://xmpp.org/extensions/xep-0313.html">The specification</a>' in page
    assert "2 entries claiming XEP-0313" in page
    assert '<a href="/software/chatty/">Chatty</a>' in page
    assert '<a href="/software/serv/">Serv</a>' in page
    assert "Lib" not in page
    assert "<td>planned</td>" in page
    assert "<td>1.1</td>" in page
    assert "(over the DOAP file: complete)" in page
    assert "<td>partial</td>" in page
    assert "counts as partial" in page


def test_it_filters_by_role(client, entries):
    page = client.get("/specs/XEP-0313/?role=server").content.decode()
    assert "1 entry claiming XEP-0313 (servers)" in page
    assert "Chatty" not in page
    assert '<strong aria-current="page">server</strong>' in page
    assert client.get("/specs/XEP-0313/?role=bot").status_code == 400
    assert client.get("/specs/XEP-0313/?utm=x").status_code == 200  # unknown: ignored


def test_spec_addresses(client, entries):
    assert client.get("/specs/RFC-6120/").status_code == 200
    assert client.get("/specs/xep-313/").headers["Location"] == "/specs/XEP-0313/"
    assert client.get("/specs/RFC%206120/").headers["Location"] == "/specs/RFC-6120/"
    assert client.get("/specs/<script>/").status_code == 404
    assert client.get("/specs/XEP-99999/").status_code == 404
    assert spec_from_slug("XEP-0030") == "XEP-0030"
    assert spec_from_slug("rfc6120") == "RFC 6120"
    assert "No entry claims XEP-0001." in client.get("/specs/XEP-0001/").content.decode()


def test_the_index_counts_entries_and_support(client, entries):
    rows = {row.spec: row for row in spec_index()}
    assert (rows["XEP-0313"].entries, rows["XEP-0313"].supported) == (2, 1)  # planned, partial
    assert (rows["XEP-0030"].entries, rows["XEP-0030"].supported) == (1, 1)
    assert rows["XEP-0402"].entries == 0  # named by a suite, claimed by none
    specs = list(rows)
    assert specs.index("RFC 6120") < specs.index("XEP-0030") < specs.index("XEP-0313")
    page = client.get("/specs/").content.decode()
    assert '<a href="/specs/XEP-0313/">XEP-0313</a></th><td>Message Archive Management</td>' in page


def test_spec_names_link_to_the_index(client, entries):
    software = client.get("/software/chatty/").content.decode()
    assert '<a href="/specs/XEP-0313/" title="Every entry that claims XEP-0313">XEP-0313</a>' in (
        software
    )
    assert 'class="spec-index" href="/specs/' in software  # beside what is missing
    suite = client.get("/suites/2023/").content.decode()
    assert '<a class="spec-index" href="/specs/XEP-0402/"' in suite
    compare = client.get("/compare/2023/core/client/").content.decode()
    assert '<a href="/specs/XEP-0030/">XEP-0030</a>' in compare


def test_spec_claims_reads_one_row_per_software(entries):
    rows = spec_claims("XEP-0313")
    assert [(row.claim.software.name, row.claim.source) for row in rows] == [
        ("Chatty", "self"),
        ("Serv", "doap"),
    ]


@pytest.mark.parametrize("url", ["/specs/", "/specs/XEP-0030/"])
def test_spec_page_queries_do_not_grow_with_rows(client, url):
    make_many(5)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    make_many(95, role="server")
    assert count() == few
    assert CORE_CLIENT[2] == "XEP-0030"
