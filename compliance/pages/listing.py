"""The software a page lists: one query, whatever the number of rows.

Each Software row carries the statuses the engine reads (Software.statuses, kept in
complete_specs and partial_specs), so verdicts need no query of their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from compliance.models import Software
from suites.engine import Profile
from suites.statuses import unpack_listed, unpack_statuses

# What lists and tables show of each software, and the verdicts need; the rest is not read.
LISTED_FIELDS = (
    "name",
    "slug",
    "role",
    "description",
    "platform_keys",
    "terminal_interface",
    "background_restricted",
    "is_example",
    "current_version",
    "complete_specs",
    "partial_specs",
    "listed_specs",
    "logo_type",
    "updated_at",
)


def filtered_software(roles: Iterable[str], q: str = "", platform: str = "") -> QuerySet[Software]:
    """Software of the given roles, matching a text search and a normalised platform."""
    software = Software.objects.filter(role__in=list(roles)).only(*LISTED_FIELDS)
    if q:
        software = software.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if platform:
        software = software.filter(platform_keys__contains=f" {platform} ")
    return software.order_by(Lower("name"), "pk")


# How the software list can be sorted: its order_by, names case-insensitively.
LIST_SORTS = {
    "name": ("name", (Lower("name"), "pk")),
    "role": ("role, then name", ("role", Lower("name"), "pk")),
    "updated": ("recently updated first", ("-updated_at", "pk")),
}


def sorted_software(software: QuerySet[Software], sort: str) -> QuerySet[Software]:
    return software.order_by(*LIST_SORTS[sort or "name"][1])


def without_examples(software: QuerySet[Software], asked: bool) -> tuple[QuerySet[Software], int]:
    """The software, the example entries left out unless asked for, and how many were (one
    count query when there are)."""
    if asked:
        return software, 0
    return software.filter(is_example=False), software.filter(is_example=True).count()


class TableRow(NamedTuple):
    """What a comparison table needs of a software: a plain record, cheaper than a model
    instance when a table has hundreds of rows."""

    name: str
    slug: str
    role: str
    terminal_interface: bool
    background_restricted: bool
    is_example: bool
    current_version: str
    statuses: dict[str, str]
    listed: dict[str, str]  # why claimed specs of the suites do not count
    updated_at: datetime

    @property
    def profile(self) -> Profile:
        return Profile(self.role, self.terminal_interface, self.background_restricted)

    @property
    def has_data(self) -> bool:
        """As Software.has_data: any claim, of any status, on a spec the suites name."""
        return bool(self.statuses or self.listed)


def table_rows(software: QuerySet[Software]) -> list[TableRow]:
    fields = [*TableRow._fields[:7], "complete_specs", "partial_specs", "listed_specs"]
    return [
        TableRow(*values[:7], unpack_statuses(complete, partial), unpack_listed(listed), updated)
        for *values, complete, partial, listed, updated in software.values_list(
            *fields, "updated_at"
        )
    ]
