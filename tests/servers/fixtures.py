"""Fixtures of the tests against live servers on loopback (the probe's and the probe service's):
a test CA, real Prosody servers and real DNS servers, and the probe service's settings and
worker for them. A plugin of tests/conftest.py.

Prosody (Debian's package) is started once per session per configuration. Where it is not
installed, the tests that need it are skipped with the reason, except under CI, where they fail.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.servers import LOOPBACK
from tests.servers.dns import LoopbackDNS
from tests.servers.pki import CertificateAuthority
from tests.servers.prosody import PROSODY, PROSODYCTL, Prosody, zone_for


def require_prosody() -> None:
    if PROSODY and PROSODYCTL:
        return
    reason = "Prosody is not installed (Debian: apt-get install prosody); .ci/run installs it"
    if IN_CI:
        pytest.fail(f"{reason}: CI needs it.")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pki():
    directory = Path(tempfile.mkdtemp(prefix="probe-pki-"))
    directory.chmod(0o755)
    yield CertificateAuthority(directory)
    shutil.rmtree(directory, ignore_errors=True)


def _prosody(pki: CertificateAuthority, rich: bool):
    require_prosody()
    server = Prosody(pki, rich=rich).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def prosody_rich(pki):
    yield from _prosody(pki, rich=True)


@pytest.fixture(scope="session")
def prosody_minimal(pki):
    yield from _prosody(pki, rich=False)


@pytest.fixture(scope="session")
def dns_rich(prosody_rich):
    with LoopbackDNS(zone_for(prosody_rich)) as server:
        yield server


@pytest.fixture(scope="session")
def dns_minimal(prosody_minimal):
    with LoopbackDNS(zone_for(prosody_minimal)) as server:
        yield server


PROBE_RUN_TIMEOUT = 30.0


@pytest.fixture
def probe_settings(settings, prosody_rich, dns_rich):
    """The probe service's PROBE_* settings pointing at the rich Prosody through its DNS."""
    settings.PROBE_NAMESERVER = dns_rich.nameserver
    settings.PROBE_CA_FILE = str(prosody_rich.ca.path)
    settings.PROBE_ALLOW_NETWORKS = list(LOOPBACK)
    settings.PROBE_TIMEOUT = PROBE_RUN_TIMEOUT
    return settings


@pytest.fixture
def probe_worker(transactional_db, probe_settings):
    """A real Celery worker of the probes queue, in a thread, on the configured broker."""
    from celery.contrib.testing.worker import start_worker

    from dashboard.celery import app

    with start_worker(
        app, pool="solo", perform_ping_check=False, queues=["probes"], shutdown_timeout=60
    ) as running:
        yield running
