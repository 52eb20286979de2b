"""The body of a probe run in a worker: claim the run, probe, write each check's results as
it finishes, finish or fail, and always drop the password.

Safe to deliver twice: a run is claimed by one conditional update from queued to running, and
a delivery that finds it taken does nothing (results carry a unique key besides). The reaper
fails runs whose worker was lost (stuck in running past the task's hard time limit).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from compliance.bridge import run_async
from compliance.models import CheckResult, ProbedServer, ProbeRun
from compliance.probing import scheduled
from compliance.probing.credentials import unseal
from compliance.probing.submit import Account, probe_options
from compliance.versions import server_entries_changed
from probes.outcomes import Outcome
from probes.report import Report, check_outcomes
from probes.runner import run_probe, selected

log = logging.getLogger(__name__)

POSITIONS = 1000  # result positions: check index × POSITIONS + entity index


def time_limits(run_timeout: float) -> tuple[float, float]:
    """The task's soft and hard time limits, just above the probe's own bound (which includes
    its cleanups), and how long a run may stay "running" before the reaper fails it."""
    soft = run_timeout + 15
    return soft, soft + 15


def claim(run_id: int, now: datetime | None = None) -> ProbeRun | None:
    taken = ProbeRun.objects.filter(pk=run_id, state=ProbeRun.QUEUED).update(
        state=ProbeRun.RUNNING, started_at=now or timezone.now()
    )
    return ProbeRun.objects.select_related("server").get(pk=run_id) if taken else None


def _drain(reports: asyncio.Queue, first: list[Outcome] | None = None) -> list[Outcome]:
    outcomes = list(first or [])
    while not reports.empty():
        outcomes += reports.get_nowait()
    return outcomes


async def _probe(options, *, progress) -> Report:
    """run_probe, the outcomes of each finished check handed to the async `progress` at once,
    in order (the bridge runs it in the calling thread, where the ORM may be used); checks that
    finish while it writes are handed over together next (they often finish in bursts)."""
    reports: asyncio.Queue = asyncio.Queue()
    run = asyncio.ensure_future(
        run_probe(options, lambda done, total, check, outcomes: reports.put_nowait(outcomes))
    )
    while True:
        getter = asyncio.ensure_future(reports.get())
        await asyncio.wait({run, getter}, return_when=asyncio.FIRST_COMPLETED)
        if getter.done():
            await progress(_drain(reports, getter.result()))
            continue
        getter.cancel()
        if outcomes := _drain(reports):
            await progress(outcomes)
        return run.result()


def result_rows(run: ProbeRun, outcomes: list[Outcome]) -> list[CheckResult]:
    order = {check.id: index for index, check in enumerate(selected(()))}
    return [
        CheckResult(
            run=run,
            position=order.get(o.check, len(order)) * POSITIONS + i,
            check_id=o.check,
            specs=list(o.specs),
            outcome=o.outcome,
            error_kind=o.error_kind or "",
            entity=o.entity,
            detail=o.detail,
            evidence=[e.as_dict() for e in o.evidence],
            informational=o.informational,
            duration_s=round(o.duration_s, 3),
        )
        for i, o in enumerate(outcomes)
    ]


def record(run: ProbeRun, outcomes: list[Outcome]) -> None:
    """Finished checks' results, in one statement: what the run page shows as they arrive."""
    CheckResult.objects.bulk_create(result_rows(run, outcomes), ignore_conflicts=True)


def finish(run: ProbeRun, report: Report, written: set[str]) -> None:
    """The run is done: the outcomes of checks the progress did not report (cut short by the
    run's limit), what the probe read, the verdicts; the password dropped."""
    per_check = check_outcomes(report.outcomes)
    unreported = [o for o in report.outcomes if o.check not in written]
    with transaction.atomic():
        CheckResult.objects.bulk_create(result_rows(run, unreported), ignore_conflicts=True)
        ProbeRun.objects.filter(pk=run.pk).update(
            state=ProbeRun.DONE,
            finished_at=timezone.now(),
            secret=None,
            software_name=report.software.get("name") or "",
            software_version=report.software.get("version") or "",
            reachable=report.reachable,
            verdicts=report.verdicts(),
            specs=report.specs,
            passed_checks=sum(1 for outcome in per_check.values() if outcome == "pass"),
            cleanup=report.cleanup,
            duration_s=round(report.duration_s, 3),
        )
        ProbedServer.objects.filter(pk=run.server_id).update(latest_run=run.pk)
        server_entries_changed([run.server_id])  # a new evidence run of its entries


def fail(run_id: int, reason: str) -> None:
    """The run ends as failed, with the reason in words; its password is dropped."""
    ProbeRun.objects.filter(pk=run_id, state__in=ProbeRun.ACTIVE).update(
        state=ProbeRun.FAILED, finished_at=timezone.now(), error=reason, secret=None
    )


def execute(run_id: int) -> str:
    """Probe one queued run: "done", "failed", or "skipped" when it was not (any longer) queued.
    Exceptions other than the probe's own outcomes fail the run and propagate (the task's log)."""
    run = claim(run_id)
    if run is None:
        return "skipped"
    try:
        account = Account(run.jid, unseal(run.secret)) if run.jid and run.secret else None
        options = probe_options(run.server.domain, account)

        written: set[str] = set()

        def progress(outcomes: list[Outcome]) -> None:
            record(run, outcomes)
            written.update(o.check for o in outcomes)

        report = run_async(_probe, options, progress=progress)
        finish(run, report, written)
    except BaseException as exc:
        fail(run_id, failure_words(exc))
        raise
    finally:
        ProbeRun.objects.filter(pk=run_id).update(secret=None)
    try:
        scheduled.notify_changes(run)
    except Exception:  # the run is done; a mail server's trouble is only logged
        log.exception("Change notice for the probe of %s not sent", run.server.domain)
    return "done"


def failure_words(exc: BaseException) -> str:
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(exc, SoftTimeLimitExceeded):
        return "The run took longer than its time limit and was stopped."
    return f"The run failed on an error of the dashboard ({type(exc).__name__})."


def reap(now: datetime | None = None, *, stale_after: float) -> int:
    """Fail the runs stuck in running for longer than `stale_after` seconds (their worker was
    lost: killed, or its machine gone), and queued ones no worker took within a day; their
    passwords are deleted. The number of runs failed."""
    now = now or timezone.now()
    lost = ProbeRun.objects.filter(
        state=ProbeRun.RUNNING, started_at__lt=now - timedelta(seconds=stale_after)
    ).update(
        state=ProbeRun.FAILED,
        finished_at=now,
        error="The worker was lost: the run did not end within its time limit.",
        secret=None,
    )
    untaken = ProbeRun.objects.filter(
        state=ProbeRun.QUEUED, created_at__lt=now - timedelta(days=1)
    ).update(
        state=ProbeRun.FAILED,
        finished_at=now,
        error="No worker took the run within a day.",
        secret=None,
    )
    if lost or untaken:
        log.warning("Reaped %d lost and %d untaken probe runs", lost, untaken)
    return lost + untaken
