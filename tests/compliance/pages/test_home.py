"""The home page and the demo data set."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.claims import ClaimValues, write_claims
from tests.compliance.factories import (
    CORE_CLIENT,
    CORE_SERVER,
    IM_CLIENT,
    TEST,
    make_many,
    make_software,
)

pytestmark = pytest.mark.django_db


def test_the_home_page_counts_per_category_and_level(client):
    make_software("One", specs=CORE_CLIENT + IM_CLIENT)
    make_software("Two", specs=CORE_CLIENT)
    make_software("Serv", role="server")
    page = client.get("/").content.decode()
    assert "XMPP Compliance Suites 2023" in page
    assert '<a href="/compare/2023/im/client/">1 of 2</a>' in page
    assert '<a href="/compare/2023/core/client/">2 of 2</a>' in page
    # Serv claims nothing: no data, counted apart and not as a failure.
    assert '<a href="/compare/2023/core/server/">0 of 0</a> <span class="muted">· 1 no data' in page
    assert "of which 1 with no data, counted apart" in page


def test_example_entries_are_left_out_of_the_counts(client):
    from django.core.management import call_command

    make_software("Real Server", role="server", specs=CORE_SERVER)
    call_command("load_demo")
    page = client.get("/").content.decode()
    assert '<a href="/compare/2023/core/server/">1 of 1</a>' in page
    assert "(1 entry in all; the 6 example entries are not counted)" in page


def test_the_home_page_lists_recent_entries(client):
    older = make_software("Older")
    make_software("Newer")
    older.save()  # now the most recently updated, though created first
    page = client.get("/").content.decode()
    assert page.index(">Older<") < page.index(">Newer<")


def test_home_queries_do_not_grow_with_rows(client):
    make_many(5)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/").status_code == 200
    make_many(50, role="server")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/").status_code == 200
    assert len(few) == len(many)


def test_the_cached_counts_follow_every_change(client):
    two = make_software("Two", specs=CORE_CLIENT)
    assert '<a href="/compare/2023/im/client/">0 of 1</a>' in client.get("/").content.decode()
    im = [ClaimValues(spec=spec, source="self", status="complete") for spec in IM_CLIENT]
    write_claims(two, actor=TEST, put=im)
    assert '<a href="/compare/2023/im/client/">1 of 1</a>' in client.get("/").content.decode()
    write_claims(two, actor=TEST, remove=[("XEP-0363", "self")])
    assert '<a href="/compare/2023/im/client/">0 of 1</a>' in client.get("/").content.decode()
    two.delete()
    assert '<a href="/compare/2023/im/client/">0 of 0</a>' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_home_page_names_the_current_suite(client):
    page = client.get("/").content.decode()
    assert "XMPP Compliance Suites 2023" in page
