"""The comparison table of one year, category and level, as the page and the CSV show it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from compliance import catalogue
from compliance.catalogue import CATEGORY_NAMES, LEVEL_NAMES, Suite
from compliance.comparison import (
    VERDICT_LABELS,
    ColumnGroup,
    Row,
    build_rows,
    column_groups,
    level_slug,
)
from compliance.engine import ROLE_LEVELS
from compliance.queries import filtered_software, with_statuses


class NotFound(LookupError):
    pass


def roles_at(level: str) -> list[str]:
    """The roles judged at a level: servers, or clients and libraries."""
    return [role for role, levels in ROLE_LEVELS.items() if level in levels]


@dataclass
class CompareTable:
    suite: Suite
    category: str
    level: str
    groups: list[ColumnGroup]
    rows: list[Row]

    @property
    def title(self) -> str:
        return (
            f"XMPP {self.suite.year} · {CATEGORY_NAMES[self.category]} · {LEVEL_NAMES[self.level]}"
        )

    @property
    def column_count(self) -> int:
        return sum(len(group.features) for group in self.groups)

    @property
    def slug(self) -> str:
        return f"{self.suite.year}-{self.category}-{level_slug(self.level)}"


def resolve(year: int, category: str, slug: str) -> tuple[Suite, str, str]:
    """(suite, category, level) for URL parts, or NotFound saying which part is unknown."""
    suites = catalogue.suites()
    if year not in suites:
        raise NotFound(f"There is no compliance suite for {year}.")
    if category not in suites[year].category_keys:
        raise NotFound(f"The {year} suite has no category {category!r}.")
    level = slug.replace("-", "_")
    if level not in LEVEL_NAMES:
        raise NotFound(f"There is no level {slug!r}.")
    return suites[year], category, level


def compare_table(suite: Suite, category: str, level: str, filters: dict) -> CompareTable:
    roles = [filters["role"]] if filters.get("role") else roles_at(level)
    groups = column_groups(suite, category, level)
    specs = {spec for group in groups for feature in group.features for spec in feature.providers}
    entries = with_statuses(
        filtered_software(roles, filters.get("q", ""), filters.get("platform", "")), specs
    )
    rows = build_rows(
        suite,
        category,
        level,
        entries,
        compliant_only=bool(filters.get("compliant")),
        sort=filters.get("sort") or "name",
    )
    return CompareTable(suite, category, level, groups, rows)


def table_csv(table: CompareTable) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "software",
            "role",
            *(
                f"{group.name}: {feature.name}"
                for group in table.groups
                for feature in group.features
            ),
            "verdict",
            "relies on partial",
            "missing",
        ]
    )
    for row in table.rows:
        writer.writerow(
            [
                row.software.name,
                row.software.role,
                *(word for _, _, word, _ in row.cells),
                VERDICT_LABELS[row.state][1],
                " ".join(row.verdict.partial_specs),
                "; ".join(row.verdict.missing_names),
            ]
        )
    return out.getvalue()
