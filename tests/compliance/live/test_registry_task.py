"""The daily registry sync through a real Celery worker on the configured broker."""

from compliance.models import RegistryEntry, RegistrySync, Software
from compliance.tasks import refresh_all_doap, sync_registry_task
from dashboard.settings import CELERY_BEAT_SCHEDULE


def test_it_syncs_the_registry_through_the_worker(registry, worker):
    counts = sync_registry_task.delay().get(timeout=60)
    assert counts["created"] == 13
    assert counts["no_doap"] == 108
    assert Software.objects.count() == 13
    assert RegistryEntry.objects.count() == 194
    assert not RegistrySync.objects.get().running
    assert refresh_all_doap.delay().get(timeout=30) == 0  # the sync keeps these entries


def test_a_second_sync_is_refused_while_one_runs(registry, worker):
    RegistrySync.objects.create(url="elsewhere")
    result = sync_registry_task.delay().get(timeout=60)
    assert "already running" in result["refused"]
    assert not RegistryEntry.objects.exists()


def test_beat_runs_it_daily():
    entry = CELERY_BEAT_SCHEDULE["sync-registry-daily"]
    assert entry["task"] == "compliance.sync_registry"
    assert str(entry["schedule"]) == "<crontab: 30 3 * * * (m/h/dM/MY/d)>"
