"""Loading software with the claim statuses the engine needs, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from compliance.claims import SELF_ASSESSMENT_PRECEDENCE, self_assessed_statuses
from compliance.models import Claim, Software


def with_statuses(
    software: QuerySet[Software], specs: Iterable[str] | None = None
) -> list[tuple[Software, dict[str, str]]]:
    """(software, spec -> self-assessed status) for every software: two queries in all.

    specs narrows the claims read to the specs a page needs.
    """
    rows = list(software)
    claims = Claim.objects.filter(
        software__in=[s.pk for s in rows], source__in=SELF_ASSESSMENT_PRECEDENCE
    )
    if specs is not None:
        claims = claims.filter(spec__in=set(specs))
    grouped: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for software_id, spec, status, source in claims.values_list(
        "software_id", "spec", "status", "source"
    ):
        grouped[software_id].append((spec, status, source))
    return [(s, self_assessed_statuses(grouped[s.pk])) for s in rows]


def filtered_software(roles: Iterable[str], q: str = "", platform: str = "") -> QuerySet[Software]:
    """Software of the given roles, matching a text search and a normalised platform."""
    software = Software.objects.filter(role__in=list(roles))
    if q:
        software = software.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if platform:
        software = software.filter(platform_keys__contains=f" {platform} ")
    return software.order_by("name")
