"""POST probe-runs/ and GET probe-runs/{id}/: the form's submission path, its refusals as
problem+json, and a run read as it arrives in the shape of `manage.py probe --json`."""

import uuid

import pytest
from django.test import Client
from django.utils import timezone

from compliance.models import CheckResult, ProbeRun
from tests.api.conftest import matches_fixture
from tests.compliance.probing.test_pages import EVIDENCE, crash_reports, make_run
from tests.compliance.probing.test_submit import public_zone, queued  # noqa: F401 - fixtures

PROBE_JSON_KEYS = {"domain", "account", "software", "reachable", "checks", "specs", "verdicts"}


@pytest.mark.django_db(transaction=True)
def test_a_run_is_queued_with_202_and_its_url(public_zone, queued, settings):  # noqa: F811
    client = Client()
    response = client.post(
        "/api/v1/probe-runs/",
        {"domain": "Example.org", "jid": "probe@example.org", "password": "pw of the test"},
        content_type="application/json",
    )
    assert response.status_code == 202
    run = ProbeRun.objects.get()
    body = response.json()
    assert response["Location"] == f"http://testserver/api/v1/probe-runs/{run.key}/"
    assert (body["state"], body["domain"], body["account"]) == (
        "queued",
        "example.org",
        "probe@example.org",
    )
    assert body["progress"] == {"done": 0, "total": run.total_checks}
    assert "pw of the test" not in response.content.decode()
    assert queued == [run.pk]
    assert client.get(body["url"]).json()["id"] == str(run.key)


@pytest.mark.django_db(transaction=True)
def test_refusals_are_problems_and_a_limit_says_when_to_retry(public_zone, queued, settings):  # noqa: F811
    client = Client()
    bad = client.post(
        "/api/v1/probe-runs/", {"domain": "10.0.0.1"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    assert "not an IP address" in bad.json()["detail"]
    settings.PROBE_RUNS_PER_DOMAIN_HOUR = 1
    client.post("/api/v1/probe-runs/", {"domain": "example.org"}, content_type="application/json")
    ProbeRun.objects.update(state=ProbeRun.DONE)
    limited = client.post(
        "/api/v1/probe-runs/", {"domain": "example.org"}, content_type="application/json"
    )
    assert limited.status_code == 429
    assert 3500 <= int(limited["Retry-After"]) <= 3601
    assert "try again after" in limited.json()["detail"]
    missing = client.post("/api/v1/probe-runs/", {}, content_type="application/json")
    assert missing.status_code == 400


@pytest.mark.django_db
def test_a_running_run_reads_as_its_checks_arrive_with_the_specs_so_far():
    run = make_run()
    body = Client().get(f"/api/v1/probe-runs/{run.key}/").json()
    assert body.keys() >= PROBE_JSON_KEYS
    assert body["state"] == "running"
    assert body["progress"] == {"done": 1, "total": 4}
    assert body["specs"] == {"XEP-0313": "fail"}
    assert body["verdicts"] is None
    check = body["checks"][0]
    assert (check["id"], check["outcome"], check["evidence"]) == (
        "xep0313-mam",
        "fail",
        [{"kind": "received", "text": EVIDENCE}],
    )


@pytest.mark.django_db
def test_a_done_run_has_its_verdicts_and_account_evidence_is_only_for_who_asked(make_user):
    alice = make_user("alice")
    run = make_run(
        key=uuid.UUID("0f1e2d3c-4b5a-4987-a6b5-c4d3e2f1a0b9"),  # fixed: its URLs are in the fixture
        state=ProbeRun.DONE,
        finished_at=timezone.now(),
        software_name="Prosody",
        software_version="0.12.3",
        jid="probe@example.org",
        requested_by=alice,
        verdicts={"2023": {"im": {"server": {"compliant": False, "missing": ["X"]}}}},
        specs={"XEP-0313": "fail"},
    )
    anonymous = Client().get(f"/api/v1/probe-runs/{run.key}/").json()
    assert matches_fixture(anonymous, "probe-run-done")
    assert anonymous["verdicts"]["2023"]["im"]["server"]["missing"] == ["X"]
    assert anonymous["progress"] == {"done": 4, "total": 4}
    assert "evidence" not in anonymous["checks"][0]
    owner = Client()
    owner.force_login(alice)
    assert owner.get(f"/api/v1/probe-runs/{run.key}/").json()["checks"][0]["evidence"]
    assert CheckResult.objects.count() == 1


@pytest.mark.django_db
def test_an_unknown_run_is_a_404_problem():
    response = Client().get("/api/v1/probe-runs/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_a_crash_while_submitting_reports_no_password(monkeypatch, settings):
    def post(client, body):
        return client.post("/api/v1/probe-runs/", body, content_type="application/json")

    crash_reports(monkeypatch, settings, post)
