"""The home page's numbers: how many entries meet each category and level of a suite year."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max, Q

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
    total: int  # entries judged at this level that have data
    no_data: int = 0  # entries judged at this level that claim nothing on a suite spec

    @property
    def slug(self) -> str:
        return level_slug(self.level)

    @property
    def name(self) -> str:
        return LEVEL_NAMES[self.level]


def compliance_counts(suite: Suite) -> list[tuple[str, str, list[LevelCount]]]:
    """(category key, category name, a LevelCount per level) for every category of the suite.

    Example entries are left out; entries without data are counted apart, never as failures."""
    software = list(Software.objects.filter(is_example=False).only(*LISTED_FIELDS))
    counts, memo = [], {}
    for category in suite.categories:
        per_level = []
        for level in LEVELS:
            judged = [s for s in software if s.role in roles_at(level)]
            with_data = [s for s in judged if s.has_data]
            compliant = sum(
                evaluate(suite, category.key, level, s.statuses, s.profile, memo).compliant
                for s in with_data
            )
            per_level.append(
                LevelCount(level, compliant, len(with_data), len(judged) - len(with_data))
            )
        counts.append((category.key, category.name, per_level))
    return counts


def cached_counts(suite: Suite) -> tuple[dict, list[tuple[str, str, list[LevelCount]]]]:
    """({total, examples, no_data}: numbers of entries, compliance_counts), cached until any
    entry or the suites change.

    Every write to a software or its claims moves its updated_at, and a removed entry lowers
    the count, so (count, latest updated_at, suites fingerprint) names the data the numbers
    come from. One aggregate query when cached.
    """
    real = Q(is_example=False)
    no_data = real & Q(complete_specs="", partial_specs="", listed_specs="")
    version = Software.objects.aggregate(
        total=Count("pk", filter=real),
        examples=Count("pk", filter=Q(is_example=True)),
        no_data=Count("pk", filter=no_data),
        latest=Max("updated_at"),
    )
    latest = version.pop("latest")
    stamp = latest.timestamp() if latest else 0
    numbers = ":".join(str(version[key]) for key in ("total", "examples", "no_data"))
    key = f"home-counts:{suite.year}:{catalogue.fingerprint()}:{numbers}:{stamp}"
    counts = cache.get_or_set(key, lambda: compliance_counts(suite), timeout=24 * 60 * 60)
    return version, counts
