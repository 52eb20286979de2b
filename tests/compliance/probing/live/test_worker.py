"""Runs submitted to the service end in a real worker with the CLI's outcomes, written check by
check; a run delivered twice is probed once; the password is gone at the end, whatever it."""

import asyncio
import time

import pytest

from compliance.models import CheckResult, ProbedServer, ProbeRun
from compliance.probing import worker
from compliance.probing.credentials import CredentialsLost, seal
from compliance.probing.submit import Account, probe_options, submit
from compliance.tasks import probe_run
from probes.outcomes import best
from probes.report import check_outcomes
from probes.runner import run_probe, selected
from tests.servers.prosody import DOMAIN, PASSWORD, USER

pytestmark = pytest.mark.prosody
JID = f"{USER}@{DOMAIN}"


def wait_for_end(run: ProbeRun, timeout: float = 90) -> ProbeRun:
    deadline = time.monotonic() + timeout
    while run.active and time.monotonic() < deadline:
        time.sleep(0.1)
        run.refresh_from_db()
    assert not run.active, f"the run is still {run.state}"
    return run


def stored_outcomes(run: ProbeRun) -> dict[str, str]:
    rows = CheckResult.objects.filter(run=run).values_list("check_id", "outcome")
    found: dict[str, list[str]] = {}
    for check, outcome in rows:
        found.setdefault(check, []).append(outcome)
    return {check: best(outcomes) for check, outcomes in found.items()}


def test_a_submitted_run_ends_with_the_outcomes_of_the_cli(probe_worker):
    run = submit(DOMAIN, jid=JID, password=PASSWORD)
    run = wait_for_end(run)
    assert run.state == ProbeRun.DONE, run.error
    assert run.secret is None
    assert run.software_name == "Prosody"
    assert len(stored_outcomes(run)) == run.total_checks
    direct = asyncio.run(run_probe(probe_options(DOMAIN, Account(JID, PASSWORD))))
    assert stored_outcomes(run) == check_outcomes(direct.outcomes)
    assert run.specs == direct.specs
    assert run.verdicts == direct.verdicts()
    assert run.passed_checks == sum(
        1 for o in check_outcomes(direct.outcomes).values() if o == "pass"
    )
    assert run.server.latest_run_id == run.pk


def queued_run(account: bool = True) -> ProbeRun:
    """A run as a submission leaves it, not handed to a worker (the test runs it)."""
    server, _ = ProbedServer.objects.get_or_create(domain=DOMAIN)
    return ProbeRun.objects.create(
        server=server,
        probe_version="test",
        total_checks=len(selected(())),
        jid=JID if account else "",
        secret=seal(PASSWORD) if account else None,
    )


def test_results_are_written_as_each_check_finishes(probe_settings, transactional_db, monkeypatch):
    run = queued_run()
    seen = []
    record = worker.record

    def spying(run_, outcomes):
        record(run_, outcomes)
        rows = CheckResult.objects.filter(run=run_)
        seen.append((len(set(rows.values_list("check_id", flat=True))), rows.count()))

    monkeypatch.setattr(worker, "record", spying)
    assert worker.execute(run.pk) == "done"
    assert len(seen) > 2  # as they finish, not once at the end
    dones = [done for done, _ in seen]
    assert dones == sorted(dones)
    assert dones[-1] == run.total_checks
    counts = [count for _, count in seen]
    assert counts == sorted(counts)
    assert 0 < counts[0] < counts[-1]


def test_a_run_delivered_twice_is_probed_once(probe_worker):
    run = queued_run(account=False)
    first, second = probe_run.delay(run.pk), probe_run.delay(run.pk)
    assert sorted([first.get(timeout=90), second.get(timeout=90)]) == ["done", "skipped"]
    run.refresh_from_db()
    rows = CheckResult.objects.filter(run=run)
    assert rows.count() == len({(r.check_id, r.entity) for r in rows})
    assert worker.execute(run.pk) == "skipped"
    assert CheckResult.objects.filter(run=run).count() == rows.count()


def test_a_password_that_cannot_be_read_fails_the_run_and_is_dropped(
    probe_settings, transactional_db
):
    run = queued_run()
    ProbeRun.objects.filter(pk=run.pk).update(secret=b"not a fernet token")
    with pytest.raises(CredentialsLost):
        worker.execute(run.pk)
    run.refresh_from_db()
    assert (run.state, run.secret) == (ProbeRun.FAILED, None)
    assert "error of the dashboard (CredentialsLost)" in run.error


@pytest.mark.parametrize("behaviour", ["silent", "endless"])
def test_a_hostile_server_ends_as_errors_within_the_bound(
    behaviour, transactional_db, probe_settings, pki
):
    from tests.servers import LOOPBACK, hostile
    from tests.servers.dns import LoopbackDNS, Zone

    probe_settings.PROBE_TIMEOUT = 8.0
    with hostile.HostileServer(getattr(hostile, behaviour)) as server:
        zone = Zone().address("xmpp.hostile.test", "127.0.0.1")
        zone.srv("_xmpp-client._tcp.hostile.test", "xmpp.hostile.test", server.port)
        with LoopbackDNS(zone) as dns:
            probe_settings.PROBE_NAMESERVER = dns.nameserver
            probe_settings.PROBE_ALLOW_NETWORKS = list(LOOPBACK)
            site = ProbedServer.objects.create(domain="hostile.test")
            run = ProbeRun.objects.create(
                server=site,
                probe_version="test",
                total_checks=len(selected(())),
                jid="tester@hostile.test",
                secret=seal(PASSWORD),
            )
            start = time.monotonic()
            assert worker.execute(run.pk) == "done"
            elapsed = time.monotonic() - start
    run.refresh_from_db()
    assert elapsed < 8.0 + 3
    assert run.secret is None
    outcomes = set(CheckResult.objects.filter(run=run).values_list("outcome", flat=True))
    assert "pass" not in outcomes
    kinds = set(
        CheckResult.objects.filter(run=run, outcome="error").values_list("error_kind", flat=True)
    )
    assert kinds <= {"timeout", "network", "protocol"}
    assert kinds
