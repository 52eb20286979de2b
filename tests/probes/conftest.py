"""Fixtures for the probe tests: a test CA, real Prosody servers and a real DNS server, all on
loopback; and the helpers that probe them.

Prosody (Debian's package) is started once per session per configuration. Where it is not
installed, the tests that need it are skipped with the reason, except under CI, where they fail.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

import pytest

from probes.options import Options
from probes.runner import run_probe
from tests.conftest import IN_CI
from tests.probes.servers.dns import LoopbackDNS, Zone
from tests.probes.servers.pki import CertificateAuthority
from tests.probes.servers.prosody import DOMAIN, PASSWORD, PROSODY, PROSODYCTL, USER, Prosody

LOOPBACK = ("127.0.0.0/8", "::1/128")


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


def zone_for(server: Prosody) -> Zone:
    """SRV and address records for a Prosody instance, as a real deployment would publish them."""
    zone = Zone()
    for name in (DOMAIN, f"xmpp.{DOMAIN}", f"conference.{DOMAIN}", f"upload.{DOMAIN}"):
        zone.address(name, "127.0.0.1")
    zone.srv(f"_xmpp-client._tcp.{DOMAIN}", f"xmpp.{DOMAIN}", server.c2s_port)
    if server.rich:
        zone.srv(f"_xmpps-client._tcp.{DOMAIN}", f"xmpp.{DOMAIN}", server.direct_tls_port)
    return zone


@pytest.fixture(scope="session")
def dns_rich(prosody_rich):
    with LoopbackDNS(zone_for(prosody_rich)) as server:
        yield server


@pytest.fixture(scope="session")
def dns_minimal(prosody_minimal):
    with LoopbackDNS(zone_for(prosody_minimal)) as server:
        yield server


def options_for(server: Prosody, dns: LoopbackDNS, *, account: bool = True, **extra) -> Options:
    """Options probing a test Prosody through the loopback DNS, trusting the test CA."""
    values = {
        "domain": DOMAIN,
        "ca_file": str(server.ca.path),
        "nameserver": dns.nameserver,
        "allow_networks": LOOPBACK,
        "http_base": server.http_base if server.rich else f"https://{DOMAIN}:{closed_port()}",
        "check_timeout": 10.0,
        "run_timeout": 30.0,
    }
    if account:
        values |= {"jid": f"{USER}@{DOMAIN}", "password": PASSWORD}
    return Options(**(values | extra))


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    from tests.probes.servers.prosody import free_port

    return free_port()


def probe(options: Options):
    return asyncio.run(run_probe(options))
