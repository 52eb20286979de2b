"""Where the data comes from: the xmpp.org registry's entries as the last sync left them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from compliance.models import RegistryEntry, RegistrySync

LISTED = Q(removed_at__isnull=True)
REMOVED = "removed"
STATE_FILTERS = [*RegistryEntry.STATE_CHOICES, (REMOVED, "no longer in the registry")]


@dataclass(frozen=True)
class RegistrySummary:
    entries: int  # in the registry now
    judged: int
    removed: int
    last_run: RegistrySync | None  # the last finished sync
    running: bool

    @property
    def last_sync(self) -> datetime | None:
        return self.last_run.finished_at if self.last_run else None

    @property
    def failed(self) -> int:
        """Fetches (and refused entries) that failed in the last finished sync."""
        return self.last_run.counts.get("failed", 0) if self.last_run else 0


def registry_summary() -> RegistrySummary:
    """Two queries: the entries' counts, and the latest runs."""
    counts = RegistryEntry.objects.aggregate(
        entries=Count("pk", filter=LISTED),
        judged=Count("pk", filter=LISTED & Q(state=RegistryEntry.JUDGED)),
        removed=Count("pk", filter=~LISTED),
    )
    runs = list(RegistrySync.objects.defer("changes").order_by("-started_at")[:2])
    finished = next((run for run in runs if not run.running), None)
    return RegistrySummary(**counts, last_run=finished, running=any(r.running for r in runs))


def registry_entries(state: str = "") -> list[RegistryEntry]:
    """Every entry, by name, with its software: one query."""
    entries = RegistryEntry.objects.select_related("software").defer(
        "software__doap_findings", "software__description"
    )
    if state == REMOVED:
        entries = entries.filter(removed_at__isnull=False)
    elif state:
        entries = entries.filter(LISTED, state=state)
    return list(entries.order_by("name"))
