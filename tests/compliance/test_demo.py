"""The example entries: loaded idempotently, marked, removable, with the interesting verdicts."""

import pytest
from django.core.management import call_command

from compliance.demo import load_demo, remove_demo
from compliance.models import Claim, Software
from tests.compliance.factories import make_software

pytestmark = pytest.mark.django_db


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
    page = client.get("/compare/2022/mobile/advanced-client/?examples=on").content.decode()
    assert "Example Mobile Client" in page
    mobile = client.get("/badge/example-mobile-client/2022/mobile/advanced-client.json").json()
    assert mobile["message"] == "not compliant"  # push is required on iOS and only planned
    alpha = client.get("/badge/example-server-alpha/2022/im/advanced-server.json").json()
    assert alpha["message"] == "compliant · self-assessed"  # a server's says its basis
    web = client.get("/badge/example-server-alpha/2022/web/server.json").json()
    assert web["message"] == "compliant* · self-assessed"
    term = client.get("/badge/example-terminal-client/2022/im/client.json").json()
    assert term["message"] == "compliant*"
    page = client.get("/software/example-library/").content.decode()
    assert "example entry" in page


def test_examples_are_left_out_of_tables_and_the_csv_unless_asked_for(client):
    make_software("Real Client", specs=["RFC 6120"])
    call_command("load_demo")
    page = client.get("/compare/2022/core/client/").content.decode()
    assert "Example Mobile Client" not in page
    assert '4 example entries left out (<a href="?examples=on">show them</a>)' in page
    shown = client.get("/compare/2022/core/client/?examples=on").content.decode()
    assert 'Example Mobile Client</a> <span class="tag">example</span>' in shown
    table = client.get("/compare/2022/core/client.csv").content.decode()
    assert "Example" not in table
    assert (
        "Example Mobile Client"
        in client.get("/compare/2022/core/client.csv?examples=on").content.decode()
    )
    listing = client.get("/software/").content.decode()
    assert "Example" not in listing.split('<div id="software-results">')[1].split("</tbody>")[0]
    assert "6 example entries left out" in listing
    assert "Example Library" in client.get("/software/?examples=on").content.decode()


def test_load_demo_if_empty_loads_only_into_an_empty_database(client):
    make_software("Real")
    call_command("load_demo", "--if-empty")
    assert not Software.objects.filter(is_example=True).exists()
    Software.objects.all().delete()
    call_command("load_demo", "--if-empty")
    assert Software.objects.filter(is_example=True).count() == 6
