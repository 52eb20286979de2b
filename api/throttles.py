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
    pass
