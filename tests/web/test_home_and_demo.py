"""The home page and the demo data set."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.demo import load_demo, remove_demo
from compliance.models import Claim, Software
from tests.web.factories import CORE_CLIENT, IM_CLIENT, make_many, make_software

pytestmark = pytest.mark.django_db


def test_the_home_page_counts_per_category_and_level(client):
    make_software("One", specs=CORE_CLIENT + IM_CLIENT)
    make_software("Two", specs=CORE_CLIENT)
    make_software("Serv", role="server")
    page = client.get("/").content.decode()
    assert "XMPP Compliance Suites 2023" in page
    assert '<a href="/compare/2023/im/client/">1 of 2</a>' in page
    assert '<a href="/compare/2023/core/client/">2 of 2</a>' in page
    assert '<a href="/compare/2023/core/server/">0 of 1</a>' in page


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


def test_the_demo_loads_marked_examples_idempotently_and_goes_away():
    assert load_demo() == 6
    claims = Claim.objects.count()
    assert load_demo() == 6
    assert Claim.objects.count() == claims
    demo = Software.objects.all()
    assert demo.count() == 6
    assert all(s.is_example and s.name.startswith("Example ") for s in demo)
    assert {s.role for s in demo} == {"server", "client", "library"}
    make_software("Real")
    assert remove_demo() > 0
    assert list(Software.objects.values_list("name", flat=True)) == ["Real"]


def test_the_demo_covers_the_interesting_verdicts(client):
    call_command("load_demo")
    page = client.get("/compare/2022/mobile/advanced-client/").content.decode()
    assert "Example Mobile Client" in page
    mobile = client.get("/badge/example-mobile-client/2022/mobile/advanced-client.json").json()
    assert mobile["message"] == "not compliant"  # push is required on iOS and only planned
    alpha = client.get("/badge/example-server-alpha/2022/im/advanced-server.json").json()
    assert alpha["message"] == "compliant"
    web = client.get("/badge/example-server-alpha/2022/web/server.json").json()
    assert web["message"] == "compliant (partial)"
    term = client.get("/badge/example-terminal-client/2022/im/client.json").json()
    assert term["message"] == "compliant (partial)"
    page = client.get("/software/example-library/").content.decode()
    assert "example entry" in page


def test_the_cached_counts_follow_every_change(client):
    two = make_software("Two", specs=CORE_CLIENT)
    assert '<a href="/compare/2023/im/client/">0 of 1</a>' in client.get("/").content.decode()
    Claim.objects.bulk_create(
        Claim(software=two, spec=spec, status="complete") for spec in IM_CLIENT
    )
    two.refresh_statuses()
    assert '<a href="/compare/2023/im/client/">1 of 1</a>' in client.get("/").content.decode()
    Claim.objects.get(software=two, spec="XEP-0363").delete()
    assert '<a href="/compare/2023/im/client/">0 of 1</a>' in client.get("/").content.decode()
    two.delete()
    assert '<a href="/compare/2023/im/client/">0 of 0</a>' in client.get("/").content.decode()
