"""Settings from the environment, read strictly: a value that is not valid stops the start with
a message naming the variable, never a silent default. Any variable NAME can instead be given
as NAME_FILE, the path of a file holding the value (for secrets kept in files)."""

from __future__ import annotations

import math
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")


def env_str(name: str, default: str = "") -> str:
    """$NAME, else what the file named by $NAME_FILE holds (less a final newline), else default."""
    path = os.environ.get(f"{name}_FILE")
    if name in os.environ:
        if path:
            raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
        return os.environ[name]
    if not path:
        return default
    try:
        return Path(path).read_text(encoding="utf-8").removesuffix("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"{name}_FILE: cannot read {path}: {exc}") from exc


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name).strip().lower()
    if not value:
        return default
    if value in TRUE + FALSE:
        return value in TRUE
    raise ImproperlyConfigured(f"{name} must be one of {', '.join(TRUE + FALSE)}, not {value!r}.")


def env_number(name: str, default: float, *, minimum: float = 0, integer: bool = False):
    """A finite number at least `minimum` (a whole one with integer=True)."""
    value = env_str(name).strip()
    if not value:
        return default
    try:
        number = int(value) if integer else float(value)
    except ValueError:
        kind = "a whole number" if integer else "a number"
        raise ImproperlyConfigured(f"{name} must be {kind}, not {value!r}.") from None
    if not math.isfinite(number) or number < minimum:
        raise ImproperlyConfigured(f"{name} must be a finite number of at least {minimum}.")
    return number


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name).strip() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated list; empty items are dropped."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]
