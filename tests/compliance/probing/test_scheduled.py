"""Owners' daily re-probes and the e-mail when an outcome changed; the reaper as beat runs it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from compliance.models import CheckResult, ProbedServer, ProbeRun, ServerOwner
from compliance.probing import scheduled, worker
from compliance.probing.credentials import seal, unseal
from compliance.tasks import STALE_AFTER, probe_reaper
from tests.compliance.probing.test_submit import PASSWORD, public_zone, queued  # noqa: F401


def done_run(server, outcomes: dict[str, str], **fields) -> ProbeRun:
    run = ProbeRun.objects.create(
        server=server, state=ProbeRun.DONE, finished_at=timezone.now(), **fields
    )
    for position, (check, outcome) in enumerate(outcomes.items()):
        CheckResult.objects.create(
            run=run,
            position=position,
            check_id=check,
            outcome=outcome,
            error_kind="timeout" if outcome == "error" else "",
            entity="example.org",
            detail="…",
        )
    return run


@pytest.mark.django_db(transaction=True)
def test_owners_who_stored_an_account_get_one_scheduled_run_a_server(
    public_zone,  # noqa: F811
    queued,  # noqa: F811
    make_user,
):
    server = ProbedServer.objects.create(domain="example.org")
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    for user in (alice, bob):
        ServerOwner.objects.create(
            server=server,
            user=user,
            how="DNS TXT",
            jid=f"{user.username}@example.org",
            secret=seal(PASSWORD),
            reprobe_daily=True,
        )
    ServerOwner.objects.create(server=server, user=carol, how="DNS TXT", reprobe_daily=True)
    assert scheduled.queue_reprobes() == 1
    run = ProbeRun.objects.get()
    assert (run.scheduled, run.jid, run.requested_by) == (True, "alice@example.org", alice)
    assert unseal(run.secret) == PASSWORD
    assert queued == [run.pk]
    assert scheduled.queue_reprobes() == 0  # that run is still active


@pytest.mark.django_db
def test_subscribed_owners_are_told_which_outcomes_changed(smtp, make_user):
    server = ProbedServer.objects.create(domain="example.org")
    owner = ServerOwner.objects.create(
        server=server, user=make_user("alice"), how="DNS TXT", notify=True
    )
    ServerOwner.objects.create(server=server, user=make_user("bob"), how="DNS TXT")
    first = done_run(server, {"xep0313-mam": "pass", "xep0363-upload": "fail"})
    assert scheduled.notify_changes(first) == 0  # nothing to compare with
    same = done_run(server, {"xep0313-mam": "pass", "xep0363-upload": "fail"})
    assert scheduled.notify_changes(same) == 0
    changed = done_run(server, {"xep0313-mam": "error", "xep0363-upload": "pass"})
    assert scheduled.notify_changes(changed) == 1
    message = smtp.wait(1)[0]
    assert message["To"] == owner.user.email
    assert message["Subject"].endswith("example.org: 2 outcomes changed")
    body = message.get_payload(decode=True).decode()
    assert "xep0313-mam: pass → error" in body
    assert "xep0363-upload: fail → pass" in body
    assert f"/probe/runs/{changed.key}/" in body


@pytest.mark.django_db
def test_the_reaper_task_fails_lost_runs_and_untaken_ones():
    server = ProbedServer.objects.create(domain="example.org")
    now = timezone.now()
    lost = ProbeRun.objects.create(
        server=server,
        state=ProbeRun.RUNNING,
        started_at=now - timedelta(seconds=STALE_AFTER + 5),
        jid="p@example.org",
        secret=seal(PASSWORD),
    )
    alive = ProbeRun.objects.create(
        server=server, state=ProbeRun.RUNNING, started_at=now, secret=seal(PASSWORD)
    )
    untaken = ProbeRun.objects.create(server=server, created_at=now - timedelta(days=2))
    assert probe_reaper() == 2
    for run in (lost, alive, untaken):
        run.refresh_from_db()
    assert (lost.state, lost.secret) == (ProbeRun.FAILED, None)
    assert "worker was lost" in lost.error
    assert (alive.state, alive.secret is not None) == (ProbeRun.RUNNING, True)
    assert (untaken.state, untaken.error) == (
        ProbeRun.FAILED,
        "No worker took the run within a day.",
    )
    assert worker.reap(now, stale_after=STALE_AFTER) == 0
