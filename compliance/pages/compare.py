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

from compliance.display.labels import CELL_LABELS, VERDICT_LABELS, cell_state
from compliance.display.table import ColumnGroup, Row, build_rows, column_groups
from compliance.pages.listing import filtered_software, table_rows
from suites.address import cell_label, level_slug, roles_at
from suites.catalogue import Suite


@dataclass
class CompareTable:
    suite: Suite
    category: str
    level: str
    groups: list[ColumnGroup]
    rows: list[Row]

    @property
    def title(self) -> str:
        return cell_label(self.suite.year, self.category, self.level)

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
        cells: dict[int, str] = {}  # results are shared between rows (engine memo): by identity
        return mark_safe("".join(row_html(row, software_url, cells) for row in self.rows))


@lru_cache(maxsize=8192)
def cell_html(state: str, reason: str) -> str:
    """A cell in words and with an icon; its title says why, where there is more to say."""
    icon, word = CELL_LABELS[state]
    title = "" if state == "supported" else f' title="{escape(reason)}"'
    return f'<td class="state-{state}"{title}><span aria-hidden="true">{icon}</span> {word}</td>'


def version_html(version: str) -> str:
    """'as of version X', which the verdict of the row is of."""
    return f' <span class="version">as of version {escape(version)}</span>' if version else ""


def row_html(row: Row, software_url: str, cells: dict[int, str]) -> SafeString:
    """<tr> with the software's name, a cell per required feature and the verdict.

    cells caches each result's <td> by the result's identity.
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
    icon, words = row.verdict_label
    tds = []
    for result in row.verdict.results:
        td = cells.get(id(result))
        if td is None:
            td = cells[id(result)] = cell_html(cell_state(result), result.reason)
        tds.append(td)
    return mark_safe(
        f'<tr><th scope="row"><a href="{software_url}{quote(software.slug)}/">'
        f"{escape(software.name)}</a>{tags}{version_html(software.current_version)}</th>"
        f"{''.join(tds)}"
        f'<td class="verdict verdict-{row.state}"><span aria-hidden="true">{icon}</span> '
        f"{words}</td></tr>"
    )


def compare_table(suite: Suite, category: str, level: str, filters: dict) -> CompareTable:
    roles = [filters["role"]] if filters.get("role") else roles_at(level)
    software = table_rows(
        filtered_software(roles, filters.get("q", ""), filters.get("platform", ""))
    )
    rows = build_rows(
        suite,
        category,
        level,
        software,
        compliant_only=bool(filters.get("compliant")),
        sort=filters.get("sort") or "name",
    )
    return CompareTable(suite, category, level, column_groups(suite, category, level), rows)


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
                spreadsheet_safe(row.software.name),
                row.software.role,
                *(word for _, _, word, _ in row.cells),
                VERDICT_LABELS[row.state][1],
                " ".join(row.verdict.partial_specs),
                "; ".join(row.verdict.missing_names),
            ]
        )
    return out.getvalue()
