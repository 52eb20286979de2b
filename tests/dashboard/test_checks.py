"""System checks of the settings read from the environment."""

from dashboard.checks import (
    allowed_networks_parse,
    api_rates_valid,
    credentials_key_valid,
    fetch_settings_valid,
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


def test_it_refuses_a_probe_nameserver_or_ca_file_that_is_not_one(settings, tmp_path):
    settings.FETCH_NAMESERVER, settings.FETCH_CA_FILE = "", ""
    settings.PROBE_NAMESERVER, settings.PROBE_CA_FILE = "ns.example:53", str(tmp_path / "none.pem")
    errors = fetch_settings_valid(None)
    assert [(e.id, e.msg.split(":")[0]) for e in errors] == [
        ("dashboard.E004", "PROBE_NAMESERVER"),
        ("dashboard.E005", "PROBE_CA_FILE"),
    ]
    settings.PROBE_NAMESERVER, settings.PROBE_CA_FILE = "[::1]:5353", ""
    assert fetch_settings_valid(None) == []


def test_it_needs_valid_credentials_keys_and_one_without_debug(settings):
    from cryptography.fernet import Fernet

    settings.DEBUG, settings.PROBE_CREDENTIALS_KEY = True, []
    assert credentials_key_valid(None) == []
    settings.DEBUG = False
    assert [e.msg for e in credentials_key_valid(None)] == ["PROBE_CREDENTIALS_KEY is not set."]
    settings.PROBE_CREDENTIALS_KEY = [Fernet.generate_key().decode(), "too-short"]
    errors = credentials_key_valid(None)
    assert [(e.id, e.msg) for e in errors] == [
        ("dashboard.E007", "PROBE_CREDENTIALS_KEY: key 2 is not a Fernet key.")
    ]
    assert "too-short" not in errors[0].hint
