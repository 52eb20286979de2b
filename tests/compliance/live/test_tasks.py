"""DOAP refresh through a real Celery worker on the configured broker (Redis under CI)."""

import signal
import time

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.test import Client

from compliance.doap.importer import import_doap
from compliance.models import Software
from compliance.tasks import refresh_all_doap, refresh_doap
from tests.servers.http import HANG


def test_it_refreshes_every_doap_url_through_the_worker(http_server, doap_dir, worker):
    base, files = http_server
    files["/gajim.doap"] = (200, (doap_dir / "gajim.doap").read_bytes(), {})
    gajim = import_doap(f"{base}/gajim.doap").software
    gajim.claims.filter(spec="XEP-0030").delete()
    imported_at = gajim.doap_checked_at  # an import from a URL records its check
    assert refresh_all_doap.delay().get(timeout=30) == 1
    deadline = time.monotonic() + 30
    while gajim.doap_checked_at == imported_at and time.monotonic() < deadline:
        time.sleep(0.1)
        gajim.refresh_from_db()
    assert gajim.doap_fetch_error == ""
    assert gajim.claims.filter(spec="XEP-0030").exists()


def test_a_failed_refresh_keeps_the_last_good_import(http_server, doap_dir, worker):
    base, files = http_server
    files["/gajim.doap"] = (200, (doap_dir / "gajim.doap").read_bytes(), {})
    gajim = import_doap(f"{base}/gajim.doap").software
    claims = gajim.claims.count()
    files["/gajim.doap"] = (200, b"<rdf:RDF", {})
    assert refresh_doap.delay(gajim.pk).get(timeout=30) == "failed"
    gajim.refresh_from_db()
    assert "not well-formed" in gajim.doap_fetch_error
    assert gajim.claims.count() == claims
    assert gajim.doap_checked_at is not None


def test_a_deleted_software_is_skipped(worker):
    assert refresh_doap.delay(987654).get(timeout=30) == "gone"
    assert not Software.objects.exists()


@pytest.fixture
def soft_time_limit():
    """Raise SoftTimeLimitExceeded in this thread after `seconds`, as Celery's prefork pool does
    (a signal to the worker process)."""

    def arm(seconds: float) -> None:
        def expired(signum, frame):
            raise SoftTimeLimitExceeded()

        signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL, seconds)

    previous = signal.getsignal(signal.SIGALRM)
    yield arm
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


def test_a_refresh_stopped_by_its_time_limit_is_recorded(
    http_server, doap_dir, db, settings, soft_time_limit
):
    base, files = http_server
    files["/gajim.doap"] = (200, (doap_dir / "gajim.doap").read_bytes(), {})
    gajim = import_doap(f"{base}/gajim.doap").software
    claims = gajim.claims.count()
    files["/gajim.doap"] = HANG
    settings.DOAP_FETCH_TIMEOUT = 5
    soft_time_limit(0.5)
    assert refresh_doap(gajim.pk) == "failed"
    gajim.refresh_from_db()
    assert gajim.doap_fetch_error == "The refresh took longer than 60 s and was stopped."
    assert gajim.doap_checked_at is not None
    assert gajim.claims.count() == claims
    page = Client().get("/software/gajim/").content.decode()
    assert "last refresh failed" in page
    assert "took longer than 60 s" in page
