"""Sync the xmpp.org software registry: one RegistryEntry per registry entry, every DOAP file
imported through the guarded fetch, concurrently, and a RegistrySync row per run.

The fetches run together in one event loop (compliance.fetch.fetch_urls); every database write
happens in the calling thread, as each fetch ends. A DOAP file is asked for conditionally (the
stored ETag and Last-Modified); a 304 or a file identical to the last one read imports nothing.
A failure keeps the last good import and is recorded on the entry and its software. Claims are
written by import_document, through write_claims, replacing DOAP claims only: self-assessed
claims stay, and count.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from compliance.doap.importer import DOAP_ACCEPT, import_document
from compliance.doap.parse import MAX_BYTES as DOAP_MAX_BYTES
from compliance.doap.parse import DoapError, parse_doap
from compliance.fetch import FetchFailed, FetchRequest, fetch_body, fetch_urls
from compliance.models import RegistryEntry, RegistrySync, Software
from compliance.registry.parse import (
    MAX_BYTES,
    BadItem,
    RegistryError,
    RegistryItem,
    parse_registry,
    registry_role,
)

if TYPE_CHECKING:
    from probes.connect import HttpResponse

log = logging.getLogger(__name__)

OUTCOMES = ("created", "updated", "unchanged", "failed", "not_judged", "no_doap", "removed")
NO_DOAP = "no DOAP: not judged"
STALE_AFTER = timedelta(minutes=15)  # a run without a sign of life for this long is reaped
HEARTBEAT_EVERY = 10.0  # s

Progress = Callable[[int, int], None]  # (entries done, entries to fetch)


class SyncRefused(Exception):
    """Another sync is running."""


class SyncFailed(Exception):
    """The registry's list could not be read; nothing stored was changed."""


@dataclass
class Outcome:
    name: str
    slug: str | None
    outcome: str
    reason: str = ""
    changed: bool = True  # whether this run changed what is stored (the run's history)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "slug": self.slug,
            "outcome": self.outcome,
            "reason": self.reason,
        }


@dataclass
class SyncReport:
    registry: str
    entries: list[Outcome] = field(default_factory=list)
    duration_s: float = 0.0

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(entry.outcome for entry in self.entries)
        return {outcome: found[outcome] for outcome in OUTCOMES}

    def as_dict(self) -> dict:
        return {
            "registry": self.registry,
            "entries": [entry.as_dict() for entry in self.entries],
            "counts": self.counts,
            "duration_s": round(self.duration_s, 3),
        }


# -- one run at a time ---------------------------------------------------------------------


def claim_run(url: str) -> RegistrySync:
    """A new running RegistrySync; SyncRefused while another runs. The database refuses a
    second running row; a run whose heartbeat stopped STALE_AFTER ago is closed first."""
    now = timezone.now()
    RegistrySync.objects.filter(running=True, heartbeat_at__lt=now - STALE_AFTER).update(
        running=False,
        finished_at=now,
        error=f"Abandoned: no sign of life for {STALE_AFTER.seconds // 60} minutes.",
    )
    try:
        with transaction.atomic():
            return RegistrySync.objects.create(url=url[:500])
    except IntegrityError:
        running = RegistrySync.objects.filter(running=True).first()
        since = f" (started {running.started_at:%Y-%m-%d %H:%M:%S} UTC)" if running else ""
        raise SyncRefused(f"A registry sync is already running{since}.") from None


def _finish(run: RegistrySync, started: float, *, error: str = "", report=None) -> None:
    run.running = False
    run.finished_at = timezone.now()
    run.duration_s = time.monotonic() - started
    run.error = error
    if report is not None:
        run.counts = report.counts
        run.changes = [entry.as_dict() for entry in report.entries if entry.changed]
    run.save()


# -- the list ------------------------------------------------------------------------------


def read_registry(url: str) -> tuple[list[RegistryItem], list[BadItem]]:
    """The registry's entries, read exactly; SyncFailed when the list itself is bad."""
    try:
        body = fetch_body(url, accept="application/json", max_bytes=MAX_BYTES)
    except FetchFailed as exc:
        raise SyncFailed(str(exc)) from exc
    try:
        return parse_registry(body, settings.REGISTRY_DOAP_BASE)
    except RegistryError as exc:
        raise SyncFailed(f"{url}: {exc}") from exc


# -- one entry -----------------------------------------------------------------------------


def _slug(entry: RegistryEntry) -> str | None:
    return entry.software.slug if entry.software_id else None


def _may_ask_conditionally(entry: RegistryEntry, item: RegistryItem) -> bool:
    """Whether the last file read still decides this entry: it was read, from the same URL,
    and the registry's categories (the role when the DOAP names none) are the same."""
    judged = entry.state == RegistryEntry.JUDGED and entry.software_id is not None
    return (
        bool(entry.digest)
        and (judged or entry.state == RegistryEntry.NOT_JUDGED)
        and entry.doap_url == item.doap_url
        and entry.categories == list(item.categories)
    )


def _conditional_headers(entry: RegistryEntry) -> dict[str, str]:
    headers = {}
    if entry.etag:
        headers["If-None-Match"] = entry.etag
    if entry.last_modified:
        headers["If-Modified-Since"] = entry.last_modified
    return headers


REGISTRY_FIELDS = ("categories", "doap", "doap_url", "homepage", "platforms", "removed_at")


def _take_registry_fields(entry: RegistryEntry, item: RegistryItem) -> bool:
    """Copy what the registry says into the entry; whether that changed anything."""
    before = [getattr(entry, name) for name in REGISTRY_FIELDS]
    entry.categories = list(item.categories)
    entry.doap = item.doap
    entry.doap_url = item.doap_url
    entry.homepage = item.homepage
    entry.platforms = list(item.platforms)
    entry.removed_at = None
    return before != [getattr(entry, name) for name in REGISTRY_FIELDS]


class EntrySync:
    """What one entry's fetch result does to it: every write in the calling thread."""

    def __init__(self, entry: RegistryEntry, item: RegistryItem, conditional: bool) -> None:
        self.entry, self.item, self.conditional = entry, item, conditional

    def failed(self, reason: str, now) -> Outcome:
        """The last good import is kept; the entry and its software say why it is not newer."""
        entry = self.entry
        changed = entry.last_error != reason
        entry.last_error = reason
        if entry.software_id is None:
            entry.state, entry.reason = RegistryEntry.FAILED, reason
        else:
            Software.objects.filter(pk=entry.software_id).update(
                doap_fetch_error=reason, doap_checked_at=now
            )
            reason = f"{reason} The last good import is kept."
        entry.save()
        return Outcome(entry.name, _slug(entry), "failed", reason, changed)

    def unchanged(self, response: HttpResponse, now) -> Outcome:
        entry = self.entry
        changed = bool(entry.last_error)
        entry.last_error = ""
        self._remember(response, keep=response.status == 304)
        entry.save()
        if entry.software_id is not None:
            Software.objects.filter(pk=entry.software_id).update(
                doap_fetch_error="", doap_checked_at=now
            )
        if entry.state == RegistryEntry.NOT_JUDGED:
            return Outcome(entry.name, None, "not_judged", entry.reason, changed)
        return Outcome(entry.name, _slug(entry), "unchanged", "", changed)

    def _remember(self, response: HttpResponse, keep: bool = False) -> None:
        """The validators of the next conditional request (a 304 need not repeat them)."""
        entry = self.entry
        entry.etag = response.headers.get("etag", entry.etag if keep else "")[:200]
        entry.last_modified = response.headers.get(
            "last-modified", entry.last_modified if keep else ""
        )[:100]

    def apply(self, result: HttpResponse | FetchFailed) -> Outcome:
        now = timezone.now()
        entry = self.entry
        entry.fetched_at = now
        if isinstance(result, FetchFailed):
            entry.http_status = None
            return self.failed(str(result), now)
        entry.http_status = result.status
        url = self.item.doap_url
        if result.status == 304 and self.conditional:
            return self.unchanged(result, now)
        if result.status != 200:
            return self.failed(
                f"Could not fetch {url}: the server answered HTTP {result.status}.", now
            )
        digest = hashlib.sha256(result.body).hexdigest()
        if self.conditional and digest == entry.digest:
            return self.unchanged(result, now)
        try:
            document = parse_doap(result.body)
        except DoapError as exc:
            return self.failed(f"The DOAP file at {url} cannot be read: {exc}", now)
        role, why_not = (
            (document.role, "") if document.role else registry_role(self.item.categories)
        )
        if role is None and entry.software_id is not None:
            return self.failed(f"The role can no longer be told: {why_not}.", now)
        self._remember(result)
        entry.digest, entry.last_error = digest, ""
        if role is None:
            changed = entry.state != RegistryEntry.NOT_JUDGED or entry.reason != why_not
            entry.state, entry.reason = RegistryEntry.NOT_JUDGED, why_not
            entry.save()
            return Outcome(entry.name, None, "not_judged", why_not, changed)
        imported = import_document(document, role=role, source_url=url, software=entry.software)
        if not imported.created:  # an entry that held it before (renamed, moved) lets go
            RegistryEntry.objects.filter(software=imported.software).exclude(pk=entry.pk).update(
                software=None
            )
        entry.software, entry.state, entry.reason = imported.software, RegistryEntry.JUDGED, ""
        entry.imported_at = now
        entry.save()
        return Outcome(
            entry.name, imported.software.slug, "created" if imported.created else "updated"
        )


# -- the run -------------------------------------------------------------------------------


def _refused(bad: BadItem, entry: RegistryEntry | None) -> Outcome:
    """A refused registry entry: its stored row (if any) keeps everything but says why."""
    if entry is None:  # nothing stored changes: no history
        return Outcome(bad.name or f"entry {bad.position}", None, "failed", bad.reason, False)
    changed = entry.last_error != bad.reason
    entry.last_error = bad.reason
    entry.save(update_fields=["last_error"])
    return Outcome(entry.name, _slug(entry), "failed", bad.reason, changed)


def _no_doap(entry: RegistryEntry, registry_changed: bool) -> Outcome:
    """Listed with its homepage and platforms; written only when something changed (a new
    entry by the caller, with the others)."""
    state = (RegistryEntry.NO_DOAP, NO_DOAP, "")
    changed = registry_changed or (entry.state, entry.reason, entry.last_error) != state
    if changed or entry.pk is None:
        entry.state, entry.reason, entry.last_error = state
        if entry.pk is not None:
            entry.save()
    return Outcome(entry.name, _slug(entry), "no_doap", NO_DOAP, changed)


class Run:
    """One sync over the items read from the registry."""

    def __init__(self, run: RegistrySync, progress: Progress | None) -> None:
        self.run, self.progress = run, progress
        self.beat = time.monotonic()
        self.entries = {e.name: e for e in RegistryEntry.objects.select_related("software")}

    def heartbeat(self) -> None:
        if time.monotonic() - self.beat >= HEARTBEAT_EVERY:
            self.beat = time.monotonic()
            RegistrySync.objects.filter(pk=self.run.pk).update(heartbeat_at=timezone.now())

    def entry_for(self, item: RegistryItem) -> tuple[RegistryEntry, bool]:
        entry = self.entries.get(item.name)
        if entry is None:
            entry = RegistryEntry(name=item.name)
            return entry, False
        return entry, _may_ask_conditionally(entry, item)

    def sync(self, items: list[RegistryItem], bad: list[BadItem]) -> list[Outcome]:
        read = {item.name for item in items}  # a later duplicate leaves the first one alone
        fetches: list[tuple[int, EntrySync]] = []
        with transaction.atomic():  # what the list itself says: one commit, not one an entry
            by_position = {
                b.position: _refused(b, None if b.name in read else self.entries.get(b.name))
                for b in bad
            }
            new: list[RegistryEntry] = []
            for item in items:
                entry, conditional = self.entry_for(item)
                if entry.pk is None:
                    new.append(entry)
                registry_changed = _take_registry_fields(entry, item)
                if not item.doap_url:
                    by_position[item.position] = _no_doap(entry, registry_changed)
                else:
                    if entry.pk is None:
                        entry.state, entry.reason = RegistryEntry.FAILED, "Not fetched yet."
                    fetches.append((item.position, EntrySync(entry, item, conditional)))
            RegistryEntry.objects.bulk_create(new)  # ids set: each is updated from then on
        self.fetch(fetches, by_position)  # then each entry in a transaction of its own
        seen = read | {b.name for b in bad if b.name}
        with transaction.atomic():
            removed = [self.removed(e) for name, e in self.entries.items() if name not in seen]
        return [by_position[p] for p in sorted(by_position)] + [o for o in removed if o]

    def fetch(self, fetches: list[tuple[int, EntrySync]], by_position: dict[int, Outcome]):
        done = 0

        def arrived(index: int, result: HttpResponse | FetchFailed) -> None:
            nonlocal done
            position, entry_sync = fetches[index]
            by_position[position] = self.apply(entry_sync, result)
            done += 1
            self.heartbeat()
            if self.progress is not None:
                self.progress(done, len(fetches))

        requests = [
            FetchRequest(s.item.doap_url, _conditional_headers(s.entry) if s.conditional else {})
            for _, s in fetches
        ]
        if self.progress is not None:
            self.progress(0, len(fetches))
        fetch_urls(
            requests,
            accept=DOAP_ACCEPT,
            max_bytes=DOAP_MAX_BYTES,
            timeout=settings.DOAP_FETCH_TIMEOUT,
            allow_networks=settings.DOAP_FETCH_ALLOW_NETWORKS,
            concurrency=settings.REGISTRY_FETCH_CONCURRENCY,
            progress=arrived,
        )

    @staticmethod
    def apply(entry_sync: EntrySync, result: HttpResponse | FetchFailed) -> Outcome:
        """One entry in one transaction; an error of ours fails that entry, not the run."""
        try:
            with transaction.atomic():
                return entry_sync.apply(result)
        except Exception as exc:
            log.exception("Registry sync of %s failed", entry_sync.item.name)
            reason = f"The import failed on an error of the dashboard ({type(exc).__name__})."
            RegistryEntry.objects.filter(pk=entry_sync.entry.pk).update(last_error=reason)
            return Outcome(entry_sync.item.name, None, "failed", reason)

    @staticmethod
    def removed(entry: RegistryEntry) -> Outcome | None:
        """An entry gone from the registry is marked, never deleted (once: later runs skip it)."""
        if entry.removed_at is not None:
            return None
        entry.removed_at = timezone.now()
        entry.save(update_fields=["removed_at"])
        return Outcome(entry.name, _slug(entry), "removed", "no longer in the registry")


def sync_registry(url: str | None = None, *, progress: Progress | None = None) -> SyncReport:
    """Read the registry at url (default REGISTRY_URL) and sync every entry. SyncRefused when
    another sync runs; SyncFailed, with nothing stored changed, when the list is bad."""
    url = url or settings.REGISTRY_URL
    run = claim_run(url)
    started = time.monotonic()
    report = SyncReport(registry=url)
    try:
        items, bad = read_registry(url)
        report.entries = Run(run, progress).sync(items, bad)
    except SyncFailed as exc:
        _finish(run, started, error=str(exc))
        raise
    except BaseException as exc:  # the time limit and our own bugs: the run is closed
        _finish(run, started, error=f"The sync stopped on {type(exc).__name__}.")
        raise
    report.duration_s = time.monotonic() - started
    _finish(run, started, report=report)
    return report
