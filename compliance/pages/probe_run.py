"""What a probe run's page shows: progress while it runs; at the end the verdicts per year ×
category × Server / Advanced Server with the exact missing features, and each check's outcome
with its one-line explanation, its evidence (where the viewer may see it) and a remediation
hint for the software and version the probe read."""

from __future__ import annotations

from dataclasses import dataclass

from compliance.models import CheckResult, ProbeRun
from probes.checks import CHECKS
from probes.hints import Hint, hint_for
from probes.outcomes import Evidence, Outcome
from probes.report import spec_outcomes
from suites.catalogue import CATEGORY_NAMES, LEVEL_NAMES

TITLES = {check.id: check.title for check in CHECKS}
OUTCOME_WORDS = {
    "pass": "pass",
    "fail": "fail",
    "could_not_test": "could not test",
    "error": "error",
}


@dataclass(frozen=True)
class ResultLine:
    result: CheckResult
    title: str
    outcome_words: str
    hint: Hint | None


@dataclass(frozen=True)
class VerdictCell:
    level: str
    compliant: bool
    missing: list[str]


@dataclass(frozen=True)
class VerdictRow:
    year: str
    category: str
    cells: list[VerdictCell]


def result_lines(run: ProbeRun) -> list[ResultLine]:
    """The results written so far, in the probe's order; a hint beside each that did not pass."""
    lines = []
    for result in CheckResult.objects.filter(run=run).order_by("position"):
        hint = None
        if result.outcome in ("fail", "error") and run.state == ProbeRun.DONE:
            hint = hint_for(
                result.check_id, run.software_name or None, run.software_version or None
            )
        lines.append(
            ResultLine(
                result,
                TITLES.get(result.check_id, result.check_id),
                OUTCOME_WORDS[result.outcome],
                hint,
            )
        )
    return lines


def verdict_rows(run: ProbeRun) -> list[VerdictRow]:
    rows = []
    for year, categories in sorted(run.verdicts.items(), reverse=True):
        for category, levels in categories.items():
            cells = [
                VerdictCell(LEVEL_NAMES[level], verdict["compliant"], verdict["missing"])
                for level, verdict in levels.items()
            ]
            rows.append(VerdictRow(year, CATEGORY_NAMES[category], cells))
    return rows


def checks_done(run: ProbeRun, lines: list[ResultLine]) -> int:
    """Checks with a result so far (all of them once the run is done)."""
    if run.state == ProbeRun.DONE:
        return run.total_checks
    return len({line.result.check_id for line in lines})


def as_outcome(row: CheckResult) -> Outcome:
    return Outcome(
        row.check_id,
        tuple(row.specs),
        row.outcome,
        row.entity,
        row.detail,
        row.error_kind or None,
        tuple(Evidence(**item) for item in row.evidence),
        row.informational,
        row.duration_s,
    )


def as_probe_json(run: ProbeRun, *, evidence: bool) -> dict:
    """The run's results so far as `manage.py probe --json` gives them (checks, specs), and
    how many checks are done; the specs are the stored ones once the run is done."""
    outcomes = [as_outcome(row) for row in CheckResult.objects.filter(run=run).order_by("position")]
    done = run.state == ProbeRun.DONE
    return {
        "checks": [o.as_dict(evidence=evidence) for o in outcomes],
        "specs": run.specs if done else spec_outcomes(outcomes),
        "done": run.total_checks if done else len({o.check for o in outcomes}),
    }
