"""Run the checks of one probe concurrently over one session, every one of them bounded in time.

All checks start at once; those needing the main session wait for the same login. Each check has
its own time limit and the whole run has one: a check still running at the end of the run is
cancelled (its cleanups still run) and reported as a timeout. Side effects left behind by a
check that could not undo them are swept before the streams close.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Callable

from probes import xmpp
from probes.checks import CHECKS
from probes.options import Options
from probes.outcomes import ERROR, TIMEOUT, Outcome
from probes.probe import Check, Context, Probe
from probes.report import Report

CLEANUP_GRACE = 5.0  # seconds of the run kept for cleanups and closing

Progress = Callable[[int, int, Check, list[Outcome]], None]


async def run_check(probe: Probe, check: Check) -> list[Outcome]:
    """One check's outcomes (several for per-component checks), with its duration."""
    ctx = Context(probe, check)
    start = time.monotonic()
    try:
        async with asyncio.timeout(probe.options.check_timeout):
            result = await check.run(ctx)
    except Exception as exc:  # every failure becomes an outcome with its plain-language cause
        result = ctx.from_exception(exc)
    outcomes = result if isinstance(result, list) else [result]
    duration = time.monotonic() - start
    return [dataclasses.replace(o, duration_s=duration) for o in outcomes]


def _cut_short(probe: Probe, check: Check) -> Outcome:
    ctx = Context(probe, check)
    limit = probe.options.run_timeout
    return ctx.outcome(ERROR, f"The run's time limit ({limit:g} s) was reached.", kind=TIMEOUT)


async def software(probe: Probe) -> dict[str, str | None]:
    """The server's XEP-0092 name and version, when it tells them to the test account."""
    unknown = {"name": None, "version": None}
    if not probe.account:
        return unknown
    ctx = Context(probe, Check("software", (), "Software version", lambda c: None))
    try:
        reply = await ctx.iq("get", probe.options.domain, xmpp.el(xmpp.tag(xmpp.VERSION, "query")))
    except Exception:  # optional information: its absence is not an outcome
        return unknown
    query = xmpp.child(reply, xmpp.VERSION, "query")
    if query is None:
        return unknown
    return {
        "name": query.findtext(xmpp.tag(xmpp.VERSION, "name")) or None,
        "version": query.findtext(xmpp.tag(xmpp.VERSION, "version")) or None,
    }


def selected(only: tuple[str, ...]) -> list[Check]:
    if not only:
        return list(CHECKS)
    unknown = set(only) - {c.id for c in CHECKS}
    if unknown:
        raise ValueError(f"Unknown check ids: {', '.join(sorted(unknown))}")
    return [c for c in CHECKS if c.id in only]


async def run_probe(options: Options, progress: Progress | None = None) -> Report:
    """Probe a server: every selected check, concurrently, within options.run_timeout.

    The checks get the run's time limit minus a grace period, which is kept for the cleanups
    of cancelled checks, the final sweep and closing the streams.
    """
    start = time.monotonic()
    deadline = start + options.run_timeout
    grace = min(CLEANUP_GRACE, options.run_timeout / 4)
    checks = selected(options.only)
    probe = Probe(options)
    results: dict[str, list[Outcome]] = {}
    server = {"name": None, "version": None}
    sweep_notes: list[str] = []
    try:
        try:
            await asyncio.wait_for(probe.prepare(), options.request_timeout)
        except Exception as exc:  # a bad --host: every check says why
            failed = Context(probe, checks[0]).from_exception(exc)
            for check in checks:
                results[check.id] = [dataclasses.replace(failed, check=check.id, specs=check.specs)]
            checks = []
        tasks = {asyncio.create_task(run_check(probe, check)): check for check in checks}
        version = asyncio.create_task(software(probe))

        def finished(task: asyncio.Task) -> None:
            if not task.cancelled():
                check = tasks[task]
                results[check.id] = task.result()
                if progress:
                    progress(len(results), len(tasks), check, results[check.id])

        for task in tasks:
            task.add_done_callback(finished)
        if tasks:
            left = deadline - grace - time.monotonic()
            _, pending = await asyncio.wait(tasks, timeout=max(left, 0))
            for task in pending:
                task.cancel()
            if pending:  # their cleanups run as they unwind
                await asyncio.wait(pending, timeout=max((deadline - time.monotonic()) / 2, 0.1))
            for task in pending:
                check = tasks[task]
                results.setdefault(check.id, [_cut_short(probe, check)])
        await asyncio.wait({version}, timeout=max(min(1.0, deadline - time.monotonic()), 0))
        if version.done():
            server = version.result()
        version.cancel()
        try:
            async with asyncio.timeout(max((deadline - time.monotonic()) / 2, 0.5)):
                sweep_notes = await probe.sweep()
        except TimeoutError:
            sweep_notes = [f"Cleanup sweep cut short: {len(probe.pending_cleanups)} left undone."]
    finally:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(probe.close(), max(deadline - time.monotonic(), 0.5))
    ordered = [o for check in selected(options.only) for o in results.get(check.id, [])]
    return Report(
        domain=options.domain,
        account=probe.account,
        software=server,
        reachable=probe.reached,
        outcomes=ordered,
        duration_s=time.monotonic() - start,
        cleanup=sweep_notes,
    )
