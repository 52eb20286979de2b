"""Fixtures for probes.connect against real servers: a DNS server on loopback with the zone the
tests ask about, and resolvers that use it."""

from __future__ import annotations

import pytest

from probes.addresses import NetworkPolicy
from probes.connect.dns import Resolver
from tests.servers.dns import LoopbackDNS, Zone

LOOPBACK = NetworkPolicy.allowing(["127.0.0.0/8"])


@pytest.fixture(scope="module")
def dns():
    zone = (
        Zone()
        .address("example.test", "127.0.0.1")
        .address("a.example.test", "127.0.0.2")
        .address("b.example.test", "127.0.0.3")
        .address("c.example.test", "127.0.0.4")
        .address("private.example.test", "10.0.0.7")
        .address("v6.example.test", "::1")
        .address("two.example.test", "127.0.0.2")
        .address("two.example.test", "127.0.0.1")
        .srv("_xmpp-client._tcp.example.test", "b.example.test", 5222, priority=10, weight=5)
        .srv("_xmpp-client._tcp.example.test", "a.example.test", 5222, priority=10, weight=50)
        .srv("_xmpp-client._tcp.example.test", "c.example.test", 5223, priority=5)
        .srv("_xmpps-client._tcp.example.test", "private.example.test", 5223)
        .srv("_xmpp-client._tcp.none.test", ".", 0)
        .address("none.test", "127.0.0.5")
        .srv("_xmpps-client._tcp.unresolvable.test", "nowhere.unresolvable.test", 5223)
        .srv("_xmpps-client._tcp.slow.test", "silent.slow.test", 5223)
        .silent("silent.slow.test")
        .srv("_xmpp-client._tcp.many.test", "crowd.many.test", 5222)
    )
    for i in range(30):  # one target of 30 addresses; 15 targets of one
        zone.address("crowd.many.test", f"127.0.1.{i + 1}")
    for i in range(15):
        zone.address(f"t{i:02}.many.test", f"127.0.2.{i + 1}")
        zone.srv("_xmpps-client._tcp.many.test", f"t{i:02}.many.test", 5223, priority=i)
    with LoopbackDNS(zone) as server:
        yield server


@pytest.fixture
def resolver(dns):
    """resolver(policy=loopback allowed, timeout=2.0): a Resolver asking the loopback DNS."""

    def make(policy: NetworkPolicy = LOOPBACK, timeout: float = 2.0) -> Resolver:
        return Resolver(policy=policy, nameserver=dns.nameserver, timeout=timeout)

    return make
