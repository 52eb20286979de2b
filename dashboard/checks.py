"""System checks of the settings read from the environment.

`manage.py` runs them before its commands; servers that do not go through it (gunicorn and any
WSGI server, see dashboard/wsgi.py) call `refuse_unsafe_settings()` before serving.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import ERROR, Error, register, run_checks
from django.core.exceptions import ImproperlyConfigured

from probes.addresses import parse_networks
from probes.connect import is_ip_literal, split_nameserver

TAG = "dashboard"


@register(TAG)
def secret_key_set(app_configs, **kwargs) -> list[Error]:
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        return [
            Error(
                "SECRET_KEY is the development default while DEBUG is off.",
                hint="Set SECRET_KEY in the environment to a long random string.",
                id="dashboard.E001",
            )
        ]
    return []


@register(TAG)
def allowed_networks_parse(app_configs, **kwargs) -> list[Error]:
    errors = []
    for name in ("DOAP_FETCH_ALLOW_NETWORKS", "PROBE_ALLOW_NETWORKS", "OWNERSHIP_ALLOW_NETWORKS"):
        try:
            parse_networks(getattr(settings, name))
        except ValueError as exc:
            errors.append(
                Error(
                    f"{name}: {exc}",
                    hint="Comma-separated networks, e.g. 10.0.0.0/8,fd00::/8.",
                    id="dashboard.E002",
                )
            )
    return errors


def is_http_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


@register(TAG)
def registry_urls_valid(app_configs, **kwargs) -> list[Error]:
    names = ("REGISTRY_URL", "REGISTRY_DOAP_BASE")
    wrong = [name for name in names if not is_http_url(getattr(settings, name))]
    hint = "e.g. https://xmpp.org"
    return [
        Error(f"{name} is not an http(s) URL.", hint=hint, id="dashboard.E003") for name in wrong
    ]


@register(TAG)
def fetch_settings_valid(app_configs, **kwargs) -> list[Error]:
    """FETCH_* (the site's fetches) and PROBE_* (the probes'): a nameserver, a CA file."""
    errors = []
    for prefix in ("FETCH", "PROBE"):
        nameserver = getattr(settings, f"{prefix}_NAMESERVER")
        if nameserver:
            try:
                address, port = split_nameserver(nameserver)
                valid = is_ip_literal(address) and 0 < port < 65536
            except ValueError:
                valid = False
            if not valid:
                errors.append(
                    Error(
                        f"{prefix}_NAMESERVER: {nameserver!r} is not an IP[:PORT].",
                        hint="e.g. 127.0.0.53 or [::1]:5353",
                        id="dashboard.E004",
                    )
                )
        ca_file = getattr(settings, f"{prefix}_CA_FILE")
        if ca_file and not Path(ca_file).is_file():
            errors.append(
                Error(
                    f"{prefix}_CA_FILE: {ca_file} is not a file.",
                    hint="The path of a PEM file of CA certificates.",
                    id="dashboard.E005",
                )
            )
    return errors


@register(TAG)
def credentials_key_valid(app_configs, **kwargs) -> list[Error]:
    """PROBE_CREDENTIALS_KEY: Fernet keys; required without DEBUG."""
    hint = (
        "Comma-separated Fernet keys, the newest first: python -c 'from cryptography.fernet "
        "import Fernet; print(Fernet.generate_key().decode())'"
    )
    keys = settings.PROBE_CREDENTIALS_KEY
    if not keys and not settings.DEBUG:
        return [Error("PROBE_CREDENTIALS_KEY is not set.", hint=hint, id="dashboard.E007")]
    from cryptography.fernet import Fernet  # about 20 ms of every start-up otherwise

    wrong = []
    for position, key in enumerate(keys, 1):
        try:
            Fernet(key)
        except ValueError:
            wrong.append(position)
    return [
        Error(
            f"PROBE_CREDENTIALS_KEY: key {position} is not a Fernet key.",
            hint=hint,
            id="dashboard.E007",
        )
        for position in wrong
    ]


def refuse_unsafe_settings() -> None:
    """Raise ImproperlyConfigured, naming every problem, when a check of ours fails."""
    errors = [error for error in run_checks(tags=[TAG]) if error.level >= ERROR]
    if errors:
        raise ImproperlyConfigured(
            "Refusing to serve: " + " ".join(f"{e.msg} {e.hint}" for e in errors)
        )


API_RATE = re.compile(r"[1-9][0-9]*/(second|minute|hour|day)")


@register(TAG)
def api_rates_valid(app_configs, **kwargs) -> list[Error]:
    """API_THROTTLE_ANON and API_THROTTLE_USER: requests per period, e.g. 600/minute."""
    return [
        Error(
            f"API_THROTTLE_{scope.upper()} is {rate!r}, not a rate.",
            hint="Write a number of requests per second, minute, hour or day: 600/minute.",
            id="dashboard.E006",
        )
        for scope, rate in settings.API_THROTTLE_RATES.items()
        if not API_RATE.fullmatch(rate)
    ]
