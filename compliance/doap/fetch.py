"""The one helper that fetches DOAP files by URL, through the probes' guarded HTTP client."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings

from compliance.doap.parse import MAX_BYTES, DoapError
from probes.addresses import NetworkPolicy
from probes.connect import Resolver, http_request
from probes.errors import AddressRefused, NetworkError, ProtocolError, ResponseTooLarge


def run_coroutine(coroutine):
    """Run a coroutine to completion from synchronous code, even where a loop is running."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def fetch_doap(url: str) -> bytes:
    """The body of a DOAP URL: 200 only, time-limited, capped, never from a private address."""
    policy = NetworkPolicy.allowing(settings.DOAP_FETCH_ALLOW_NETWORKS)
    timeout = settings.DOAP_FETCH_TIMEOUT
    try:
        response = run_coroutine(
            http_request(
                "GET",
                url,
                resolver=Resolver(policy=policy, timeout=timeout),
                timeout=timeout,
                max_bytes=MAX_BYTES,
                headers={"Accept": "application/rdf+xml, application/xml;q=0.9, */*;q=0.5"},
            )
        )
    except (AddressRefused, NetworkError, ProtocolError, ResponseTooLarge) as exc:
        raise DoapError(f"Could not fetch {url}: {exc}") from exc
    if response.status != 200:
        raise DoapError(f"Could not fetch {url}: the server answered HTTP {response.status}.")
    return response.body
