"""Run the checks of one probe concurrently over one session, every one of them bounded in time.

All checks start at once; those needing the main session wait for the same login. Each check has
its own time limit and the whole run has one: a check still running at the end of the run is
cancelled (its cleanups still run) and reported as a timeout. Side effects left behind by a
check that could not undo them are swept before the streams close.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable

from probes import xmpp
from probes.checks import CHECKS
from probes.options import Options
from probes.outcomes import ERROR, TIMEOUT, Outcome
from probes.probe import Check, Context, Probe
from probes.report import Report

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
    return {
        "name": (xmpp.child(query, xmpp.VERSION, "name").text or None) if query else None,
        "version": (xmpp.child(query, xmpp.VERSION, "version").text or None) if query else None,
    }


def selected(only: tuple[str, ...]) -> list[Check]:
    if not only:
        return list(CHECKS)
    unknown = set(only) - {c.id for c in CHECKS}
    if unknown:
        raise ValueError(f"Unknown check ids: {', '.join(sorted(unknown))}")
    return [c for c in CHECKS if c.id in only]


async def run_probe(options: Options, progress: Progress | None = None) -> Report:
    """Probe a server: every selected check, concurrently, within options.run_timeout."""
    start = time.monotonic()
    checks = selected(options.only)
    probe = Probe(options)
    results: dict[str, list[Outcome]] = {}
    sweep_notes: list[str] = []
    try:
        try:
            await probe.prepare()
        except Exception as exc:  # a bad --host: every check says why
            ctx = Context(probe, checks[0])
            results = {
                c.id: [dataclasses.replace(ctx.from_exception(exc), check=c.id, specs=c.specs)]
                for c in checks
            }
            checks = []
        tasks = {asyncio.create_task(run_check(probe, check)): check for check in checks}
        version = asyncio.create_task(software(probe))

        def finished(task: asyncio.Task) -> None:
            if not task.cancelled():
                results[tasks[task].id] = task.result()
                if progress:
                    progress(len(results), len(tasks), tasks[task], results[tasks[task].id])

        for task in tasks:
            task.add_done_callback(finished)
        remaining = options.run_timeout - (time.monotonic() - start)
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=max(remaining, 0))
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=options.request_timeout * 2)
            for task in pending:
                check = tasks[task]
                results.setdefault(check.id, [_cut_short(probe, check)])
        try:
            server = await asyncio.wait_for(version, options.request_timeout)
        except TimeoutError:
            server = {"name": None, "version": None}
        sweep_notes = await probe.sweep()
    finally:
        await asyncio.wait_for(probe.close(), 5)
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
