"""System checks of the settings read from the environment."""

from django.conf import settings
from django.core.checks import Error, register

from probes.addresses import parse_networks


@register()
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


@register()
def allowed_networks_parse(app_configs, **kwargs) -> list[Error]:
    errors = []
    for name in ("DOAP_FETCH_ALLOW_NETWORKS", "PROBE_ALLOW_NETWORKS"):
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
