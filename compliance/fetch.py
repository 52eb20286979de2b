"""The one helper that fetches files by URL for the website (DOAP files and the registry),
through the probes' guarded HTTP client: time-limited, size-capped, and never from a private
address unless its network is allowed, on every redirect too.

`fetch_url` fetches one URL; `fetch_urls` fetches many concurrently, a bounded number at a
time, in one event loop. Both go through the same coroutine (`_fetch_all`). `lookup_txt` reads
DNS TXT records through the same guarded resolver. The settings FETCH_NAMESERVER (IP[:PORT])
and FETCH_CA_FILE (a CA trusted besides the system store) apply to all of them."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings

from compliance.bridge import run_async
from probes import connect  # its HTTP client (aiohttp) loaded at the first fetch, not here
from probes.addresses import NetworkPolicy
from probes.errors import AddressRefused, NetworkError, ProtocolError, ResponseTooLarge

if TYPE_CHECKING:
    from probes.connect import HttpResponse, Resolver


class FetchFailed(Exception):
    """The URL gave no answer to read; the message says why, in one line."""


def _resolver(allow_networks: Iterable[str], timeout: float) -> Resolver:
    return connect.Resolver(
        policy=NetworkPolicy.allowing(allow_networks),
        nameserver=settings.FETCH_NAMESERVER or None,
        timeout=timeout,
    )


@dataclass(frozen=True)
class FetchRequest:
    """One URL to GET, with headers of its own (e.g. If-None-Match)."""

    url: str
    headers: dict[str, str] = field(default_factory=dict)


async def _fetch_all(
    requests: Sequence[FetchRequest],
    *,
    accept: str,
    max_bytes: int,
    timeout: float,
    allow_networks: Iterable[str],
    concurrency: int,
    progress=None,
) -> list[HttpResponse | FetchFailed]:
    """Every request's response (or why there is none), at most `concurrency` at a time;
    `progress(index, result)` is awaited as each one ends."""
    resolver = _resolver(allow_networks, timeout)
    ca_file = settings.FETCH_CA_FILE
    ssl_context = connect.tls_context(ca_file) if ca_file else None
    slots = asyncio.Semaphore(max(1, concurrency))

    async def one(index: int, request: FetchRequest) -> HttpResponse | FetchFailed:
        async with slots:
            try:
                result = await connect.http_request(
                    "GET",
                    request.url,
                    resolver=resolver,
                    timeout=timeout,
                    max_bytes=max_bytes,
                    headers={"Accept": accept, **request.headers},
                    ssl_context=ssl_context,
                )
            except (AddressRefused, NetworkError, ProtocolError, ResponseTooLarge) as exc:
                result = FetchFailed(f"Could not fetch {request.url}: {exc}")
                result.__cause__ = exc
        if progress is not None:
            await progress(index, result)
        return result

    return await asyncio.gather(*(one(i, request) for i, request in enumerate(requests)))


def fetch_urls(
    requests: Sequence[FetchRequest],
    *,
    accept: str,
    max_bytes: int,
    timeout: float,
    allow_networks: Iterable[str] = (),
    concurrency: int = 8,
    progress: Callable[[int, HttpResponse | FetchFailed], None] | None = None,
) -> list[HttpResponse | FetchFailed]:
    """GET every URL, `concurrency` at a time, each bounded by `timeout`; the results in the
    order of `requests`. `progress(index, result)` runs in the calling thread (so it may use the
    ORM) as each fetch ends, while the others go on."""
    return run_async(
        _fetch_all,
        list(requests),
        accept=accept,
        max_bytes=max_bytes,
        timeout=timeout,
        allow_networks=list(allow_networks),
        concurrency=concurrency,
        progress=progress,
    )


def fetch_url(
    url: str,
    *,
    accept: str,
    max_bytes: int,
    timeout: float,
    allow_networks: Iterable[str] = (),
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """GET url and return the response, whatever its status; FetchFailed when there is none."""
    [result] = fetch_urls(
        [FetchRequest(url, headers or {})],
        accept=accept,
        max_bytes=max_bytes,
        timeout=timeout,
        allow_networks=allow_networks,
        concurrency=1,
    )
    if isinstance(result, FetchFailed):
        raise result
    return result


def fetch_body(
    url: str,
    *,
    accept: str,
    max_bytes: int,
    timeout: float | None = None,
    allow_networks: Iterable[str] | None = None,
) -> bytes:
    """The body of url's 200 answer; FetchFailed says why there is none (any other status
    included). The time limit and the private networks allowed are DOAP_FETCH_TIMEOUT and
    DOAP_FETCH_ALLOW_NETWORKS unless given."""
    response = fetch_url(
        url,
        accept=accept,
        max_bytes=max_bytes,
        timeout=settings.DOAP_FETCH_TIMEOUT if timeout is None else timeout,
        allow_networks=(
            settings.DOAP_FETCH_ALLOW_NETWORKS if allow_networks is None else allow_networks
        ),
    )
    if response.status != 200:
        raise FetchFailed(f"Could not fetch {url}: the server answered HTTP {response.status}.")
    return response.body


def lookup_txt(name: str, *, timeout: float) -> list[str]:
    """The TXT records of a name (none when it has none); FetchFailed when the lookup fails."""
    try:
        return run_async(_resolver((), timeout).txt, name)
    except NetworkError as exc:
        raise FetchFailed(str(exc)) from exc
