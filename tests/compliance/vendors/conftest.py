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


@pytest.fixture
def vendor(make_user):
    return make_user("vendor")


@pytest.fixture
def entry(vendor):
    """An entry with a DOAP claim and a self-assessed one, maintained by `vendor`."""
    from compliance.claims import ClaimValues, write_claims
    from compliance.history import Actor
    from compliance.models import Software
    from compliance.vendors.maintainers import add_maintainer

    software = Software.objects.create(
        name="Vendor Server", slug="vendor-server", role="server", current_version="2.0"
    )
    write_claims(
        software,
        actor=Actor("DOAP import from a test"),
        put=[
            ClaimValues("XEP-0030", "doap", "complete"),
            ClaimValues("XEP-0045", "doap", "planned"),
        ],
    )
    write_claims(software, actor=Actor("vendor"), put=[ClaimValues("XEP-0313", "self", "partial")])
    add_maintainer(software, vendor, actor=Actor("the admin"), how="a test")
    return software
