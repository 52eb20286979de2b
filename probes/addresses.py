"""Which network addresses a probe or a fetch may connect to.

Public addresses are allowed. Private, loopback, link-local, multicast, reserved and unspecified
ones are refused unless their network is explicitly allowed (a setting, `--allow-network`, or an
explicit `--host` for the XMPP connections). The check is made on the resolved address, for every
connection.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from probes.errors import AddressRefused

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """Networks from strings such as '127.0.0.0/8' or '::1'; ValueError on a bad one."""
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values)


def is_public(address: IPAddress) -> bool:
    """Global, neither multicast nor reserved. An IPv6 address that carries an IPv4 one
    (IPv4-mapped, 6to4, Teredo) is judged by that one too; site-local fec0::/10 (deprecated, yet
    routed by some networks) is refused."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public(address.ipv4_mapped)
        embedded = [address.sixtofour, *(address.teredo or ())]
        if address.is_site_local or not all(is_public(a) for a in embedded if a is not None):
            return False
    return address.is_global and not (address.is_multicast or address.is_reserved)


@dataclass(frozen=True)
class NetworkPolicy:
    """Which addresses may be contacted: public ones, and any in the allowed networks."""

    allowed_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def allowing(cls, values: Iterable[str]) -> NetworkPolicy:
        return cls(parse_networks(values))

    def permits(self, address: str | IPAddress) -> bool:
        ip = ipaddress.ip_address(address) if isinstance(address, str) else address
        mapped = getattr(ip, "ipv4_mapped", None)
        candidates = [ip] if mapped is None else [ip, mapped]
        if any(
            c in network
            for c in candidates
            for network in self.allowed_networks
            if c.version == network.version
        ):
            return True
        return is_public(ip)

    def check(self, address: str | IPAddress, name: str = "") -> None:
        if not self.permits(address):
            label = f"{name} ({address})" if name and name != str(address) else str(address)
            raise AddressRefused(
                f"Refused to connect to {label}: a private, loopback, link-local or reserved "
                "address, and its network is not explicitly allowed."
            )
