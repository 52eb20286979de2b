"""The network policy: public addresses only, unless a network is explicitly allowed."""

import pytest

from probes.addresses import NetworkPolicy
from probes.errors import AddressRefused


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "100.64.0.1",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "2001:db8::1",
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
        "2001:0:5db8:d70e:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
        "fec0::1",  # site-local (deprecated, still routed by some networks)
    ],
)
def test_it_refuses_non_public_addresses(address):
    assert not NetworkPolicy().permits(address)
    with pytest.raises(AddressRefused, match="Refused to connect"):
        NetworkPolicy().check(address, "example.org")


@pytest.mark.parametrize(
    "address", ["93.184.215.14", "2a00:1450:4001:82b::200e", "1.1.1.1", "2002:5db8:d70e::1"]
)
def test_it_permits_public_addresses(address):
    assert NetworkPolicy().permits(address)


def test_an_allowed_network_is_permitted():
    policy = NetworkPolicy.allowing(["127.0.0.0/8", "::1"])
    assert policy.permits("127.0.0.53")
    assert policy.permits("::1")
    assert policy.permits("::ffff:127.0.0.1")
    assert not policy.permits("10.0.0.1")


def test_a_bad_network_is_an_error():
    with pytest.raises(ValueError, match="does not appear to be"):
        NetworkPolicy.allowing(["localhost"])
