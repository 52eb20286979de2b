"""The home page's numbers: how many entries meet each category and level of a suite year."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max

from compliance.models import Software
from compliance.pages.listing import LISTED_FIELDS
from suites import catalogue
from suites.address import level_slug, roles_at
from suites.catalogue import LEVEL_NAMES, LEVELS, Suite
from suites.engine import evaluate


@dataclass(frozen=True)
class LevelCount:
    level: str
    compliant: int
    total: int

    @property
    def slug(self) -> str:
        return level_slug(self.level)

    @property
    def name(self) -> str:
        return LEVEL_NAMES[self.level]


def compliance_counts(suite: Suite) -> list[tuple[str, str, list[LevelCount]]]:
    """(category key, category name, a LevelCount per level) for every category of the suite."""
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
            per_level.append(LevelCount(level, compliant, len(judged)))
        counts.append((category.key, category.name, per_level))
    return counts


def cached_counts(suite: Suite) -> tuple[int, list[tuple[str, str, list[LevelCount]]]]:
    """(number of entries, compliance_counts), cached until any entry or the suites change.

    Every write to a software or its claims moves its updated_at, and a removed entry lowers
    the count, so (count, latest updated_at, suites fingerprint) names the data the numbers
    come from. One aggregate query when cached.
    """
    version = Software.objects.aggregate(total=Count("pk"), latest=Max("updated_at"))
    latest = version["latest"].timestamp() if version["latest"] else 0
    key = f"home-counts:{suite.year}:{catalogue.fingerprint()}:{version['total']}:{latest}"
    counts = cache.get_or_set(key, lambda: compliance_counts(suite), timeout=24 * 60 * 60)
    return version["total"], counts
