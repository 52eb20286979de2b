"""Comparison tables: software × the features a level requires, with one verdict per row. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from compliance.display.labels import (
    CELL_LABELS,
    VERDICT_LABELS,
    cell_detail,
    cell_state,
    verdict_state,
    verdict_words,
)
from suites.catalogue import CATEGORY_NAMES, Feature, Suite
from suites.engine import (
    Verdict,
    evaluate,
    required_rows,
)

SORTS = {
    "name": "name",
    "name_desc": "name, Z to A",
    "verdict": "verdict, compliant first",
    "missing": "fewest missing first",
    "updated": "recently updated first",
}


@dataclass(frozen=True)
class ColumnGroup:
    category: str
    features: tuple[Feature, ...]
    labels: tuple[str, ...] = ()  # each feature's header: the name, the category's where shared

    @property
    def name(self) -> str:
        return CATEGORY_NAMES[self.category]

    @property
    def columns(self) -> list[tuple[Feature, str]]:
        return list(zip(self.features, self.labels or [f.name for f in self.features], strict=True))


def header(category: str, name: str, shared: set[str]) -> str:
    """A feature's column header: 'IM core features' where the name is shared and not already
    the category's own ('Core features' of Core)."""
    group = CATEGORY_NAMES[category]
    if name not in shared or name.startswith(group):
        return name
    return f"{group} {name[0].lower()}{name[1:]}"


def column_groups(suite: Suite, category: str, level: str) -> list[ColumnGroup]:
    """The features required at this level, Core's group first for the other categories. A
    name two groups share ("Core features" of Core and of IM) says its category."""
    groups: dict[str, list[Feature]] = {}
    for key, feature in required_rows(suite, category, level):
        groups.setdefault(key, []).append(feature)
    names = [feature.name for features in groups.values() for feature in features]
    shared = {name for name in names if names.count(name) > 1}
    return [
        ColumnGroup(key, tuple(features), tuple(header(key, f.name, shared) for f in features))
        for key, features in groups.items()
    ]


@dataclass(frozen=True)
class Row:
    software: Any
    verdict: Verdict

    @property
    def state(self) -> str:
        """compliant, partial (compliant relying on partial support), not_compliant or
        no_data (the entry claims nothing on any spec the suites name)."""
        return verdict_state(self.verdict, self.software.has_data)

    def cell_state(self, result) -> str:
        return cell_state(result, self.software.listed, self.software.statuses)

    @property
    def cells(self) -> list[tuple[str, str, str, str, str]]:
        """(state, icon, word, detail, reason) per required feature, in column order; 'no
        data' in every cell of an entry without data."""
        if not self.software.has_data:
            return [("no_data", "?", "no data", "", "") for _ in self.verdict.results]
        return [
            (state, *CELL_LABELS[state], cell_detail(result, self.software.listed), result.reason)
            for result in self.verdict.results
            for state in (self.cell_state(result),)
        ]

    @property
    def verdict_label(self) -> tuple[str, str]:
        return VERDICT_LABELS[self.state]

    @property
    def verdict_words(self) -> str:
        """The verdict in text, 'compliant*' where it relies on partial support."""
        return verdict_words(self.verdict, self.software.has_data)

    @property
    def missing_count(self) -> int | None:
        """How many required features are missing; None without data."""
        return len(self.verdict.missing) if self.software.has_data else None


def sort_rows(rows: list[Row], sort: str) -> list[Row]:
    by_name = sorted(rows, key=lambda row: row.software.name.casefold())
    if sort == "name_desc":
        return by_name[::-1]
    if sort == "verdict":
        order = {"compliant": 0, "partial": 1, "not_compliant": 2, "no_data": 3}
        return sorted(by_name, key=lambda row: order[row.state])
    if sort == "missing":
        return sorted(by_name, key=lambda row: (not row.software.has_data, row.missing_count))
    if sort == "updated":
        return sorted(by_name, key=lambda row: row.software.updated_at, reverse=True)
    return by_name


def build_rows(
    suite: Suite,
    category: str,
    level: str,
    software: Iterable[Any],
    *,
    compliant_only: bool = False,
    sort: str = "name",
) -> list[Row]:
    """One row per software (anything with `statuses` and a `profile`)."""
    memo: dict = {}
    rows = [
        Row(entry, evaluate(suite, category, level, entry.statuses, entry.profile, memo))
        for entry in software
    ]
    if compliant_only:
        rows = [row for row in rows if row.verdict.compliant]
    return sort_rows(rows, sort)
