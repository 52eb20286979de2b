"""Claimed vs verified (compliance/probing/verification.py): the evidence run, each claim's
label and each verdict's basis, from runs built with the ORM."""

from datetime import UTC, datetime, timedelta

import pytest

from compliance.claims import ClaimValues, write_claims
from compliance.models import CheckResult, ProbedServer, ProbeRun, Software
from compliance.probing.verification import (
    CONTRADICTED,
    NOT_PROBED,
    SELF_ASSESSED,
    VERIFIED,
    VERIFIED_CLAIM,
    claim_labels,
    evidence_run,
    labels_for,
    probeable_specs,
    verdict_label,
)
from suites import catalogue
from suites.engine import evaluate
from tests.compliance.factories import CORE_SERVER, TEST, make_software

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)
CORE_PASSED = {"RFC 6120": "pass", "RFC 7590": "pass", "XEP-0030": "pass"}


def make_run(server, specs, *, days_ago=1, state=ProbeRun.DONE, **fields) -> ProbeRun:
    finished = NOW - timedelta(days=days_ago)
    values = {"created_at": finished - timedelta(minutes=1), "finished_at": finished, **fields}
    return ProbeRun.objects.create(
        server=server, state=state, probe_version="1.1", specs=specs, **values
    )


@pytest.fixture
def server():
    return ProbedServer.objects.create(domain="example.org")


@pytest.fixture
def entry(server):
    software = make_software("Serv", role="server", specs=[*CORE_SERVER, "XEP-0313", "XEP-0045"])
    software.reference_server = server
    software.save()
    return software


def labels(software, run):
    return labels_for(software, list(software.claims.all()), run)


def test_it_takes_the_latest_done_run_of_the_last_30_days(entry, server):
    make_run(server, CORE_PASSED, days_ago=10)
    latest = make_run(server, CORE_PASSED, days_ago=2)
    make_run(server, {}, days_ago=1, state=ProbeRun.FAILED)
    make_run(server, {}, days_ago=0, state=ProbeRun.RUNNING, finished_at=None)
    make_run(ProbedServer.objects.create(domain="other.example"), CORE_PASSED, days_ago=0)
    assert evidence_run(entry, NOW) == latest


def test_a_run_older_than_30_days_is_no_evidence(entry, server):
    make_run(server, CORE_PASSED, days_ago=31)
    assert evidence_run(entry, NOW) is None
    label = labels(entry, None)["XEP-0030"]
    assert (label.label, label.reason) == (NOT_PROBED, "no run in the last 30 days")
    assert label.run_key is None


def test_without_a_reference_server_nothing_is_probed(entry, server):
    make_run(server, CORE_PASSED)
    entry.reference_server = None
    assert evidence_run(entry, NOW) is None
    found = labels(entry, None)
    assert {label.label for label in found.values()} == {NOT_PROBED}
    assert found["RFC 6120"].reason == "no reference server"


def test_a_pass_verifies_and_a_fail_contradicts(entry, server):
    run = make_run(server, {**CORE_PASSED, "XEP-0313": "fail"})
    found = labels(entry, evidence_run(entry, NOW))
    assert found["XEP-0030"].label == VERIFIED_CLAIM == "probe-verified"
    assert (found["XEP-0030"].run_key, found["XEP-0030"].run_date) == (run.key, run.finished_at)
    assert found["XEP-0313"].label == CONTRADICTED == "contradicted"
    assert found["XEP-0313"].domain == "example.org"


def test_could_not_test_says_why_with_the_checks_own_words(entry, server):
    run = make_run(server, {**CORE_PASSED, "XEP-0045": "could_not_test"})
    CheckResult.objects.create(
        run=run,
        position=0,
        check_id="xep0045-muc",
        specs=["XEP-0045"],
        outcome="could_not_test",
        entity="example.org",
        detail="No test account: rooms need one.",
    )
    found = labels(entry, run)
    assert found["XEP-0045"].label == NOT_PROBED
    assert found["XEP-0045"].reason == "could not be tested there: No test account: rooms need one."
    assert found["XEP-0045"].run_key == run.key


def test_xep_0114_is_never_probeable(entry, server):
    assert "XEP-0114" not in probeable_specs()
    assert "XEP-0030" in probeable_specs()
    run = make_run(server, {**CORE_PASSED, "XEP-0114": "could_not_test"})
    label = labels(entry, run)["XEP-0114"]
    assert (label.label, label.reason) == (NOT_PROBED, "not probeable by the probe")


def test_a_spec_no_check_of_the_run_tested_is_not_probed(entry, server):
    run = make_run(server, CORE_PASSED)  # no XEP-0313 in this run
    label = labels(entry, run)["XEP-0313"]
    assert (label.label, label.reason) == (
        NOT_PROBED,
        "could not be tested there: no check of it ran",
    )


def test_only_claims_of_support_get_a_label(entry, server):
    write_claims(
        entry,
        actor=TEST,
        put=[
            ClaimValues("XEP-0313", "self", "planned"),  # over the DOAP's complete
            ClaimValues("XEP-0363", "doap", "wontfix"),
            ClaimValues("XEP-0191", "doap", "partial"),
            ClaimValues("XEP-0280", "doap", "complete", since_version="9.0"),
        ],
    )
    Software.objects.filter(pk=entry.pk).update(current_version="1.0")
    entry.refresh_from_db()
    run = make_run(server, {"XEP-0313": "fail", "XEP-0363": "fail", "XEP-0191": "fail"})
    found = labels(entry, run)
    assert "XEP-0313" not in found  # planned: nothing claimed to contradict
    assert "XEP-0363" not in found
    assert "XEP-0280" not in found  # only since a newer version than the current one
    assert found["XEP-0191"].label == CONTRADICTED  # partial is a claim of support


def test_clients_and_libraries_get_no_labels(server):
    software = make_software("Cli", specs=["XEP-0030"], reference_server=server)
    make_run(server, CORE_PASSED)
    assert evidence_run(software, NOW) is None
    assert labels(software, make_run(server, CORE_PASSED)) == {}


def test_claim_labels_is_pure_over_a_run_without_untested_specs(
    entry, server, django_assert_num_queries
):
    run = make_run(server, {**CORE_PASSED, "XEP-0313": "fail"})
    claims = list(entry.claims.all())
    with django_assert_num_queries(0):
        found = claim_labels(claims, run)
    assert found["RFC 6120"].label == VERIFIED_CLAIM


def verdict(software, year=2023, category="core", level="server"):
    return evaluate(catalogue.suite(year), category, level, software.statuses, software.profile)


def test_a_verdict_is_verified_when_every_probeable_spec_it_relies_on_passed(entry, server):
    run = make_run(server, {**CORE_PASSED, "XEP-0114": "could_not_test"})
    label = verdict_label(verdict(entry), run)
    assert label.label == VERIFIED == "verified"
    assert label.basis_words() == "verified by the probe of example.org on 2025-06-29"
    assert label.contradicted == ()


def test_a_verdict_is_self_assessed_when_a_relied_spec_did_not_pass(entry, server):
    run = make_run(server, {"RFC 6120": "pass", "RFC 7590": "fail", "XEP-0030": "could_not_test"})
    label = verdict_label(verdict(entry), run)
    assert label.label == SELF_ASSESSED == "self-assessed"
    assert label.contradicted == ("RFC 7590",)
    assert label.contradiction_words() == "; contradicted by the probe of example.org: RFC 7590"
    assert verdict_label(verdict(entry), None).label == SELF_ASSESSED


def test_a_verdict_not_met_or_of_a_client_is_self_assessed(entry, server):
    run = make_run(server, {**CORE_PASSED, "XEP-0313": "pass", "XEP-0045": "pass"})
    missing = verdict(entry, category="im")  # lacks RFC 6121 and more
    assert not missing.compliant
    assert verdict_label(missing, run).label == SELF_ASSESSED
    client = make_software("Cli", specs=["RFC 6120", "RFC 7590", "XEP-0030", "XEP-0115"])
    assert verdict_label(verdict(client, level="client"), run).label == SELF_ASSESSED
