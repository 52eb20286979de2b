"""The comparison table of one year, category and level, as the page and the CSV show it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from compliance.display.labels import (
    CELL_LABELS,
    NO_DATA_WORDS,
    PARTIAL_MARK,
    PARTIAL_WORDS,
    cell_detail,
)
from compliance.display.table import ColumnGroup, Row, build_rows, column_groups
from compliance.pages.listing import filtered_software, table_rows, without_examples
from suites.address import cell_label, level_slug, roles_at
from suites.catalogue import CATEGORY_NAMES, Suite


@dataclass
class CompareTable:
    suite: Suite
    category: str
    level: str
    groups: list[ColumnGroup]
    rows: list[Row]
    examples_left_out: int = 0  # example entries matching the filters, not shown unless asked

    @property
    def title(self) -> str:
        return cell_label(self.suite.year, self.category, self.level)

    @property
    def category_name(self) -> str:
        return CATEGORY_NAMES[self.category]

    @property
    def column_count(self) -> int:
        return sum(len(group.features) for group in self.groups)

    @property
    def slug(self) -> str:
        return f"{self.suite.year}-{self.category}-{level_slug(self.level)}"

    def rows_html(self) -> SafeString:
        """Every row's HTML. Rendered here, not in the template: a 500-row table has some
        15,000 cells, and the template language would take ten times as long."""
        software_url = reverse("software-list")
        cells: dict = {}  # results are shared between rows (engine memo): by identity
        return mark_safe("".join(row_html(row, software_url, cells) for row in self.rows))


@lru_cache(maxsize=8192)
def cell_html(state: str, detail: str, reason: str) -> str:
    """A cell in words and with an icon, what it lacks or relies on in text; its title says
    the whole rule, where there is more to say."""
    icon, word = CELL_LABELS[state]
    title = "" if state == "supported" else f' title="{escape(reason)}"'
    more = f' <span class="cell-detail">{escape(detail)}</span>' if detail else ""
    return (
        f'<td class="state-{state}"{title}><span aria-hidden="true">{icon}</span> {word}{more}</td>'
    )


def version_html(version: str) -> str:
    """'as of version X', which the verdict of the row is of."""
    return f' <span class="version">as of version {escape(version)}</span>' if version else ""


def verdict_html(row: Row) -> str:
    """The verdict cell: the verdict in words, and the reliance on partial support apart."""
    icon, words = row.verdict_label
    more = ""
    if row.state == "partial":
        specs = ", ".join(row.verdict.partial_specs)
        more = (
            f'<sup class="mark" aria-hidden="true">{PARTIAL_MARK}</sup>'
            f' <span class="cell-detail">{PARTIAL_WORDS} {escape(specs)}</span>'
        )
    return (
        f'<td class="verdict verdict-{row.state}"><span aria-hidden="true">{icon}</span> '
        f"{words}{more}</td>"
    )


def missing_html(row: Row) -> str:
    """How many required features are missing, and which, in text."""
    count = row.missing_count
    if count is None:
        return '<td class="missing-count no-data">—</td>'
    names = ", ".join(row.verdict.missing_names)
    more = f' <span class="cell-detail">{escape(names)}</span>' if names else ""
    return f'<td class="missing-count"><strong>{count}</strong>{more}</td>'


def row_cells(row: Row, cells: dict) -> str:
    """The feature cells; one 'no data' cell across them for an entry without data."""
    if not row.software.has_data:
        return (
            f'<td class="state-no_data" colspan="{len(row.verdict.results)}">'
            f'<span aria-hidden="true">?</span> {NO_DATA_WORDS}</td>'
        )
    listed = row.software.listed
    tds = []
    for result in row.verdict.results:
        key = (id(result), *map(listed.get, result.lacking)) if result.lacking else id(result)
        td = cells.get(key)
        if td is None:
            state = row.cell_state(result)
            td = cells[key] = cell_html(state, cell_detail(result, listed), result.reason)
        tds.append(td)
    return "".join(tds)


def row_html(row: Row, software_url: str, cells: dict) -> SafeString:
    """<tr> with the software's name, its verdict, how many features it misses, then a cell
    per required feature.

    cells caches each result's <td> by the result's identity (and why its specs are lacking).
    """
    software = row.software
    tags = "".join(
        f' <span class="tag">{tag}</span>'
        for tag, shown in (
            ("library", software.role == "library"),
            ("example", software.is_example),
        )
        if shown
    )
    return mark_safe(
        f'<tr><th scope="row"><a href="{software_url}{quote(software.slug)}/">'
        f"{escape(software.name)}</a>{tags}{version_html(software.current_version)}</th>"
        f"{verdict_html(row)}{missing_html(row)}{row_cells(row, cells)}</tr>"
    )


def compare_table(suite: Suite, category: str, level: str, filters: dict) -> CompareTable:
    roles = [filters["role"]] if filters.get("role") else roles_at(level)
    software, left_out = without_examples(
        filtered_software(roles, filters.get("q", ""), filters.get("platform", "")),
        bool(filters.get("examples")),
    )
    software = table_rows(software)
    rows = build_rows(
        suite,
        category,
        level,
        software,
        compliant_only=bool(filters.get("compliant")),
        sort=filters.get("sort") or "name",
    )
    groups = column_groups(suite, category, level)
    return CompareTable(suite, category, level, groups, rows, left_out)


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet will not run as a formula (names come from untrusted DOAP files)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def table_csv(table: CompareTable) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "software",
            "role",
            *(f"{group.name}: {label}" for group in table.groups for _, label in group.columns),
            "verdict",
            "relies on partial",
            "missing",
        ]
    )
    for row in table.rows:
        writer.writerow(
            [
                spreadsheet_safe(row.software.name),
                row.software.role,
                *(word for _, _, word, _, _ in row.cells),
                row.verdict_label[1],
                " ".join(row.verdict.partial_specs),
                "; ".join(row.verdict.missing_names) if row.software.has_data else "",
            ]
        )
    return out.getvalue()
