"""Readings rendered once per version of their entry: badges and the hot API reads.

A rendering is cached under a key made of what was asked for, the entry's version
(compliance/versions.py: any write of the entry, its claims or its evidence run is a new one)
and the suites' fingerprint, with until when it is valid (its evidence run's 30 days). The
cache is each process's own memory (settings.CACHES["renders"]): a copy under a key no request
makes any more ages out, and no request pays a round trip to a shared cache for the bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from django.core.cache import caches
from django.utils.cache import quote_etag

from compliance.versions import Version
from suites import catalogue

RENDERS = "renders"  # the alias in settings.CACHES: local memory
SECONDS = 24 * 3600


class Reading(NamedTuple):
    body: bytes
    etag: str
    valid_until: datetime | None = None


def reading_key(*parts: str) -> str:
    """The cache key of a reading: its parts (what was asked, the version) and the suites'."""
    text = "\n".join([*parts, catalogue.fingerprint()])
    return "reading:" + hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def etag_of(body: bytes) -> str:
    return quote_etag(hashlib.sha256(body).hexdigest()[:32])


def cached(key: str, now: datetime) -> Reading | None:
    """The reading under key, if it is there and still valid."""
    found = caches[RENDERS].get(key)
    if found is None or (found.valid_until is not None and now >= found.valid_until):
        return None
    return found


def store(key: str, body: bytes, slug: str, version: Version, now: datetime) -> Reading:
    """Cache body, rendered now for this version of the entry `slug`, under key, with its ETag
    and validity."""
    reading = Reading(body, etag_of(body), version.valid_until(slug, now))
    caches[RENDERS].set(key, reading, SECONDS)
    return reading


def rendered(
    key: str, slug: str, version: Version, now: datetime, render: Callable[[], bytes]
) -> Reading:
    """The cached reading under key, else render() cached there."""
    return cached(key, now) or store(key, render(), slug, version, now)
