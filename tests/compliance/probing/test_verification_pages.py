"""Claimed vs verified on the site: the software page's labels, the badges' basis and
contradictions, and choosing the reference deployment (forged posts refused)."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compliance.claims import ClaimValues, write_claims
from compliance.history import Actor
from compliance.models import Change, CheckResult, ProbedServer, ProbeRun, ServerOwner, Software
from compliance.vendors.maintainers import add_maintainer
from tests.compliance.factories import CORE_SERVER, TEST, make_software
from tests.compliance.svg import SVG_NS, texts

pytestmark = pytest.mark.django_db

CORE_PASSED = {"RFC 6120": "pass", "RFC 7590": "pass", "XEP-0030": "pass"}


def make_run(server, specs, *, days_ago=1) -> ProbeRun:
    finished = timezone.now() - timedelta(days=days_ago)
    return ProbeRun.objects.create(
        server=server,
        state=ProbeRun.DONE,
        created_at=finished - timedelta(minutes=1),
        finished_at=finished,
        probe_version="1.1",
        specs=specs,
    )


@pytest.fixture
def server():
    return ProbedServer.objects.create(domain="example.org")


@pytest.fixture
def entry(server):
    specs = [*CORE_SERVER, "XEP-0313", "XEP-0045"]
    return make_software("Serv", role="server", specs=specs, reference_server=server)


def section(page: str, name: str) -> str:
    return page.split(f'<section id="{name}">')[1].split("</section>")[0]


def title_of(response) -> str:
    return ET.fromstring(response.content.decode()).find(f"{SVG_NS}title").text


def test_the_page_labels_each_claim_in_three_distinct_words(client, entry, server):
    run = make_run(server, {**CORE_PASSED, "XEP-0313": "fail", "XEP-0045": "could_not_test"})
    CheckResult.objects.create(
        run=run,
        position=0,
        check_id="xep0045-muc",
        specs=["XEP-0045"],
        outcome="could_not_test",
        entity="example.org",
        detail="No test account: rooms need one.",
    )
    page = client.get("/software/serv/").content.decode()
    claims = section(page, "claims")
    link = f'<a href="/probe/runs/{run.key}/" title="The probe of example.org">run of '
    row = claims.split("XEP-0030</a></th>")[1].split("</tr>")[0]
    assert "✓</span> probe-verified</span>" in row
    assert f"{link}{run.finished_at:%Y-%m-%d}</a>" in row
    row = claims.split("XEP-0313</a></th>")[1].split("</tr>")[0]
    assert "✗</span> contradicted</strong>" in row
    assert link in row
    row = claims.split("XEP-0045</a></th>")[1].split("</tr>")[0]
    assert "not probed</span> (could not be tested there: No test account: rooms need one.)" in row
    row = claims.split("XEP-0114</a></th>")[1].split("</tr>")[0]
    assert "not probed</span> (not probeable by the probe)" in row
    assert '<tr class="contradicted">' in claims
    notice = page.split('<p class="notice" id="contradicted">')[1].split("</p>")[0]
    assert "XEP-0313 is claimed as supported, but failed in" in notice
    assert f'<a href="/probe/runs/{run.key}/">the probe of example.org on ' in notice


def test_verdict_cells_say_verified_or_self_assessed(client, entry, server):
    make_run(server, {**CORE_PASSED, "XEP-0313": "fail"})
    grid = section(client.get("/software/serv/").content.decode(), "verdicts")
    row = grid.split('href="?year=2023#next">2023</a></th>')[1].split("</tr>")[0]
    cells = row.split("<td")[1:]
    assert '<span class="tag basis">verified</span>' in cells[0]  # Core · Server
    assert "not compliant" not in cells[0]
    assert '<span class="tag basis">self-assessed</span>' in cells[1]  # Advanced: not met
    assert all("basis" in cell for cell in cells if "not in the" not in cell)


def test_the_page_says_why_nothing_is_probed(client, entry, server):
    page = client.get("/software/serv/").content.decode()
    assert "has no finished probe in the last 30 days: every verdict is self-assessed." in page
    assert "not probed</span> (no run in the last 30 days)" in page
    assert "probe-verified</span>" not in page
    Software.objects.filter(pk=entry.pk).update(reference_server=None)
    page = client.get("/software/serv/").content.decode()
    assert "This entry names no reference deployment: every verdict is self-assessed." in page
    assert "not probed</span> (no reference server)" in page
    assert "verified</span>" not in section(page, "verdicts")


def test_a_clients_page_has_no_probe_labels(client, server):
    make_software("Cli", specs=["RFC 6120", "XEP-0030"], reference_server=server)
    make_run(server, CORE_PASSED)
    page = client.get("/software/cli/").content.decode()
    assert "All verdicts on this page are self-assessed" in page
    assert '<th scope="col">Probe</th>' not in page
    assert "probe-verified" not in page
    assert "not probed" not in page


def test_page_queries_do_not_grow_with_claims(client, entry, server):
    make_run(server, {**CORE_PASSED, "XEP-0045": "could_not_test", "XEP-0313": "fail"})

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/software/serv/").status_code == 200
        return len(queries)

    few = count()
    many = [ClaimValues(f"XEP-{1000 + i:04d}", "doap", "complete") for i in range(95)]
    write_claims(entry, actor=TEST, put=many)
    assert count() == few


def test_the_badge_says_verified_and_names_the_probe(client, entry, server):
    run = make_run(server, {**CORE_PASSED, "XEP-0114": "could_not_test"})
    svg = client.get("/badge/serv/2023/core/server.svg")
    assert texts(svg.content.decode())[-1] == "compliant · verified"
    assert title_of(svg) == (
        f"Serv: XMPP 2023 · Core · Server: compliant "
        f"(verified by the probe of example.org on {run.finished_at:%Y-%m-%d})"
    )
    assert client.get("/badge/serv/2023/core/server.json").json()["message"] == (
        "compliant · verified"
    )


def test_a_contradicted_spec_is_named_in_the_badge_title(client, entry, server):
    make_run(server, {**CORE_PASSED, "RFC 7590": "fail", "XEP-0313": "fail"})
    svg = client.get("/badge/serv/2023/core/server.svg")
    assert texts(svg.content.decode())[-1] == "compliant · self-assessed"
    assert title_of(svg) == (
        "Serv: XMPP 2023 · Core · Server: compliant "
        "(self-assessed; contradicted by the probe of example.org: RFC 7590)"
    )
    assert client.get("/badge/serv/2023/core/server.json").json()["message"] == (
        "compliant · self-assessed"
    )
    summary = title_of(client.get("/badge/serv/latest.svg"))
    # the summary names what any level relies on: Advanced IM's History Storage, XEP-0313
    contradicted = "contradicted by the probe of example.org: RFC 7590, XEP-0313"
    assert summary.endswith(f"(self-assessed; {contradicted})")


def test_a_new_run_changes_the_badge(client, entry, server):
    make_run(server, {**CORE_PASSED, "RFC 7590": "fail"}, days_ago=2)
    first = client.get("/badge/serv/2023/core/server.svg")
    make_run(server, CORE_PASSED, days_ago=1)
    again = client.get("/badge/serv/2023/core/server.svg", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert texts(again.content.decode())[-1] == "compliant · verified"
    assert again["ETag"] != first["ETag"]
    summary = title_of(client.get("/badge/serv/latest.svg"))
    assert "(verified by the probe of example.org on " in summary


def test_a_run_older_than_30_days_leaves_the_badge_self_assessed(client, entry, server):
    make_run(server, CORE_PASSED, days_ago=31)
    svg = client.get("/badge/serv/2023/core/server.svg")
    assert texts(svg.content.decode())[-1] == "compliant · self-assessed"
    assert title_of(svg) == "Serv: XMPP 2023 · Core · Server: compliant (self-assessed)"


# Choosing the reference deployment.

URL = "/software/serv/maintainers/reference-server/"


@pytest.fixture
def vendor(make_user, entry):
    user = make_user("vendor")
    add_maintainer(entry, user, actor=Actor("the admin"), how="a test")
    Software.objects.filter(pk=entry.pk).update(reference_server=None)
    return user


def own(user, domain) -> ProbedServer:
    server, _ = ProbedServer.objects.get_or_create(domain=domain)
    ServerOwner.objects.create(server=server, user=user, how="a test")
    return server


def reference_of(entry):
    return Software.objects.get(pk=entry.pk).reference_server


def test_a_maintainer_who_owns_the_server_names_it_and_clears_it(client, entry, vendor, server):
    own(vendor, "example.org")
    client.force_login(vendor)
    page = client.get("/software/serv/maintainers/").content.decode()
    assert '<section id="reference-server">' in page
    assert '<option value="example.org">example.org</option>' in page
    response = client.post(URL, {"domain": "example.org"})
    assert response.status_code == 302
    assert reference_of(entry) == server
    change = Change.objects.get(software=entry, field="reference_server")
    assert (change.actor, change.old, change.new) == ("vendor", "", "example.org")
    assert client.post(URL, {"domain": ""}).status_code == 302
    assert reference_of(entry) is None
    cleared = Change.objects.filter(software=entry, field="reference_server").latest("pk")
    assert (cleared.old, cleared.new) == ("example.org", "")


def test_naming_a_server_one_does_not_own_is_refused(client, entry, vendor, make_user):
    own(make_user("someone"), "theirs.example")
    own(vendor, "mine.example")
    client.force_login(vendor)
    response = client.post(URL, {"domain": "theirs.example"})
    assert response.status_code == 400
    assert "You can only name a server you own" in response.content.decode()
    response = client.post(URL, {"domain": "never-probed.example"})
    assert response.status_code == 400
    assert reference_of(entry) is None
    assert not Change.objects.filter(software=entry, field="reference_server").exists()


def test_naming_a_server_for_software_one_does_not_maintain_is_refused(
    client, entry, make_user, server
):
    outsider = make_user("outsider")
    own(outsider, "example.org")
    Software.objects.filter(pk=entry.pk).update(reference_server=None)
    client.force_login(outsider)
    assert client.post(URL, {"domain": "example.org"}).status_code == 403
    assert client.get("/software/serv/maintainers/").status_code == 403
    client.logout()
    assert client.post(URL, {"domain": "example.org"}).status_code == 403
    assert reference_of(entry) is None
    assert not Change.objects.filter(software=entry, field="reference_server").exists()


def test_a_server_another_maintainer_named_can_be_kept_or_cleared(
    client, entry, vendor, make_user, server
):
    Software.objects.filter(pk=entry.pk).update(reference_server=server)  # not vendor's
    client.force_login(vendor)
    page = client.get("/software/serv/maintainers/").content.decode()
    assert "example.org (named by another maintainer)" in page
    assert client.post(URL, {"domain": "example.org"}).status_code == 302  # unchanged
    assert reference_of(entry) == server
    assert not Change.objects.filter(software=entry, field="reference_server").exists()
    assert client.post(URL, {"domain": ""}).status_code == 302
    assert reference_of(entry) is None


def test_a_client_entry_cannot_name_a_reference_deployment(client, make_user):
    software = make_software("Cli", specs=["XEP-0030"])
    user = make_user("dev")
    add_maintainer(software, user, actor=Actor("the admin"), how="a test")
    own(user, "example.org")
    client.force_login(user)
    assert (
        '<section id="reference-server">'
        not in client.get("/software/cli/maintainers/").content.decode()
    )
    response = client.post("/software/cli/maintainers/reference-server/", {"domain": "example.org"})
    assert response.status_code == 400
    assert "Only a server entry has a reference deployment." in response.content.decode()
    assert Software.objects.get(pk=software.pk).reference_server is None


def test_the_form_needs_csrf(entry, vendor):
    from django.test import Client

    own(vendor, "example.org")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(vendor)
    assert strict.post(URL, {"domain": "example.org"}).status_code == 403
    assert reference_of(entry) is None
