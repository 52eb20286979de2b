"""HTTP through the guarded resolver: every address passes the NetworkPolicy at the socket itself
(so that no spelling of a URL's host escapes it), every hop of a redirect is checked anew,
credentials stay within their origin, a redirect from https to http is refused, and every
exchange is bounded in time and size. Failures say what happened in words, URLs redacted."""

from __future__ import annotations

import asyncio
import errno
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp
import yarl
from aiohttp.abc import AbstractResolver, ResolveResult

from probes.connect.dns import Resolver
from probes.errors import (
    NetworkError,
    NetworkTimeout,
    NothingListens,
    ProtocolError,
    ResponseTooLarge,
)
from probes.evidence import redact_urls

REDIRECT_STATUSES = (301, 302, 303, 307, 308)
CREDENTIAL_HEADERS = {"authorization", "proxy-authorization", "cookie"}
FORBIDDEN_IN_HEADERS = ("\r", "\n", "\x00")  # what would end a header line or the request


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


def guarded_connector(
    resolver: Resolver, ssl_context: ssl.SSLContext | None
) -> aiohttp.TCPConnector:
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
    """The answer to an HTTP request: at `url`, the last of its redirects."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    redirects: tuple[str, ...] = ()


HTTP_SCHEMES = ("http", "https")


def check_url(url: str, schemes: tuple[str, ...] = HTTP_SCHEMES) -> yarl.URL:
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


def refused(exc: aiohttp.ClientError) -> bool:
    """Whether every address tried refused the connection: aiohttp's error keeps an errno only
    when all the attempts of its last pass over the addresses had that one (an earlier pass may
    have met another error at an address of the same family that the last one skipped)."""
    return (
        isinstance(exc, aiohttp.ClientConnectorError)
        and not isinstance(exc, aiohttp.ClientSSLError)
        and exc.os_error.errno == errno.ECONNREFUSED
    )


def network_error(url: str, exc: aiohttp.ClientError, origin: yarl.URL | None) -> NetworkError:
    """The NetworkError for a failed connection to url; NothingListens when origin (that of the
    URL asked for: None after a redirect) refused it on every address."""
    message = describe_client_error(url, exc)
    if origin is not None and refused(exc):
        return NothingListens(message, str(origin.origin()))
    return NetworkError(message)


def describe_client_error(url: str, exc: aiohttp.ClientError) -> str:
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return (
            f"TLS certificate of {urlsplit(url).hostname} was not accepted: {exc.certificate_error}"
        )
    if isinstance(exc, aiohttp.ClientConnectorError):
        reason = exc.os_error.strerror or str(exc.os_error)
        return f"Could not connect to {exc.host}:{exc.port}: {reason}."
    return redact_urls(f"HTTP request to {url} failed: {exc}")


def check_headers(url: str, headers: dict[str, str] | None) -> None:
    """A ProtocolError for a header that cannot be sent: a CR, LF or NUL would split the request
    (aiohttp refuses them too, with a bare ValueError). The only headers taken from a server are
    an upload slot's, so it is the server's to fix; the value is not repeated (a credential)."""
    for name, value in (headers or {}).items():
        if any(c in name or c in value for c in FORBIDDEN_IN_HEADERS):
            raise ProtocolError(
                f"The {name!r} header to send to {redact_urls(url)} contains a line break or a "
                "NUL character, which no HTTP header can carry."
            )


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
    check_headers(url, headers)
    connector = guarded_connector(resolver, ssl_context)
    redirects: list[str] = []
    asked = url
    try:
        async with (
            asyncio.timeout(timeout),
            aiohttp.ClientSession(connector=connector, trust_env=False) as session,
        ):
            while True:
                current = check_url(url)
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
                            raise ProtocolError(
                                f"More than {max_redirects} redirects from {redact_urls(asked)} "
                                f"(the last from {redact_urls(url)})."
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
        asked_origin = None if redirects else yarl.URL(asked)  # a redirect's target is no candidate
        raise network_error(url, exc, asked_origin) from exc
