"""Throttling per client address (anonymous) and per user or token; 429 with Retry-After.

The rates are read from settings.API_THROTTLE_RATES at each request (not at import), so
tests and deployments can change them."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class SettingsRate:
    def get_rate(self) -> str:
        return settings.API_THROTTLE_RATES[self.scope]


class AnonThrottle(SettingsRate, AnonRateThrottle):
    pass


class UserThrottle(SettingsRate, UserRateThrottle):
    """Per token when a token authenticates the request, else per signed-in user."""

    def get_cache_key(self, request, view):
        token = getattr(request.auth, "pk", None)
        if token is not None:
            return self.cache_format % {"scope": self.scope, "ident": f"token-{token}"}
        return super().get_cache_key(request, view)
