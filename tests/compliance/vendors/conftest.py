"""Fixtures of the vendor tests: a DNS server on loopback the proofs ask, a vendor, and an entry
they maintain (users, the test CA and the HTTPS server are in tests/conftest.py)."""

import pytest

from tests.servers.dns import LoopbackDNS, Zone


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
