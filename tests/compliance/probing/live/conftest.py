"""The probe service against a real Prosody: PROBE_* settings pointing at the loopback DNS and
the test CA, and a real Celery worker on the configured broker (Redis under CI)."""

import pytest
from celery.contrib.testing.worker import start_worker

from dashboard.celery import app
from tests.servers import LOOPBACK

RUN_TIMEOUT = 30.0


@pytest.fixture
def probe_settings(settings, prosody_rich, dns_rich):
    settings.PROBE_NAMESERVER = dns_rich.nameserver
    settings.PROBE_CA_FILE = str(prosody_rich.ca.path)
    settings.PROBE_ALLOW_NETWORKS = list(LOOPBACK)
    settings.PROBE_TIMEOUT = RUN_TIMEOUT
    return settings


@pytest.fixture
def probe_worker(transactional_db, probe_settings):
    with start_worker(
        app, pool="solo", perform_ping_check=False, queues=["probes"], shutdown_timeout=60
    ) as running:
        yield running
