"""The default cache's Redis server, for the few operations of every hot request.

Django's Redis backend builds a client for each operation (84 µs of CPU before the round trip,
measured) and an increment costs it two round trips; a client kept by the process costs neither.
Used for the API's throttle counters (api/throttles.py) and the entries' versions
(compliance/versions.py). Keys are made with the default cache's prefix and version, as Django
makes them, so `cache.clear()` clears them too."""

from __future__ import annotations

import re
from functools import cache as once

import redis
from django.conf import settings

REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"


@once
def _client(location: str) -> redis.Redis:
    return redis.Redis.from_url(location)


def redis_of_cache() -> redis.Redis | None:
    """The Redis server the default cache writes to (its first), when it is one."""
    default = settings.CACHES["default"]
    if default["BACKEND"] != REDIS_BACKEND:
        return None
    location = default["LOCATION"]
    return _client(re.split("[;,]", location)[0] if isinstance(location, str) else location[0])
