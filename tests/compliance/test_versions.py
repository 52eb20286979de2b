"""Cached badges and API readings change right after every write of what they show, with the
database's stamps and with Redis's tokens (compliance/versions.py), and a cached one costs a
fixed number of queries (one, none with Redis) however many claims the entry has."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from compliance.claims import ClaimValues, write_claims
from compliance.entries import write_entry
from compliance.models import Claim, ProbedServer, ProbeRun, Software
from compliance.pages.rendered import reading_key, store
from compliance.probing import worker
from compliance.versions import entry_version
from probes.outcomes import Outcome
from probes.report import Report
from tests.compliance.factories import CORE_CLIENT, CORE_SERVER, IM_CLIENT, TEST, make_software

pytestmark = pytest.mark.django_db

CELL = "/badge/chatty/2023/im/client.json"
SUMMARY = "/badge/chatty/2023.json"
SERVER_CELL = "/badge/serv/2023/core/server.json"
CORE_PASSED = {"RFC 6120": "pass", "RFC 7590": "pass", "XEP-0030": "pass"}


def message(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.json()["message"]


def title(client, path: str) -> str:
    return client.get(path.replace(".json", ".svg")).content.decode().split("<title>")[1]


def api(path: str) -> dict:
    response = APIClient().get(f"/api/v1/software/{path}")
    assert response.status_code == 200, response.content
    return response.json()


def im_cells(verdicts: dict) -> dict:
    return {level: cell["compliant"] for level, cell in verdicts["years"]["2023"]["im"].items()}


@pytest.fixture
def chatty(db):
    return make_software("Chatty", specs=CORE_CLIENT)


def test_a_claim_write_changes_the_cached_badge_and_readings(versions, client, chatty):
    assert message(client, CELL) == message(client, CELL) == "not compliant"
    assert message(client, SUMMARY) == "Core"
    assert im_cells(api("chatty/verdicts/"))["client"] is False
    assert "XEP-0045" not in {claim["spec"] for claim in api("chatty/")["claims"]}
    write_claims(
        chatty, actor=TEST, put=[ClaimValues(s, Claim.SELF, "complete") for s in IM_CLIENT]
    )
    assert message(client, CELL) == "compliant"
    assert message(client, SUMMARY) == "Core · IM"
    assert im_cells(api("chatty/verdicts/"))["client"] is True
    assert "XEP-0045" in {claim["spec"] for claim in api("chatty/")["claims"]}
    write_claims(chatty, actor=TEST, remove=[(IM_CLIENT[0], Claim.SELF)])
    assert message(client, CELL) == "not compliant"


def test_an_entry_edit_changes_the_cached_badge_and_readings(versions, client, chatty):
    assert title(client, CELL).startswith("Chatty: ")
    assert api("chatty/")["current_version"] == ""
    write_entry(chatty, actor=TEST, name="Chatty Pro", current_version="2.0")
    assert title(client, CELL).startswith("Chatty Pro: ")
    assert "as of version 2.0" in title(client, SUMMARY)
    assert api("chatty/")["current_version"] == "2.0"


def test_a_claim_since_a_newer_version_counts_once_the_entry_reaches_it(versions, client, chatty):
    since = [ClaimValues(s, Claim.SELF, "complete", since_version="3.0") for s in IM_CLIENT]
    write_entry(chatty, actor=TEST, current_version="2.0")
    write_claims(chatty, actor=TEST, put=since)
    assert message(client, CELL) == "not compliant"
    write_entry(chatty, actor=TEST, current_version="3.0")
    assert message(client, CELL) == "compliant"


def test_a_renamed_or_deleted_entry_leaves_no_cached_badge(versions, client, chatty):
    assert message(client, CELL) == "not compliant"
    chatty.slug = "chatty-im"
    write_entry(chatty, actor=TEST)  # as the admin saves a new slug
    assert message(client, CELL) == "unknown"
    assert message(client, "/badge/chatty-im/2023/im/client.json") == "not compliant"
    assert APIClient().get("/api/v1/software/chatty/").status_code == 404
    Software.objects.filter(pk=chatty.pk).delete()
    assert message(client, "/badge/chatty-im/2023/im/client.json") == "unknown"
    assert APIClient().get("/api/v1/software/chatty-im/").status_code == 404


def test_any_save_of_the_row_changes_the_cached_badge(versions, client, chatty):
    assert title(client, CELL).startswith("Chatty: ")
    chatty.name = "Chatty Lite"
    chatty.save()
    assert title(client, CELL).startswith("Chatty Lite: ")


def test_bookkeeping_updates_change_the_cached_reading(versions, chatty):
    """A DOAP refresh's error and an ownership proof are written by queryset updates."""
    assert api("chatty/")["doap_fetch_error"] == ""
    Software.objects.filter(pk=chatty.pk).update(doap_fetch_error="HTTP 500")
    assert api("chatty/")["doap_fetch_error"] == "HTTP 500"
    Software.objects.filter(pk=chatty.pk).update(unverified=True)
    assert api("chatty/")["unverified"] is True


# A server entry's evidence: its reference deployment's latest done run of the last 30 days.


@pytest.fixture
def server(db):
    return ProbedServer.objects.create(domain="example.org")


@pytest.fixture
def serv(server):
    return make_software("Serv", role="server", specs=CORE_SERVER, reference_server=server)


def done_run(server, specs, *, days_ago: float = 1) -> ProbeRun:
    finished = timezone.now() - timedelta(days=days_ago)
    return ProbeRun.objects.create(
        server=server,
        state=ProbeRun.DONE,
        created_at=finished - timedelta(minutes=1),
        finished_at=finished,
        probe_version="1.1",
        specs=specs,
    )


def core_basis() -> str:
    return api("serv/verdicts/")["years"]["2023"]["core"]["server"]["basis"]


def test_a_new_run_changes_the_cached_badge_and_readings(versions, client, serv, server):
    assert message(client, SERVER_CELL) == "compliant · self-assessed"
    assert core_basis() == "self-assessed"
    assert api("serv/")["claims"][0]["probe"]["reason"] == "no run in the last 30 days"
    done_run(server, CORE_PASSED)
    assert message(client, SERVER_CELL) == "compliant · verified"
    assert core_basis() == "verified"
    assert api("serv/")["claims"][0]["probe"]["label"] == "probe-verified"
    done_run(server, {**CORE_PASSED, "XEP-0030": "fail"}, days_ago=0.5)
    assert message(client, SERVER_CELL) == "compliant · self-assessed"
    assert "contradicted by the probe of example.org: XEP-0030" in title(client, SERVER_CELL)


def test_a_run_the_worker_finishes_changes_the_cached_badge(versions, client, serv, server):
    """The worker ends a run with a queryset update, which no signal sees."""
    assert message(client, SERVER_CELL) == "compliant · self-assessed"
    run = ProbeRun.objects.create(server=server, state=ProbeRun.RUNNING, probe_version="1.1")
    checks = [("rfc6120-stream", "RFC 6120"), ("rfc7590-tls", "RFC 7590")]
    checks.append(("xep0030-disco", "XEP-0030"))
    outcomes = [Outcome(check, (spec,), "pass", "example.org", "ok") for check, spec in checks]
    report = Report("example.org", None, {}, True, outcomes, 1.0)
    worker.finish(run, report, set())
    assert message(client, SERVER_CELL) == "compliant · verified"


def test_a_cached_badge_turns_self_assessed_when_its_run_is_30_days_old(
    versions, client, serv, server, monkeypatch
):
    done_run(server, CORE_PASSED, days_ago=29.9)
    assert message(client, SERVER_CELL) == "compliant · verified"
    assert core_basis() == "verified"
    later = timezone.now() + timedelta(days=0.2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert message(client, SERVER_CELL) == "compliant · self-assessed"
    assert core_basis() == "self-assessed"


def test_a_deleted_reference_server_changes_the_cached_badge(versions, client, serv, server):
    done_run(server, CORE_PASSED)
    assert message(client, SERVER_CELL) == "compliant · verified"
    server.delete()  # the entry's reference is cleared by the database's cascade
    assert message(client, SERVER_CELL) == "compliant · self-assessed"
    assert api("serv/")["claims"][0]["probe"]["reason"] == "no reference server"


# Queries of a cached request, whatever the claims.

READS = [
    "/badge/{slug}/2023/im/client.svg",
    "/badge/{slug}/latest.svg",
    "/api/v1/software/{slug}/",
    "/api/v1/software/{slug}/verdicts/",
]
# The suites' specs first, then other XEPs: up to 100 claims.
MANY = CORE_CLIENT + IM_CLIENT + [f"XEP-{n:04d}" for n in range(500, 600)]


def cached_queries(client, path: str) -> int:
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", READS)
def test_a_cached_read_makes_queries_independent_of_the_claims(versions, client, path):
    few = make_software("Few", specs=CORE_CLIENT[:5])
    many = make_software("Many", specs=MANY[:100])
    counts = [cached_queries(client, path.format(slug=s.slug)) for s in (few, many)]
    assert counts == [0, 0] if versions == "redis" else [1, 1]


@pytest.mark.parametrize("path", ["/badge/serv/2023/core/server.svg", "/api/v1/software/serv/"])
def test_a_cached_read_of_a_verified_server_makes_queries_of_its_own(versions, client, path, serv):
    done_run(serv.reference_server, CORE_PASSED)
    assert cached_queries(client, path) == (0 if versions == "redis" else 2)  # and its run


def test_an_unknown_entry_is_never_cached(versions, client):
    assert message(client, "/badge/nobody/2023/im/client.json") == "unknown"
    make_software("Nobody", specs=CORE_CLIENT)
    assert message(client, "/badge/nobody/2023/core/client.json") == "compliant"


def test_the_badge_bytes_and_etag_are_the_same_cached_or_not(versions, client, chatty):
    first, second = client.get(CELL), client.get(CELL)
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert json.loads(first.content)["label"] == "XMPP 2023 · IM · Client"
    assert client.get(CELL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_the_commit_drops_a_version_a_request_made_before_it(
    versions, client, chatty, django_capture_on_commit_callbacks
):
    """Between a write and its commit another process may make a new token and render, under
    it, what was committed before: the commit drops that token too."""
    if versions != "redis":
        pytest.skip("the database's stamp moves with the commit itself")
    before = client.get(CELL).content
    im = [ClaimValues(spec, Claim.SELF, "complete") for spec in IM_CLIENT]
    with django_capture_on_commit_callbacks() as callbacks:
        write_claims(chatty, actor=TEST, put=im)
        now = timezone.now()
        version = entry_version("chatty", now)  # the other process's new token ...
        address = ("cell", "chatty", "2023", "im", "client", "json")
        store(reading_key("badge", *address, version.text), before, "chatty", version, now)
        assert message(client, CELL) == "not compliant"  # ... and what it rendered
    for callback in callbacks:  # the commit
        callback()
    assert message(client, CELL) == "compliant"
