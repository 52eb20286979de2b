"""Background work of the compliance app (queue "doap", routed in settings).

Task names are public contracts: do not rename them.
"""

from celery import shared_task
from django.utils import timezone

from compliance.doap.importer import import_doap
from compliance.doap.parse import DoapError
from compliance.models import Software


@shared_task(name="compliance.refresh_doap", acks_late=True, soft_time_limit=60, time_limit=90)
def refresh_doap(software_id: int) -> str:
    """Re-import one software's DOAP URL; on failure keep the last good import and say why."""
    software = Software.objects.filter(pk=software_id).exclude(doap_url="").first()
    if software is None:
        return "gone"
    try:
        import_doap(software.doap_url, role=software.role)
    except DoapError as exc:
        Software.objects.filter(pk=software_id).update(
            doap_fetch_error=str(exc), doap_checked_at=timezone.now()
        )
        return "failed"
    Software.objects.filter(pk=software_id).update(
        doap_fetch_error="", doap_checked_at=timezone.now()
    )
    return "imported"


@shared_task(name="compliance.refresh_all_doap")
def refresh_all_doap() -> int:
    """Queue a refresh for every software that has a DOAP URL (daily, from beat)."""
    ids = list(Software.objects.exclude(doap_url="").values_list("pk", flat=True))
    for software_id in ids:
        refresh_doap.delay(software_id)
    return len(ids)
