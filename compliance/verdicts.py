"""Verdicts for software entries in the database: claims from the ORM, rules from the engine."""

from __future__ import annotations

from compliance import catalogue
from compliance.claims import self_assessed_statuses
from compliance.engine import Verdict, evaluate_suites
from compliance.models import Software


def software_verdicts(
    software: Software, years: list[int] | None = None
) -> dict[int, dict[str, dict[str, Verdict]]]:
    statuses = self_assessed_statuses(software.claims.values_list("spec", "status", "source"))
    suites = catalogue.suites()
    chosen = [suites[year] for year in (years or list(suites))]
    return evaluate_suites(chosen, statuses, software.profile)
