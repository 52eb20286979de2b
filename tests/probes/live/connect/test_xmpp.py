"""probes.connect.xmpp through a real DNS server on loopback: SRV order and fallback, explicit
overrides, targets that do not resolve or are refused by the policy."""

from __future__ import annotations

import asyncio

import pytest

from probes.connect.xmpp import xmpp_endpoints
from probes.errors import AddressRefused, NetworkError, NetworkTimeout, NoEndpoint


def endpoints(resolver, domain, **kwargs):
    return asyncio.run(xmpp_endpoints(resolver(), domain, **kwargs))


def test_it_orders_srv_targets_by_priority_then_weight(resolver):
    found, notes = endpoints(resolver, "example.test", direct_tls=False)
    assert [(e.host, e.address, e.port) for e in found] == [
        ("c.example.test", "127.0.0.4", 5223),
        ("a.example.test", "127.0.0.2", 5222),
        ("b.example.test", "127.0.0.3", 5222),
    ]
    assert notes[0].startswith("SRV _xmpp-client._tcp.example.test: c.example.test:5223")
    assert {e.source for e in found} == {"SRV _xmpp-client._tcp"}


def test_it_falls_back_to_the_domain_on_5222_without_srv(resolver):
    found, _ = endpoints(resolver, "a.example.test", direct_tls=False)
    assert [(e.host, e.port, e.source) for e in found] == [
        ("a.example.test", 5222, "the domain on port 5222 (no SRV record)")
    ]


def test_it_has_no_direct_tls_fallback_and_honours_a_dot_target(resolver):
    with pytest.raises(NoEndpoint, match=r"_xmpps-client\._tcp\.a\.example\.test: no record"):
        endpoints(resolver, "a.example.test", direct_tls=True)
    with pytest.raises(NoEndpoint, match="none.test: '.' \\(decidedly not available\\)"):
        endpoints(resolver, "none.test", direct_tls=False)  # none.test has an address: not tried


def test_it_tells_srv_targets_that_do_not_resolve_from_no_srv_record(resolver):
    with pytest.raises(NetworkError) as unresolvable:
        endpoints(resolver, "unresolvable.test", direct_tls=True)
    assert not isinstance(unresolvable.value, NoEndpoint)
    assert str(unresolvable.value) == (
        "No address to connect to: SRV _xmpps-client._tcp.unresolvable.test: "
        "nowhere.unresolvable.test:5223 (priority 0, weight 0); nowhere.unresolvable.test: "
        "The name nowhere.unresolvable.test does not resolve to any address."
    )
    quick = resolver(timeout=0.3)
    with pytest.raises(NetworkTimeout, match=r"silent\.slow\.test \(AAAA\) timed out"):
        asyncio.run(xmpp_endpoints(quick, "slow.test", direct_tls=True))


def test_it_uses_an_explicit_host_and_port(resolver):
    found, _ = endpoints(
        resolver, "example.test", direct_tls=False, host="b.example.test", port=5999
    )
    assert [(e.address, e.port, e.source) for e in found] == [("127.0.0.3", 5999, "--host/--port")]


def test_it_refuses_srv_targets_on_private_addresses(resolver):
    with pytest.raises(AddressRefused, match=r"private\.example\.test \(10\.0\.0\.7\)"):
        endpoints(resolver, "example.test", direct_tls=True)


def test_it_caps_the_srv_targets_and_the_addresses_it_returns(resolver):
    found, notes = endpoints(resolver, "many.test", direct_tls=False)
    assert [e.address for e in found] == [f"127.0.1.{i + 1}" for i in range(10)]
    assert notes[-1].startswith("crowd.many.test -> 127.0.1.1, 127.0.1.2, ")
    assert notes[-1].endswith(", 127.0.1.10 (20 more not tried)")
    found, notes = endpoints(resolver, "many.test", direct_tls=True, max_targets=12)
    assert [e.host for e in found] == [f"t{i:02}.many.test" for i in range(10)]
    assert notes[0].endswith("; 3 more records skipped (the probe tries at most 12 targets)")
    assert notes[-1] == "2 more targets not looked up: the probe tries at most 10 addresses."
