"""DNS: one resolver for every name a probe looks up (SRV targets, A/AAAA, hosts in HTTP and
WebSocket URLs), optionally from a given nameserver, each lookup bounded in time; the addresses a
host may be connected to are the ones the NetworkPolicy permits."""

from __future__ import annotations

import contextlib
import ipaddress
from dataclasses import dataclass, field

import dns.asyncresolver
import dns.exception
import dns.rdatatype
import dns.resolver

from probes.addresses import NetworkPolicy
from probes.errors import NetworkError, NetworkTimeout


@dataclass(frozen=True)
class SrvTarget:
    """One SRV record of a service (RFC 2782)."""

    host: str
    port: int
    priority: int
    weight: int


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def split_nameserver(value: str) -> tuple[str, int]:
    """'127.0.0.1:5353', '[::1]:5353', '::1' or '127.0.0.1' -> (address, port)."""
    if value.startswith("["):
        address, _, port = value[1:].partition("]:")
        return address.rstrip("]"), int(port or 53)
    if value.count(":") == 1:
        address, port = value.split(":")
        return address, int(port)
    return value, 53


@dataclass
class Resolver:
    """One resolver for every name a probe looks up, guarded by the network policy."""

    policy: NetworkPolicy = field(default_factory=NetworkPolicy)
    nameserver: str | None = None
    timeout: float = 5.0

    def __post_init__(self) -> None:
        self._dns: dns.asyncresolver.Resolver | None = None
        if self.nameserver:
            self._dns = dns.asyncresolver.Resolver(configure=False)
            address, port = split_nameserver(self.nameserver)
            self._dns.nameservers = [address]
            self._dns.port = port
        else:
            # Without resolv.conf, each lookup says so as a NetworkError (see _query).
            with contextlib.suppress(dns.resolver.NoResolverConfiguration):
                self._dns = dns.asyncresolver.Resolver()
        if self._dns is not None:
            self._dns.lifetime = self.timeout

    async def _query(self, name: str, rdtype: str) -> list:
        if self._dns is None:
            raise NetworkError("No DNS resolver is configured on this machine (--nameserver).")
        try:
            answer = await self._dns.resolve(name, rdtype, search=False)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except dns.resolver.LifetimeTimeout as exc:
            raise NetworkTimeout(f"DNS lookup of {name} ({rdtype}) timed out.") from exc
        except dns.exception.DNSException as exc:
            raise NetworkError(f"DNS lookup of {name} ({rdtype}) failed: {exc}") from exc
        return list(answer)

    async def addresses(self, host: str) -> list[str]:
        """Every IPv6 and IPv4 address of a host (an IP literal is its own address)."""
        if is_ip_literal(host):
            return [host]
        found = []
        for rdtype in ("AAAA", "A"):
            found += [record.address for record in await self._query(host, rdtype)]
        if not found:
            raise NetworkError(f"The name {host} does not resolve to any address.")
        return found

    async def allowed_addresses(self, host: str) -> list[str]:
        """The addresses of a host that the policy permits; AddressRefused when there are none."""
        found = await self.addresses(host)
        allowed = [address for address in found if self.policy.permits(address)]
        if not allowed:
            self.policy.check(found[0], host)
        return allowed

    async def srv(self, service: str, domain: str) -> list[SrvTarget]:
        """SRV targets of _service._tcp.domain in the order to try them (RFC 2782).

        Within a priority, heavier records come first (a deterministic reading of the weight
        rule, so that a probe's evidence is repeatable).
        """
        records = await self._query(f"_{service}._tcp.{domain}", "SRV")
        targets = [
            SrvTarget(r.target.to_text(omit_final_dot=True), r.port, r.priority, r.weight)
            for r in records
        ]
        return sorted(targets, key=lambda t: (t.priority, -t.weight, t.host, t.port))

    async def txt(self, name: str, limit: int = 50) -> list[str]:
        """The TXT records of a name, each its strings joined (RFC 7208 §3.3), at most `limit`
        of them and 4 KiB each."""
        records = await self._query(name, "TXT")
        return [b"".join(record.strings)[:4096].decode("utf-8", "replace") for record in records][
            :limit
        ]
