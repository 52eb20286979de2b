"""System checks of the settings read from the environment."""

from dashboard.checks import (
    allowed_networks_parse,
    api_rates_valid,
    registry_urls_valid,
    secret_key_set,
)


def test_it_refuses_the_development_key_without_debug(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY
    assert [e.id for e in secret_key_set(None)] == ["dashboard.E001"]
    settings.SECRET_KEY = "a-real-secret"
    assert secret_key_set(None) == []


def test_it_refuses_malformed_networks(settings):
    settings.PROBE_ALLOW_NETWORKS = ["10.0.0.0/8", "localhost"]
    assert [e.id for e in allowed_networks_parse(None)] == ["dashboard.E002"]
    settings.PROBE_ALLOW_NETWORKS = ["10.0.0.0/8"]
    assert allowed_networks_parse(None) == []


def test_it_refuses_registry_urls_that_are_not_http(settings):
    assert registry_urls_valid(None) == []
    settings.REGISTRY_URL = "file:///etc/passwd"
    settings.REGISTRY_DOAP_BASE = "xmpp.org"
    assert [e.id for e in registry_urls_valid(None)] == ["dashboard.E003", "dashboard.E003"]


def test_it_refuses_api_rates_that_are_not_rates(settings):
    assert api_rates_valid(None) == []
    settings.API_THROTTLE_RATES = {"anon": "600/minute", "user": "lots"}
    assert [e.id for e in api_rates_valid(None)] == ["dashboard.E006"]
