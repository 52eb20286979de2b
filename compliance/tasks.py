"""Background work of the compliance app (queue "doap", routed in settings).

Task names are public contracts: do not rename them.
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils import timezone

from compliance.doap.importer import import_doap
from compliance.doap.parse import DoapError
from compliance.logos import fetch_logos, logos_to_fetch
from compliance.models import Software
from compliance.probing import scheduled, worker
from compliance.registry.sync import SyncFailed, SyncRefused, sync_registry

log = logging.getLogger(__name__)

REFRESH_SOFT_LIMIT = 60  # s; the fetch itself is bounded by DOAP_FETCH_TIMEOUT
SYNC_SOFT_LIMIT = 600  # s; 86 DOAP files, 8 at a time, each bounded by DOAP_FETCH_TIMEOUT
LOGOS_SOFT_LIMIT = 600  # s; one logo per entry, 8 at a time, each bounded by DOAP_FETCH_TIMEOUT


def _record(software_id: int, error: str) -> None:
    Software.objects.filter(pk=software_id).update(
        doap_fetch_error=error, doap_checked_at=timezone.now()
    )


@shared_task(
    name="compliance.refresh_doap",
    acks_late=True,
    soft_time_limit=REFRESH_SOFT_LIMIT,
    time_limit=REFRESH_SOFT_LIMIT + 30,
)
def refresh_doap(software_id: int) -> str:
    """Re-import one software's DOAP URL. Every failure, its time limit and our own bugs
    included, is recorded on the entry (the page shows it) and the last good import is kept."""
    software = Software.objects.filter(pk=software_id).exclude(doap_url="").first()
    if software is None:
        return "gone"
    try:
        import_doap(software.doap_url, role=software.role)
    except DoapError as exc:
        _record(software_id, str(exc))
        return "failed"
    except SoftTimeLimitExceeded:
        _record(
            software_id, f"The refresh took longer than {REFRESH_SOFT_LIMIT} s and was stopped."
        )
        return "failed"
    except Exception as exc:
        log.exception("DOAP refresh of %s failed", software.doap_url)
        _record(
            software_id, f"The refresh failed on an error of the dashboard ({type(exc).__name__})."
        )
        raise
    _record(software_id, "")
    return "imported"


@shared_task(name="compliance.refresh_all_doap")
def refresh_all_doap() -> int:
    """Queue a refresh for every software that has a DOAP URL (daily, from beat), except those
    the registry sync keeps (it asks conditionally and records each fetch on the entry)."""
    listed = Software.objects.filter(
        registry_entry__isnull=False, registry_entry__removed_at__isnull=True
    )
    ids = list(
        Software.objects.exclude(doap_url="")
        .exclude(pk__in=listed.values("pk"))
        .values_list("pk", flat=True)
    )
    for software_id in ids:
        refresh_doap.delay(software_id)
    return len(ids)


@shared_task(
    name="compliance.sync_registry",
    acks_late=True,
    soft_time_limit=SYNC_SOFT_LIMIT,
    time_limit=SYNC_SOFT_LIMIT + 60,
)
def sync_registry_task() -> dict:
    """Sync the xmpp.org software registry (daily, from beat): the counts per outcome, or why
    it did not run (another sync is running, or the list could not be read)."""
    try:
        return sync_registry().counts
    except SyncRefused as exc:
        return {"refused": str(exc)}
    except SyncFailed as exc:
        return {"failed": str(exc)}


@shared_task(
    name="compliance.fetch_logos",
    acks_late=True,
    soft_time_limit=LOGOS_SOFT_LIMIT,
    time_limit=LOGOS_SOFT_LIMIT + 60,
)
def fetch_logos_task() -> dict:
    """Fetch the logos whose DOAP URL changed since they were stored (daily, from beat, after
    the DOAP refresh and the registry sync): how many were stored, refused and cleared."""
    return fetch_logos(logos_to_fetch())


PROBE_SOFT_LIMIT, PROBE_HARD_LIMIT = worker.time_limits(settings.PROBE_TIMEOUT)
STALE_AFTER = PROBE_HARD_LIMIT + 60  # s in "running": past the hard limit, the worker is gone


@shared_task(
    name="compliance.probe_run",
    acks_late=True,
    reject_on_worker_lost=False,
    soft_time_limit=PROBE_SOFT_LIMIT,
    time_limit=PROBE_HARD_LIMIT,
)
def probe_run(run_id: int) -> str:
    """Probe one submitted run (its id only: the password stays encrypted in the database)."""
    return worker.execute(run_id)


@shared_task(name="compliance.probe_reaper")
def probe_reaper() -> int:
    """Every minute, from beat: fail the runs whose worker was lost, drop their passwords."""
    return worker.reap(stale_after=STALE_AFTER)


@shared_task(name="compliance.probe_scheduled")
def probe_scheduled() -> int:
    """Daily, from beat: re-probe the servers whose owners stored a test account for it."""
    return scheduled.queue_reprobes()
