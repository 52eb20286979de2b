"""manage.py sync_registry: JSON, progress, exit codes; one sync at a time."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from compliance.management.commands.sync_registry import progress_bar
from compliance.models import RegistrySync
from compliance.registry.sync import SyncRefused, sync_registry

pytestmark = pytest.mark.django_db


def test_it_prints_json(registry, capsys):
    call_command("sync_registry", "--json")
    payload = json.loads(capsys.readouterr().out)
    assert set(payload) == {"registry", "entries", "counts", "duration_s"}
    assert payload["registry"] == registry.url
    assert payload["counts"]["created"] == 13
    assert sum(payload["counts"].values()) == len(payload["entries"]) == 195
    prosody = next(e for e in payload["entries"] if e["name"] == "Prosody IM")
    assert prosody == {
        "name": "Prosody IM",
        "slug": "prosody-im",
        "outcome": "created",
        "reason": "",
    }


def test_it_takes_the_url_and_draws_progress(registry, settings, capsys):
    settings.REGISTRY_URL = "http://127.0.0.1:9/nothing.json"
    err = io.StringIO()
    call_command("sync_registry", "--url", registry.url, "--progress", stderr=err)
    assert "] 86/86 DOAP files" in err.getvalue()
    assert "entries (13 created, 74 failed, 108 no_doap)" in capsys.readouterr().out


def test_the_progress_bar():
    assert progress_bar(0, 86, width=10) == "[----------]  0/86 DOAP files"
    assert progress_bar(43, 86, width=10) == "[#####-----] 43/86 DOAP files"
    assert progress_bar(0, 0, width=4) == "[####] 0/0 DOAP files"


def test_a_bad_registry_exits_non_zero(registry):
    registry.site.files["/data/software.json"] = (200, b"[1, 2", {})
    with pytest.raises(CommandError, match="not JSON") as raised:
        call_command("sync_registry")
    assert raised.value.returncode == 1


def test_a_sync_never_runs_twice_at_once(registry):
    running = RegistrySync.objects.create(url="elsewhere")
    with pytest.raises(SyncRefused, match="already running"):
        sync_registry()
    with pytest.raises(CommandError, match="already running") as raised:
        call_command("sync_registry")
    assert raised.value.returncode == 3
    running.refresh_from_db()
    assert running.running
    assert RegistrySync.objects.count() == 1


def test_a_run_without_a_heartbeat_is_reaped(registry):
    stale = RegistrySync.objects.create(url="elsewhere")
    RegistrySync.objects.filter(pk=stale.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=16)
    )
    assert sync_registry().counts["created"] == 13
    stale.refresh_from_db()
    assert not stale.running
    assert "Abandoned" in stale.error
