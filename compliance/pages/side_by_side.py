"""Two to four entries side by side: every cell of a suite year (category × level), each
entry's verdict there and what it misses."""

from __future__ import annotations

from dataclasses import dataclass

from compliance.display.labels import VERDICT_LABELS, verdict_state, verdict_words
from compliance.models import Software
from compliance.pages.listing import LISTED_FIELDS
from suites.address import cell_label, level_slug
from suites.catalogue import LEVEL_NAMES, Suite
from suites.engine import Verdict, evaluate

MIN_ENTRIES, MAX_ENTRIES = 2, 4


@dataclass(frozen=True)
class SideCell:
    """One entry at one suite cell: its verdict, or None where the level does not judge its
    role."""

    software: Software
    verdict: Verdict | None

    @property
    def state(self) -> str:
        if self.verdict is None:
            return "na"
        return verdict_state(self.verdict, self.software.has_data)

    @property
    def icon(self) -> str:
        return "·" if self.verdict is None else VERDICT_LABELS[self.state][0]

    @property
    def words(self) -> str:
        if self.verdict is None:
            return f"not judged ({self.software.get_role_display().lower()})"
        return verdict_words(self.verdict, self.software.has_data)

    @property
    def missing(self) -> list[str]:
        if self.verdict is None or not self.software.has_data:
            return []
        return self.verdict.missing_names


@dataclass(frozen=True)
class SideRow:
    year: int
    category: str
    level: str
    cells: list[SideCell]

    @property
    def label(self) -> str:
        return cell_label(self.year, self.category, self.level)

    @property
    def slug(self) -> str:
        return level_slug(self.level)


def entries_by_slug(slugs: list[str]) -> tuple[list[Software], list[str]]:
    """The entries named, in the order asked (one query), and the slugs naming none."""
    found = {s.slug: s for s in Software.objects.filter(slug__in=slugs).only(*LISTED_FIELDS)}
    return [found[s] for s in slugs if s in found], [s for s in slugs if s not in found]


def side_by_side(suite: Suite, software: list[Software]) -> list[SideRow]:
    """A row per category of the suite and level that judges one of the entries, a cell per
    entry."""
    memo: dict = {}
    levels = [level for level in LEVEL_NAMES if any(level in entry.levels for entry in software)]
    return [
        SideRow(
            suite.year,
            category.key,
            level,
            [
                SideCell(
                    entry,
                    evaluate(suite, category.key, level, entry.statuses, entry.profile, memo)
                    if level in entry.levels
                    else None,
                )
                for entry in software
            ],
        )
        for category in suite.categories
        for level in levels
    ]
