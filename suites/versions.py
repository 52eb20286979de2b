"""Product versions as vendors write them ("0.12.3", "23.01", "2.0-beta1", "v1.5"): compared
part by part, numbers as numbers. Pure."""

from __future__ import annotations

import re

PART = re.compile(r"\d+|[a-z]+")


def version_key(version: str) -> tuple:
    """A sort key: 1.10 after 1.9, 1.0-beta before 1.0, 1.0 equal to 1.0.0, a leading 'v'
    ignored. The leading numbers compare as numbers (trailing zeros dropped); what follows them
    ("beta1", "rc2") makes a pre-release, which comes before the release itself."""
    parts = PART.findall(version.strip().lower().removeprefix("v"))
    count = next((i for i, part in enumerate(parts) if not part.isdigit()), len(parts))
    numbers = [int(part) for part in parts[:count]]
    while numbers and numbers[-1] == 0:
        numbers.pop()
    rest = tuple((1, int(part)) if part.isdigit() else (0, part) for part in parts[count:])
    return (tuple(numbers), (0, *rest) if rest else (1,))


def is_newer(version: str, than: str) -> bool:
    """Whether version comes after `than`; False when either names no number (no telling)."""
    if not re.search(r"\d", version) or not re.search(r"\d", than):
        return False
    return version_key(version) > version_key(than)
