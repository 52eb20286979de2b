"""The home page's numbers: how many entries meet each category and level of a suite year."""

from __future__ import annotations

from dataclasses import dataclass

from compliance.catalogue import LEVEL_NAMES, LEVELS, Suite
from compliance.compare_page import roles_at
from compliance.comparison import level_slug
from compliance.engine import evaluate
from compliance.models import Software
from compliance.queries import LISTED_FIELDS


@dataclass(frozen=True)
class Count:
    level: str
    compliant: int
    total: int

    @property
    def slug(self) -> str:
        return level_slug(self.level)

    @property
    def name(self) -> str:
        return LEVEL_NAMES[self.level]


def compliance_counts(suite: Suite) -> list[tuple[str, str, list[Count]]]:
    """(category key, category name, a Count per level) for every category of the suite."""
    software = list(Software.objects.only(*LISTED_FIELDS))
    counts, memo = [], {}
    for category in suite.categories:
        per_level = []
        for level in LEVELS:
            judged = [s for s in software if s.role in roles_at(level)]
            compliant = sum(
                evaluate(suite, category.key, level, s.statuses, s.profile, memo).compliant
                for s in judged
            )
            per_level.append(Count(level, compliant, len(judged)))
        counts.append((category.key, category.name, per_level))
    return counts
