"""Every connection a probe (or a DOAP fetch) opens goes through here: DNS, TCP, TLS and HTTP.

One resolver answers every name (SRV targets, A/AAAA, hosts in HTTP and WebSocket URLs),
optionally from a given nameserver; every address passes the NetworkPolicy before anything is
sent (for HTTP and WebSocket at the socket itself, so that no spelling of a URL's host escapes
it); every operation is bounded in time and size. Errors say what happened in words:
a refused address (AddressRefused) is policy, a NetworkError is the network (TlsFailure: the TLS
handshake or the certificate), never a protocol verdict; a ProtocolError is what a server should
not have handed out or answered (a malformed URL, a redirect loop or from https to http). URLs in
them are redacted.

XMPP: `xmpp_endpoints` turns a domain (SRV `_xmpp-client._tcp` / `_xmpps-client._tcp` in RFC 2782
order, else the domain on 5222, or an explicit host and port) into checked addresses, and
`open_xmpp` connects a probes.stream.ProbeClient to one of them, with STARTTLS or Direct TLS
(ALPN `xmpp-client`), verifying the certificate against the system store plus an optional CA file.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import functools
import ipaddress
import socket
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import dns.asyncresolver
import dns.exception
import dns.rdatatype
import dns.resolver
import yarl
from aiohttp.abc import AbstractResolver, ResolveResult

from probes.addresses import NetworkPolicy
from probes.certificates import certificate_expiry, certificate_names, names_match
from probes.errors import (
    AddressRefused,
    NetworkError,
    NetworkTimeout,
    NoEndpoint,
    ProtocolError,
    ResponseTooLarge,
    UpgradeRefused,
)
from probes.evidence import redact_urls

__all__ = [
    "Endpoint",
    "HttpResponse",
    "Resolver",
    "SrvTarget",
    "TlsFacts",
    "http_request",
    "is_ip_literal",
    "open_xmpp",
    "tls_context",
    "websocket",
    "xmpp_endpoints",
]

REDIRECT_STATUSES = (301, 302, 303, 307, 308)
CREDENTIAL_HEADERS = {"authorization", "proxy-authorization", "cookie"}


@dataclass(frozen=True)
class SrvTarget:
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


def _connector(resolver: Resolver, ssl_context: ssl.SSLContext | None) -> aiohttp.TCPConnector:
    """aiohttp's connections, guarded twice: names resolve through the policy (which keeps the
    permitted addresses of a name), and every socket is checked before it connects. The second
    guard is the one that cannot be bypassed: aiohttp connects to an IP literal without asking
    the resolver, and its URL parser turns hosts such as '１２７.０.０.１' into IP literals."""

    def guarded_socket(addr_info) -> socket.socket:
        family, kind, proto, _, address = addr_info
        resolver.policy.check(address[0])
        return socket.socket(family, kind, proto)

    return aiohttp.TCPConnector(
        resolver=_GuardedAiohttpResolver(resolver),
        socket_factory=guarded_socket,
        ssl=ssl_context if ssl_context is not None else True,
        use_dns_cache=False,
        force_close=True,
    )


@dataclass(frozen=True)
class HttpResponse:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    redirects: tuple[str, ...] = ()


HTTP_SCHEMES = ("http", "https")


def _check_url(url: str, schemes: tuple[str, ...] = HTTP_SCHEMES) -> yarl.URL:
    """The URL as aiohttp reads it; a ProtocolError (a server handed it out) when it is malformed,
    of another scheme or without a host."""
    shown = redact_urls(url)
    try:
        parsed = yarl.URL(url)
        host = parsed.host
    except ValueError as exc:  # UnicodeError (IDNA) included
        raise ProtocolError(f"{shown!r} is not a valid URL ({exc}).") from exc
    if parsed.scheme not in schemes:
        raise ProtocolError(f"Only {' and '.join(schemes)} URLs can be fetched, not {shown!r}.")
    if not host:
        raise ProtocolError(f"The URL {shown!r} has no host.")
    return parsed


async def _read_capped(response: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    declared, shown = response.content_length, redact_urls(str(response.url))
    if declared is not None and declared > max_bytes:
        raise ResponseTooLarge(
            f"{shown} is {declared} bytes, more than the limit of {max_bytes} bytes."
        )
    chunks, size = [], 0
    async for chunk in response.content.iter_chunked(65536):
        size += len(chunk)
        if size > max_bytes:
            raise ResponseTooLarge(f"{shown} sent more than the limit of {max_bytes} bytes.")
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
    return redact_urls(f"HTTP request to {url} failed: {exc}")


def _origin(url: yarl.URL) -> tuple[str, str | None, int | None]:
    return url.scheme, url.host, url.port  # port: the scheme's default unless given


def _redirect(url: yarl.URL, location: str, headers: dict[str, str] | None):
    """Where a redirect leads, and the headers to send there: credentials (an upload slot's
    Authorization, Cookie) stay within their origin, and a redirect from https to http is not
    followed at all."""
    shown = redact_urls(str(url))
    try:
        target = url.join(yarl.URL(location))
    except ValueError as exc:
        raise ProtocolError(f"{shown} redirected to a malformed URL ({exc}).") from exc
    if url.scheme == "https" and target.scheme == "http":
        raise ProtocolError(
            f"{shown} redirected to {redact_urls(str(target))}: the probe does not follow a "
            "redirect from https to http."
        )
    if headers and _origin(url) != _origin(target):
        headers = {k: v for k, v in headers.items() if k.lower() not in CREDENTIAL_HEADERS}
    return str(target), headers


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
    connector = _connector(resolver, ssl_context)
    redirects: list[str] = []
    try:
        async with (
            asyncio.timeout(timeout),
            aiohttp.ClientSession(connector=connector, trust_env=False) as session,
        ):
            while True:
                current = _check_url(url)
                async with session.request(
                    method,
                    current,
                    headers=headers,
                    data=data,
                    allow_redirects=False,
                ) as response:
                    location = response.headers.get("Location")
                    if response.status in REDIRECT_STATUSES and location:
                        if len(redirects) >= max_redirects:
                            shown = redact_urls(url)
                            raise ProtocolError(
                                f"More than {max_redirects} redirects from {shown}."
                            )
                        redirects.append(url)
                        url, headers = _redirect(current, location, headers)
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
        message = f"HTTP request to {redact_urls(url)} did not finish within {timeout:g} s."
        raise NetworkTimeout(message) from exc
    except aiohttp.ClientError as exc:
        raise NetworkError(_describe_client_error(url, exc)) from exc


# -- TLS ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def tls_context(
    ca_file: str | None = None, *, alpn: tuple[str, ...] = (), check_hostname: bool = True
) -> ssl.SSLContext:
    """The system trust store plus an optional CA file; TLS 1.2 at least (RFC 7590 §3.1).

    XMPP streams turn check_hostname off and match the certificate against the XMPP domain
    themselves (probes.certificates: DNS-ID, SRV-ID or XmppAddr); the chain is verified anyway.
    Contexts are shared (loading the system store takes ~50 ms); nothing modifies them later.
    """
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = check_hostname
    if alpn:
        context.set_alpn_protocols(list(alpn))
    return context


@dataclass(frozen=True)
class TlsFacts:
    version: str
    cipher: str
    alpn: str | None
    not_after: str
    days_left: int
    names: tuple[str, ...]
    name_matched: bool

    def as_text(self) -> str:
        return (
            f"{self.version}, cipher {self.cipher}, ALPN {self.alpn or 'none'}; certificate "
            f"for {', '.join(self.names) or 'no names'} (matches the domain: "
            f"{'yes' if self.name_matched else 'no'}), valid until {self.not_after} "
            f"({self.days_left} days left)"
        )


def tls_facts(ssl_object: Any, domain: str) -> TlsFacts:
    """What a completed handshake says: version, cipher, ALPN, certificate names and expiry."""
    der = ssl_object.getpeercert(binary_form=True)
    names = certificate_names(der)
    expiry = certificate_expiry(der)
    left = expiry - datetime.datetime.now(datetime.UTC)
    return TlsFacts(
        version=ssl_object.version() or "",
        cipher=(ssl_object.cipher() or ("",))[0],
        alpn=ssl_object.selected_alpn_protocol(),
        not_after=expiry.isoformat(timespec="seconds"),
        days_left=left.days,
        names=tuple(names.listed()),
        name_matched=names_match(names, domain),
    )


# -- XMPP --------------------------------------------------------------------------------------

XMPP_CLIENT_PORT = 5222


@dataclass(frozen=True)
class Endpoint:
    """One checked address to open an XMPP stream to."""

    host: str
    port: int
    address: str
    direct_tls: bool
    source: str

    def __str__(self) -> str:
        mode = "Direct TLS" if self.direct_tls else "STARTTLS"
        return f"{self.host}:{self.port} ({self.address}, {mode}, from {self.source})"


async def xmpp_endpoints(
    resolver: Resolver,
    domain: str,
    *,
    direct_tls: bool,
    host: str | None = None,
    port: int | None = None,
) -> tuple[list[Endpoint], list[str]]:
    """Addresses to try in order, and notes on how they were found (for the evidence).

    An explicit host and/or port wins; otherwise SRV `_xmpp-client._tcp` (STARTTLS) or
    `_xmpps-client._tcp` (Direct TLS), then, without any record and for STARTTLS only, the
    domain itself on 5222 (a lone "." target says the service is decidedly not available: RFC
    2782). Without any address: NoEndpoint when there is no target, AddressRefused when the
    policy refused them, else the NetworkError (or NetworkTimeout) of their lookups.
    """
    service = "xmpps-client" if direct_tls else "xmpp-client"
    notes: list[str] = []
    if host or port:
        targets = [(host or domain, port or XMPP_CLIENT_PORT, "--host/--port")]
    else:
        records = await resolver.srv(service, domain)
        if [r.host for r in records] == ["."]:
            message = f"SRV _{service}._tcp.{domain}: '.' (decidedly not available)"
            raise NoEndpoint(f"No address to connect to: {message}.")
        notes.append(
            f"SRV _{service}._tcp.{domain}: "
            + (
                ", ".join(
                    f"{r.host}:{r.port} (priority {r.priority}, weight {r.weight})" for r in records
                )
                or "no record"
            )
        )
        targets = [(r.host, r.port, f"SRV _{service}._tcp") for r in records]
        if not targets and not direct_tls:
            targets = [(domain, XMPP_CLIENT_PORT, "the domain on port 5222 (no SRV record)")]
    endpoints: list[Endpoint] = []
    refusals: list[AddressRefused] = []
    failures: list[NetworkError] = []
    for name, target_port, source in targets:
        try:
            addresses = await resolver.allowed_addresses(name)
        except AddressRefused as exc:
            notes.append(str(exc))
            refusals.append(exc)
            continue
        except NetworkError as exc:
            notes.append(f"{name}: {exc}")
            failures.append(exc)
            continue
        notes.append(f"{name} -> {', '.join(addresses)}")
        endpoints += [Endpoint(name, target_port, a, direct_tls, source) for a in addresses]
    if not endpoints:
        if refusals:
            raise refusals[0]
        found = "; ".join(note.rstrip(".") for note in notes)
        kind = type(failures[0]) if failures else NoEndpoint  # a lookup failed, or no target
        raise kind(f"No address to connect to: {found}.")
    return endpoints, notes


async def open_xmpp(
    client: Any, endpoint: Endpoint, timeout: float, stated: float | None = None
) -> None:
    """Connect a ProbeClient to a checked endpoint; returns once TCP (and Direct TLS) is up.

    Raises NetworkError, TlsFailure or NetworkTimeout; the client never retries by itself.
    """
    client.enable_direct_tls = endpoint.direct_tls
    client.enable_starttls = not endpoint.direct_tls
    client.connect(endpoint.address, endpoint.port)
    await client.milestone("connected", timeout, stated)


# -- WebSocket (RFC 7395) ----------------------------------------------------------------------


class WebSocket:
    """A WebSocket opened by `websocket()`: text frames in and out, each read bounded in time
    (`url`, redacted, is for messages)."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, url: str) -> None:
        self._ws, self.url = ws, url
        self.protocol = ws.protocol

    async def send(self, text: str) -> None:
        await self._ws.send_str(text)

    async def receive(self, timeout: float) -> str:
        try:
            message = await self._ws.receive(timeout=timeout)
        except TimeoutError as exc:
            message = f"No WebSocket frame from {self.url} within {timeout:g} s."
            raise NetworkTimeout(message) from exc
        if message.type == aiohttp.WSMsgType.TEXT:
            return message.data
        if message.type == aiohttp.WSMsgType.ERROR:
            raise NetworkError(f"The WebSocket at {self.url} failed: {message.data}")
        if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            raise NetworkError(f"The WebSocket at {self.url} was closed by the server.")
        raise NetworkError(f"The WebSocket at {self.url} sent a {message.type.name} frame.")


@asynccontextmanager
async def websocket(
    url: str,
    *,
    resolver: Resolver,
    timeout: float,
    max_bytes: int,
    protocols: tuple[str, ...] = ("xmpp",),
    ssl_context: ssl.SSLContext | None = None,
) -> AsyncIterator[WebSocket]:
    """A WebSocket to a guarded address; UpgradeRefused when HTTP answers without upgrading."""
    _check_url(url, ("ws", "wss"))
    shown = redact_urls(url)

    async def no_redirects(request: aiohttp.ClientRequest, handler) -> aiohttp.ClientResponse:
        response = await handler(request)
        if response.status in REDIRECT_STATUSES:
            response.close()
            raise UpgradeRefused(shown, response.status)
        return response

    session = aiohttp.ClientSession(
        connector=_connector(resolver, ssl_context), trust_env=False, middlewares=(no_redirects,)
    )
    async with session:
        try:
            async with asyncio.timeout(timeout):
                ws = await session.ws_connect(
                    url, protocols=protocols, max_msg_size=max_bytes, autoping=False
                )
        except TimeoutError as exc:
            message = f"No WebSocket handshake with {shown} within {timeout:g} s."
            raise NetworkTimeout(message) from exc
        except aiohttp.WSServerHandshakeError as exc:
            raise UpgradeRefused(shown, exc.status) from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(_describe_client_error(url.replace("ws", "http", 1), exc)) from exc
        try:
            yield WebSocket(ws, shown)
        finally:
            try:
                async with asyncio.timeout(1):
                    await ws.close()
            except (TimeoutError, aiohttp.ClientError):
                pass
