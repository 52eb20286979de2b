"""Fixtures of the vendor tests: users, a test CA, and HTTPS and DNS servers on loopback whose
answers the proofs read."""

import ssl
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from tests.servers.dns import LoopbackDNS, Zone
from tests.servers.http import ThreadedSite
from tests.servers.pki import CertificateAuthority


@pytest.fixture
def make_user(db):
    def make(name: str, **fields):
        return get_user_model().objects.create_user(
            name, f"{name}@vendor.example", "a long test password", **fields
        )

    return make


@pytest.fixture(scope="session")
def vendor_pki():
    return CertificateAuthority(Path(tempfile.mkdtemp(prefix="vendor-pki-")))


@pytest.fixture
def https_site(vendor_pki, settings):
    """An HTTPS server on 127.0.0.1 with a certificate of the test CA, which the site's fetches
    trust (FETCH_CA_FILE), and whose network ownership proofs may reach."""
    files = vendor_pki.issue("site", ["127.0.0.1"])
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(files.certificate, files.key)
    settings.FETCH_CA_FILE = str(vendor_pki.path)
    settings.OWNERSHIP_ALLOW_NETWORKS = ["127.0.0.0/8"]
    settings.OWNERSHIP_PROOF_TIMEOUT = 2
    with ThreadedSite(ssl_context=context) as site:
        yield site


@pytest.fixture
def dns_zone(settings):
    """A DNS server on loopback that the site's lookups ask (FETCH_NAMESERVER)."""
    zone = Zone()
    with LoopbackDNS(zone) as server:
        settings.FETCH_NAMESERVER = server.nameserver
        settings.OWNERSHIP_PROOF_TIMEOUT = 2
        yield zone
