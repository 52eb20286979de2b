"""servers/ and servers/{domain}/ against JSON fixture files: the latest verdicts, each check's
history and the runs (each linking to probe-runs/{id}/), evidence of a run with a test account
only for who may see it, 404s and bad filters as problems, and queries that do not grow with
the runs or the servers."""

from uuid import UUID

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from compliance.models import CheckResult, ProbedServer, ProbeRun, ServerOwner, Software
from compliance.probing.credentials import seal
from compliance.probing.ownership import SESSION_RUNS
from tests.api.conftest import matches_fixture
from tests.compliance.probing.runs import START, add_run

pytestmark = pytest.mark.django_db

HISTORY = [
    {"rfc6120-stream": "pass", "xep0313-mam": "fail", "xep0030-disco": "pass"},
    {"rfc6120-stream": "pass", "xep0313-mam": "fail", "xep0030-disco": "pass"},
    {"rfc6120-stream": "pass", "xep0313-mam": "pass", "xep0030-disco": "error"},
]
PASSWORD = "the test account's password"


def key(n: int) -> UUID:
    return UUID(int=n)


@pytest.fixture
def servers(make_user):
    """example.org: three done runs (the latest with a test account, asked by alice), a failed
    one and one queued with its sealed password; queued.example: no finished run."""
    Software.objects.create(name="Prosody", slug="prosody", role="server")
    server = ProbedServer.objects.create(domain="example.org")
    alice = make_user("alice")
    for day, outcomes in enumerate(HISTORY):
        account = {"jid": "probe@example.org", "requested_by": alice} if day == 2 else {}
        fields = {"software_name": "Prosody", "software_version": "0.12.4", **account}
        add_run(server, outcomes, day=day, key=key(day + 1), scheduled=day == 1, **fields)
    CheckResult.objects.filter(outcome="error").update(error_kind="timeout")  # as the probe says
    ProbeRun.objects.create(
        server=server,
        key=key(4),
        state=ProbeRun.FAILED,
        created_at=START.replace(day=5),
        probe_version="1.1",
        error="The worker was lost: the run did not end within its time limit.",
    )
    ProbeRun.objects.create(
        server=server,
        key=key(5),
        created_at=START.replace(day=6),
        probe_version="1.1",
        jid="probe@example.org",
        secret=seal(PASSWORD),
        total_checks=3,
    )
    ProbedServer.objects.create(domain="queued.example")
    return server


def get(api, url, status=200):
    response = api.get(url)
    assert response.status_code == status, response.content[:500]
    return response.json()


def test_it_lists_the_servers_with_their_latest_verdicts(api, servers):
    data = get(api, "/api/v1/servers/")
    assert matches_fixture(data, "servers")
    example, queued = data["results"]
    assert example["latest_run"]["url"] == f"http://testserver/api/v1/probe-runs/{key(3)}/"
    assert example["software"]["url"] == "http://testserver/api/v1/software/prosody/"
    assert example["verdicts"]["2023"]["core"]["server"]["compliant"] is True
    assert (queued["latest_run"], queued["software"], queued["verdicts"]) == (None, None, None)
    page = get(api, "/api/v1/servers/?page_size=1&page=2")
    assert (page["count"], [s["domain"] for s in page["results"]]) == (2, ["queued.example"])


def test_it_filters_the_servers_by_a_cell_their_latest_run_met(api, servers):
    domains = lambda query: [s["domain"] for s in get(api, f"/api/v1/servers/?{query}")["results"]]  # noqa: E731
    assert domains("compliant=2023/core/server") == ["example.org"]
    assert domains("compliant=2023/core/advanced-server") == []
    assert domains("compliant=2023/im/server") == []
    assert domains("compliant=2019/core/server") == []  # not judged by the stored runs
    assert domains("compliant=") == ["example.org", "queued.example"]  # empty: any


@pytest.mark.parametrize(
    "query",
    ["compliant=2023/im/client", "compliant=1999/core/server", "compliant=2023/core", "page=0"],
)
def test_it_refuses_a_bad_filter_with_a_problem(api, servers, query):
    response = api.get(f"/api/v1/servers/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"].startswith(query.split("=")[0])


def test_it_gives_a_server_with_its_verdicts_checks_and_runs(api, servers):
    data = get(api, "/api/v1/servers/example.org/")
    assert matches_fixture(data, "server-example-org")
    assert [run["id"] for run in data["runs"]] == [str(key(n)) for n in (5, 4, 3, 2, 1)]
    assert all(run["url"].endswith(f"/api/v1/probe-runs/{run['id']}/") for run in data["runs"])
    checks = {check["id"]: check for check in data["checks"]}
    mam, disco = checks["xep0313-mam"], checks["xep0030-disco"]
    assert (mam["outcome"], mam["since"]["id"], mam["runs_since"]) == ("pass", str(key(3)), 1)
    assert (mam["last_changed"]["id"], mam["last_changed"]["was"]) == (str(key(2)), "fail")
    assert (disco["outcome"], disco["last_changed"]["was"]) == ("error", "pass")
    assert checks["rfc6120-stream"]["last_changed"] is None
    for run in data["runs"]:
        assert api.get(run["url"]).status_code == 200


def test_its_runs_and_results_never_hold_a_password(api, servers, make_user):
    ServerOwner.objects.create(server=servers, user=make_user("carol"), how="DNS TXT")
    api.force_authenticate(ServerOwner.objects.get().user)
    for url in ("/api/v1/servers/", "/api/v1/servers/example.org/"):
        text = api.get(url).content.decode()
        assert PASSWORD not in text
        assert "secret" not in text
        assert "password" not in text


def evidence_of(client, domain: str = "example.org") -> tuple[bool, list]:
    data = get(client, f"/api/v1/servers/{domain}/")
    return data["evidence_shown"], [result.get("evidence") for result in data["results"]]


def test_evidence_of_a_run_with_an_account_is_only_for_who_asked_and_the_owners(servers, make_user):
    anonymous = APIClient()
    assert evidence_of(anonymous) == (False, [None, None, None])
    bob = APIClient()
    bob.force_authenticate(make_user("bob"))
    assert evidence_of(bob) == (False, [None, None, None])
    shown = [[{"kind": "received", "text": f"<iq>{check} evidence</iq>"}] for check in HISTORY[2]]
    alice = APIClient()
    alice.force_login(ProbeRun.objects.get(key=key(3)).requested_by)
    assert evidence_of(alice) == (True, shown)
    carol = make_user("carol")
    ServerOwner.objects.create(server=servers, user=carol, how="DNS TXT")
    owner = APIClient()
    owner.force_authenticate(carol)
    assert evidence_of(owner) == (True, shown)
    submitter = APIClient()
    session = submitter.session
    session[SESSION_RUNS] = [str(key(3))]
    session.save()
    assert evidence_of(submitter) == (True, shown)


def test_evidence_of_a_run_without_an_account_is_public(api):
    server = ProbedServer.objects.create(domain="open.example")
    add_run(server, {"rfc6120-stream": "pass"})
    shown, [evidence] = evidence_of(api, "open.example")
    assert shown is True
    assert evidence == [{"kind": "received", "text": "<iq>rfc6120-stream evidence</iq>"}]


def test_a_server_without_a_finished_run_has_only_its_runs(api, servers):
    data = get(api, "/api/v1/servers/queued.example/")
    assert (data["latest_run"], data["verdicts"], data["software"]) == (None, None, None)
    assert (data["results"], data["checks"], data["runs"]) == ([], [], [])
    assert data["evidence_shown"] is False


def test_a_failed_check_carries_the_hint_for_the_servers_software(api):
    server = ProbedServer.objects.create(domain="hinted.example")
    add_run(server, {"xep0313-mam": "fail"}, software_name="Prosody", software_version="0.12.4")
    [result] = get(api, "/api/v1/servers/hinted.example/")["results"]
    assert result["outcome"] == "fail"
    assert result["hint"]["software"] == "Prosody"
    assert result["hint"]["text"]
    assert result["hint"]["source"].startswith("https://")


def test_an_unknown_server_is_a_404_problem_and_other_spellings_redirect(api, servers):
    for domain in ("unknown.example", "not a domain", "10.0.0.1", "a%00b"):  # NUL: on PostgreSQL
        response = api.get(f"/api/v1/servers/{domain}/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["detail"] == "No server of that domain was probed."
    response = api.get("/api/v1/servers/EXAMPLE.org/")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/servers/example.org/"


def test_it_answers_if_none_match_with_304_until_a_new_run(api, servers):
    for url in ("/api/v1/servers/", "/api/v1/servers/example.org/"):
        etag = api.get(url)["ETag"]
        assert etag
        assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
        add_run(servers, {"rfc6120-stream": "fail"}, day=10)
        assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def queries(url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert APIClient().get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("runs", [2, 100])
def test_a_server_is_read_in_five_queries_however_many_runs(runs):
    """The server, its runs, the latest run's results, its software's entry, every result."""
    Software.objects.create(name="Prosody", slug="prosody", role="server")
    server = ProbedServer.objects.create(domain="example.org")
    outcomes = {check: "pass" for check in HISTORY[0]}
    for day in range(runs):
        add_run(server, outcomes, day=day, software_name="Prosody", jid="probe@example.org")
    assert queries("/api/v1/servers/example.org/") == 5


@pytest.mark.parametrize("count", [5, 100])
def test_the_servers_are_listed_in_two_queries_however_many(count):
    """The servers with their latest runs, and the entries their software links to."""
    Software.objects.create(name="Prosody", slug="prosody", role="server")
    for i in range(count):
        server = ProbedServer.objects.create(domain=f"s{i:03d}.example")
        add_run(server, {"rfc6120-stream": "pass"}, software_name="Prosody")
    assert queries("/api/v1/servers/?compliant=2023/core/server") == 2
    assert queries("/api/v1/servers/") == 2
