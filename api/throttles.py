"""Throttling per client address (anonymous) and per user or token; 429 with Retry-After.

A fixed window counted with one cache increment per request (DRF's own throttles keep and
rewrite the list of every request's time, which grows with the rate). The rates are read from
settings.API_THROTTLE_RATES at each request (not at import), so tests and deployments can
change them."""

import time

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class WindowCounter:
    def get_rate(self) -> str:
        return settings.API_THROTTLE_RATES[self.scope]

    def allow_request(self, request, view) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        ident = self.get_cache_key(request, view)
        if ident is None:
            return True
        now = time.time()
        window = int(now // self.duration)
        self.retry_after = max(1, int((window + 1) * self.duration - now))
        key = f"{ident}:{window}"
        self.cache.add(key, 0, self.duration + 1)
        try:
            count = self.cache.incr(key)
        except ValueError:  # expired between add and incr
            self.cache.set(key, 1, self.duration + 1)
            count = 1
        return count <= self.num_requests

    def wait(self) -> float:
        return self.retry_after


class AnonThrottle(WindowCounter, AnonRateThrottle):
    pass


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
