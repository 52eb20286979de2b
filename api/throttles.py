"""Throttling per client address (anonymous) and per user or token; 429 with Retry-After.

A fixed window counted with one cache increment per request (DRF's own throttles keep and
rewrite the list of every request's time, which grows with the rate), in the default cache,
which production shares between its processes (Redis). With Redis the increment is one INCR on
a client the process keeps (and, at a window's first request, an EXPIRE; see
compliance/shared_cache.py): through Django's backend an add and an increment were three round
trips and 0.7 ms of CPU a request (measured). The rates are read from
settings.API_THROTTLE_RATES at each request (not at import), so tests and deployments can change
them."""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from compliance.shared_cache import redis_of_cache


def increment(key: str, seconds: int) -> int:
    """Add one to the counter under key (made with the default cache's prefix and version), which
    lives the given seconds from its first count; its new value."""
    server = redis_of_cache()
    if server is not None:
        name = cache.make_key(key)
        count = server.incr(name)
        if count == 1:  # the window's first (keys are per window: one is never counted again)
            server.expire(name, seconds)
        return count
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return 1


class WindowCounter:
    def get_rate(self) -> str:
        return settings.API_THROTTLE_RATES[self.scope]

    def allow_request(self, request, view) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        ident = self.get_cache_key(request, view)
        return ident is None or self.count(ident)

    def count(self, ident: str) -> bool:
        """Count one request of ident in the current window: whether it is within the rate."""
        now = time.time()
        window = int(now // self.duration)
        self.retry_after = max(1, int((window + 1) * self.duration - now))
        return increment(f"{ident}:{window}", self.duration + 1) <= self.num_requests

    def wait(self) -> float:
        return self.retry_after


class AnonThrottle(WindowCounter, AnonRateThrottle):
    pass


def anonymous_allowed(request) -> bool:
    """AnonThrottle's decision for a Django request without credentials that DRF has not wrapped
    (api/readings.py answers those early): the same key, counted the same way."""
    throttle = AnonThrottle()  # its rate read from the settings now
    ident = throttle.cache_format % {"scope": throttle.scope, "ident": throttle.get_ident(request)}
    return throttle.count(ident)


class UserThrottle(WindowCounter, UserRateThrottle):
    """Per token when a token authenticates the request, else per signed-in user (anonymous
    requests are AnonThrottle's)."""

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        token = getattr(request.auth, "pk", None)
        if token is not None:
            return self.cache_format % {"scope": self.scope, "ident": f"token-{token}"}
        return super().get_cache_key(request, view)
