"""The runner: checks run concurrently, each bounded, the whole run bounded, cleanups done."""

from __future__ import annotations

import asyncio
import time

import pytest

from probes import runner
from probes.options import Options
from probes.probe import Check


@pytest.fixture
def checks(monkeypatch):
    """Replace the registry with test checks for the duration of a test."""
    state = {"undone": [], "started": []}

    async def quick(ctx):
        state["started"].append(time.monotonic())
        await asyncio.sleep(0.2)
        return ctx.passed("quick")

    async def stuck(ctx):
        state["started"].append(time.monotonic())

        async def undo():
            state["undone"].append("stuck")

        async with ctx.cleanup("undo the stuck check's side effect", undo):
            await asyncio.sleep(3600)

    async def buggy(ctx):
        raise KeyError("oops")

    registry = (
        Check("quick-1", ("XEP-0030",), "quick", quick),
        Check("quick-2", ("XEP-0030",), "quick", quick),
        Check("stuck", ("XEP-0280",), "stuck", stuck),
        Check("buggy", ("XEP-0191",), "buggy", buggy),
    )
    monkeypatch.setattr(runner, "CHECKS", registry)
    return state


def test_it_bounds_each_check_and_runs_them_concurrently(checks):
    progress = []
    options = Options("example.org", check_timeout=1.0, run_timeout=10.0)
    start = time.monotonic()
    report = asyncio.run(runner.run_probe(options, lambda *args: progress.append(args[:2])))
    elapsed = time.monotonic() - start
    assert elapsed < 2.5
    assert max(checks["started"]) - min(checks["started"]) < 0.1  # all started together
    outcomes = {o.check: o for o in report.outcomes}
    assert (outcomes["stuck"].outcome, outcomes["stuck"].error_kind) == ("error", "timeout")
    assert outcomes["stuck"].detail == "Did not finish within 1 s."
    assert checks["undone"] == ["stuck"]  # its cleanup ran as it was cut off
    assert outcomes["buggy"].error_kind == "internal"
    assert outcomes["buggy"].detail == "Probe bug: KeyError: 'oops'"
    assert sorted(progress) == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert [o.check for o in report.outcomes] == ["quick-1", "quick-2", "stuck", "buggy"]


def test_it_bounds_the_whole_run_and_still_cleans_up(checks):
    options = Options("example.org", check_timeout=60.0, run_timeout=2.0)
    start = time.monotonic()
    report = asyncio.run(runner.run_probe(options))
    assert time.monotonic() - start < 2.5
    stuck = next(o for o in report.outcomes if o.check == "stuck")
    assert (stuck.outcome, stuck.error_kind) == ("error", "timeout")
    assert stuck.detail == "The run's time limit (2 s) was reached."
    assert checks["undone"] == ["stuck"]


def test_it_rejects_unknown_check_ids():
    with pytest.raises(ValueError, match="Unknown check ids: nope"):
        runner.selected(("nope",))


def test_it_sweeps_while_cancelled_checks_still_undo_and_undoes_each_thing_once(monkeypatch):
    """Cut off by the run's limit, two checks' cleanups are still running when the final sweep
    starts: the sweep leaves what is being undone alone (it once removed an entry a check had
    just removed: ValueError, the whole run lost), and nothing is undone twice."""
    undone = []

    async def stuck(ctx):
        async def undo():
            await asyncio.sleep(0.4)  # longer than the runner waits for cancelled checks
            undone.append(ctx.check.id)

        async with ctx.cleanup(f"undo {ctx.check.id}", undo):
            await asyncio.sleep(3600)

    registry = tuple(Check(f"stuck-{i}", ("XEP-0030",), "stuck", stuck) for i in range(2))
    monkeypatch.setattr(runner, "CHECKS", registry)
    report = asyncio.run(runner.run_probe(Options("example.org", run_timeout=2.0)))
    assert sorted(undone) == ["stuck-0", "stuck-1"]
    assert [o.error_kind for o in report.outcomes] == ["timeout", "timeout"]
