"""Verdicts for software entries in the database: claims from the ORM, rules from the engine."""

from __future__ import annotations

from compliance import catalogue
from compliance.engine import Verdict, evaluate_suites
from compliance.models import Software


def software_verdicts(
    software: Software, years: list[int] | None = None
) -> dict[int, dict[str, dict[str, Verdict]]]:
    suites = catalogue.suites()
    chosen = [suites[year] for year in (years or list(suites))]
    return evaluate_suites(chosen, software.statuses, software.profile)
