"""The software a page lists: one query, whatever the number of rows.

Each Software row carries the statuses the engine reads (Software.statuses), so verdicts need
no query of their own.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from compliance.models import Software

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
    "statuses",
    "updated_at",
)


def filtered_software(roles: Iterable[str], q: str = "", platform: str = "") -> QuerySet[Software]:
    """Software of the given roles, matching a text search and a normalised platform."""
    software = Software.objects.filter(role__in=list(roles)).only(*LISTED_FIELDS)
    if q:
        software = software.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if platform:
        software = software.filter(platform_keys__contains=f" {platform} ")
    return software.order_by("name")
