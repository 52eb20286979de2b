"""An entry's version: what its cached readings (badges, the hot API reads) are keyed by, so that
any change of the entry, its claims or its evidence run is a new key (compliance/pages/rendered.py).

With a shared cache (Redis, as production has), the version is a random token kept there under
the entry's slug, and every write that changes what a reading shows drops it; the next request
finds none, makes a new one (SET NX GET: Redis 7) and renders afresh. The hot path makes no
query. The writers:

- every save of an entry's row (a receiver of post_save), the write paths' among them:
  compliance.entries.write_entry's (which also drops the old slug when the admin renames an
  entry) and compliance.claims.write_claims's (its refresh of the statuses);
- Software's queryset updates (SoftwareQuerySet: a DOAP refresh's error, an ownership proof,
  the statuses after the suites changed) and deletions (a receiver of post_delete);
- a server entry's evidence (compliance/probing/verification.py): a probe run finished
  (compliance/probing/worker.py), saved done or deleted, a probed server deleted (its entries
  lose their reference deployment). The evidence run turning 30 days old is no write: a reading
  says until when it is valid (Version.valid_until).

Each writer drops the token at once and again after its transaction commits: a request between
the two renders what was committed before, under a token the commit then drops. A token lives
VERSION_SECONDS at most, which bounds what a write no hook sees (raw SQL, a crash between the
commit and the second drop) could leave stale.

Without a shared cache (each process's own memory: the embedded setup, tests without Redis), a
write in one process (a worker importing a DOAP file) could not reach another's tokens, so the
version is the database's own stamp of the entry, one indexed query (entry_stamp), which every
write moves by itself: `updated_at` (written by every save of the row), the bookkeeping columns
written by queryset updates, the reference deployment and its evidence run.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import NamedTuple

from django.core.cache import cache as default_cache
from django.db import connection, transaction

from compliance.models import ProbedServer, ProbeRun, Software
from compliance.shared_cache import redis_of_cache

log = logging.getLogger(__name__)

VERSION_SECONDS = 600
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")  # what a software's slug can be


class Stamp(NamedTuple):
    text: str  # the columns that move with every write, joined
    valid_until: datetime | None  # when the evidence run turns 30 days old


@cache
def _sql() -> tuple[str, str]:
    """The entry by the slug's unique index; its evidence run by the reference server's index,
    with evidence_run's condition. Two plain queries: on PostgreSQL, one with the run as a
    subquery took longer to plan than both take to run."""
    software, runs = Software._meta.db_table, ProbeRun._meta.db_table
    entry = (
        "SELECT id, updated_at, doap_checked_at, doap_fetch_error, unverified,"
        " reference_server_id, role"
        f" FROM {software} WHERE slug = %s"
    )
    run = (
        f"SELECT id, finished_at FROM {runs} WHERE server_id = %s AND state = %s"
        " AND finished_at >= %s ORDER BY finished_at DESC, id DESC LIMIT 1"
    )
    return entry, run


def entry_stamp(slug: str, now: datetime) -> Stamp | None:
    """The database's stamp of the entry with this slug, None without one: one query of a few
    columns, whatever the entry has; a second, of its evidence run, for a server entry naming a
    reference deployment."""
    from compliance.probing.verification import EVIDENCE_DAYS  # it writes entries: not at import

    if not SLUG.fullmatch(slug):
        return None
    entry, run = _sql()
    with connection.cursor() as cursor:
        cursor.execute(entry, [slug])
        row = cursor.fetchone()
        if row is None:
            return None
        *columns, reference, role = row
        until = None
        if reference is not None and role == Software.SERVER:
            since = now - timedelta(days=EVIDENCE_DAYS)
            since = connection.ops.adapt_datetimefield_value(since)
            cursor.execute(run, [reference, ProbeRun.DONE, since])
            found = cursor.fetchone()
            columns += [reference, found and found[0]]
            if found:
                until = _aware(found[1]) + timedelta(days=EVIDENCE_DAYS)
    return Stamp("|".join(map(str, columns)), until)


def _aware(value: datetime) -> datetime:
    """A datetime a raw query read: SQLite's are naive, in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Version(NamedTuple):
    text: str
    stamp: Stamp | None = None  # the database's, when it was read for this version

    def valid_until(self, slug: str, now: datetime) -> datetime | None:
        """Until when a reading of the entry rendered now is valid: its evidence run's 30 days."""
        stamp = self.stamp or entry_stamp(slug, now)
        return stamp.valid_until if stamp else None


def shared() -> bool:
    """Whether versions are tokens in a shared cache (else the database's stamps)."""
    return redis_of_cache() is not None


def _key(slug: str) -> str:
    return default_cache.make_key(f"entry-version:{slug}")


def entry_version(slug: str, now: datetime) -> Version | None:
    """The version of the entry with this slug (see the module docstring), None without one.
    With a shared cache: one round trip when the token is there."""
    server = redis_of_cache()
    if server is None:
        stamp = entry_stamp(slug, now)
        return Version(stamp.text, stamp) if stamp else None
    if not SLUG.fullmatch(slug):
        return None
    key = _key(slug)
    token = server.get(key)
    if token is not None:
        return Version(token.decode())
    stamp = entry_stamp(slug, now)
    if stamp is None:  # no token for what does not exist
        return None
    fresh = secrets.token_hex(8).encode()
    token = server.set(key, fresh, nx=True, get=True, ex=VERSION_SECONDS) or fresh
    return Version(token.decode(), stamp)


def _drop(slugs: list[str]) -> None:
    server = redis_of_cache()
    if server is None or not slugs:
        return
    try:
        server.delete(*[_key(slug) for slug in slugs])
    except Exception:  # the readers cannot reach it either; the tokens' lifetime bounds the rest
        log.exception("Could not drop the versions of %s", ", ".join(slugs))


def entries_changed(slugs: Iterable[str]) -> None:
    """Drop the versions of these entries now and once the transaction commits."""
    slugs = sorted(set(slugs))
    if slugs and shared():
        _drop(slugs)
        transaction.on_commit(lambda: _drop(slugs), robust=True)


def server_entries_changed(server_ids: Iterable[int]) -> None:
    """The evidence of the entries naming these servers as reference deployments changed."""
    ids = [server_id for server_id in set(server_ids) if server_id is not None]
    if ids and shared():
        found = Software.objects.filter(reference_server_id__in=ids).values_list("slug", flat=True)
        entries_changed(found)


# Receivers, connected in ComplianceConfig.ready.


def software_written(sender, instance: Software, **kwargs) -> None:
    """Saved or deleted."""
    entries_changed([instance.slug])


def run_saved(sender, instance: ProbeRun, **kwargs) -> None:
    if instance.state == ProbeRun.DONE:
        server_entries_changed([instance.server_id])


def run_deleted(sender, instance: ProbeRun, **kwargs) -> None:
    server_entries_changed([instance.server_id])


def server_deleting(sender, instance: ProbedServer, **kwargs) -> None:
    server_entries_changed([instance.pk])
