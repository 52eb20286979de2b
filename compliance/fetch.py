"""The one helper that fetches files by URL for the website (DOAP files, and the registry after
them), through the probes' guarded HTTP client: time-limited, size-capped, and never from a
private address unless its network is allowed, on every redirect too."""

from __future__ import annotations

from collections.abc import Iterable

from compliance.bridge import run_async
from probes.addresses import NetworkPolicy
from probes.connect import HttpResponse, Resolver, http_request
from probes.errors import AddressRefused, NetworkError, ProtocolError, ResponseTooLarge


class FetchFailed(Exception):
    """The URL gave no answer to read; the message says why, in one line."""


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
    policy = NetworkPolicy.allowing(allow_networks)
    try:
        return run_async(
            http_request,
            "GET",
            url,
            resolver=Resolver(policy=policy, timeout=timeout),
            timeout=timeout,
            max_bytes=max_bytes,
            headers={"Accept": accept, **(headers or {})},
        )
    except (AddressRefused, NetworkError, ProtocolError, ResponseTooLarge) as exc:
        raise FetchFailed(f"Could not fetch {url}: {exc}") from exc
