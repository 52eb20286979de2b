"""Every connection a probe (or a DOAP fetch) opens goes through here: DNS, TCP, TLS and HTTP.

One resolver answers every name (SRV targets, A/AAAA, hosts in HTTP URLs), optionally from a given
nameserver; every resolved address passes the NetworkPolicy before anything is sent; every
operation is bounded in time and size. Errors say what happened in words: a refused address
(AddressRefused) is policy, a NetworkError is the network, never a protocol verdict.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import aiohttp
import dns.asyncresolver
import dns.exception
import dns.rdatatype
import dns.resolver
from aiohttp.abc import AbstractResolver, ResolveResult

from probes.addresses import AddressRefused, NetworkPolicy

__all__ = [
    "AddressRefused",
    "HttpResponse",
    "NetworkError",
    "NetworkTimeout",
    "Resolver",
    "ResponseTooLarge",
    "SrvTarget",
    "http_request",
]

REDIRECT_STATUSES = (301, 302, 303, 307, 308)


class NetworkError(Exception):
    """The network failed: no such name, connection refused or reset, TLS handshake failure."""


class NetworkTimeout(NetworkError):
    """An operation did not finish within its time bound."""


class ResponseTooLarge(Exception):
    """A response exceeded its size cap."""


@dataclass(frozen=True)
class SrvTarget:
    host: str
    port: int
    priority: int
    weight: int


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _split_nameserver(value: str) -> tuple[str, int]:
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
        if self.nameserver:
            self._dns = dns.asyncresolver.Resolver(configure=False)
            address, port = _split_nameserver(self.nameserver)
            self._dns.nameservers = [address]
            self._dns.port = port
        else:
            try:
                self._dns = dns.asyncresolver.Resolver()
            except dns.resolver.NoResolverConfiguration as exc:
                raise NetworkError("No DNS resolver is configured on this machine.") from exc
        self._dns.lifetime = self.timeout

    async def _query(self, name: str, rdtype: str) -> list:
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
        if _is_ip_literal(host):
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
        rule, so that a probe's evidence is repeatable). A lone "." target means "no service".
        """
        records = await self._query(f"_{service}._tcp.{domain}", "SRV")
        targets = [
            SrvTarget(r.target.to_text(omit_final_dot=True), r.port, r.priority, r.weight)
            for r in records
        ]
        if len(targets) == 1 and targets[0].host in ("", "."):
            return []
        return sorted(targets, key=lambda t: (t.priority, -t.weight, t.host, t.port))


class _GuardedAiohttpResolver(AbstractResolver):
    """aiohttp's hook into our Resolver: every host name in a URL passes the policy."""

    def __init__(self, resolver: Resolver) -> None:
        self._resolver = resolver

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=socket.AF_INET6 if ":" in address else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for address in await self._resolver.allowed_addresses(host)
        ]

    async def close(self) -> None:
        return None


@dataclass(frozen=True)
class HttpResponse:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    redirects: tuple[str, ...] = ()


def _check_url(url: str, policy: NetworkPolicy) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise NetworkError(f"Only http and https URLs can be fetched, not {url!r}.")
    if not parts.hostname:
        raise NetworkError(f"The URL {url!r} has no host.")
    if _is_ip_literal(parts.hostname):
        policy.check(parts.hostname)


async def _read_capped(response: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    declared = response.content_length
    if declared is not None and declared > max_bytes:
        raise ResponseTooLarge(
            f"{response.url} is {declared} bytes, more than the limit of {max_bytes} bytes."
        )
    chunks, size = [], 0
    async for chunk in response.content.iter_chunked(65536):
        size += len(chunk)
        if size > max_bytes:
            raise ResponseTooLarge(f"{response.url} sent more than the limit of {max_bytes} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def _describe_client_error(url: str, exc: aiohttp.ClientError) -> str:
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return (
            f"TLS certificate of {urlsplit(url).hostname} was not accepted: {exc.certificate_error}"
        )
    if isinstance(exc, aiohttp.ClientConnectorError):
        reason = exc.os_error.strerror or str(exc.os_error)
        return f"Could not connect to {exc.host}:{exc.port}: {reason}."
    return f"HTTP request to {url} failed: {exc}"


async def http_request(
    method: str,
    url: str,
    *,
    resolver: Resolver,
    timeout: float,
    max_bytes: int,
    headers: dict[str, str] | None = None,
    data: bytes | None = None,
    ssl_context: ssl.SSLContext | None = None,
    max_redirects: int = 5,
) -> HttpResponse:
    """One HTTP exchange, following up to max_redirects redirects, each hop checked anew."""
    connector = aiohttp.TCPConnector(
        resolver=_GuardedAiohttpResolver(resolver),
        ssl=ssl_context if ssl_context is not None else True,
        use_dns_cache=False,
        force_close=True,
    )
    redirects: list[str] = []
    try:
        async with (
            asyncio.timeout(timeout),
            aiohttp.ClientSession(connector=connector, trust_env=False) as session,
        ):
            while True:
                _check_url(url, resolver.policy)
                async with session.request(
                    method,
                    url,
                    headers=headers,
                    data=data,
                    allow_redirects=False,
                ) as response:
                    location = response.headers.get("Location")
                    if response.status in REDIRECT_STATUSES and location:
                        if len(redirects) >= max_redirects:
                            raise NetworkError(f"More than {max_redirects} redirects from {url}.")
                        redirects.append(url)
                        url = urljoin(url, location)
                        if response.status == 303:
                            method, data = "GET", None
                        continue
                    body = await _read_capped(response, max_bytes)
                    return HttpResponse(
                        url=url,
                        status=response.status,
                        headers={k.lower(): v for k, v in response.headers.items()},
                        body=body,
                        redirects=tuple(redirects),
                    )
    except TimeoutError as exc:
        raise NetworkTimeout(f"HTTP request to {url} did not finish within {timeout:g} s.") from exc
    except aiohttp.ClientError as exc:
        raise NetworkError(_describe_client_error(url, exc)) from exc
