"""probes.connect.dns against real DNS servers on loopback: the policy on resolved addresses, and
a nameserver that never answers."""

from __future__ import annotations

import asyncio

import pytest

from probes.addresses import NetworkPolicy
from probes.connect.dns import Resolver
from probes.errors import AddressRefused, NetworkTimeout

LOOPBACK = NetworkPolicy.allowing(["127.0.0.0/8"])


def test_it_refuses_loopback_unless_allowed(dns, resolver):
    with pytest.raises(AddressRefused):
        asyncio.run(Resolver(nameserver=dns.nameserver).allowed_addresses("v6.example.test"))
    assert asyncio.run(resolver().allowed_addresses("example.test")) == ["127.0.0.1"]


def test_it_reports_a_silent_nameserver_as_a_timeout():
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{silent.getsockname()[1]}"
        quick = Resolver(policy=LOOPBACK, nameserver=address, timeout=0.3)
        with pytest.raises(NetworkTimeout, match="timed out"):
            asyncio.run(quick.srv("xmpp-client", "example.test"))
