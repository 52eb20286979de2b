"""Read the registry's list (xsf/xmpp.org data/software.json) exactly, as plain data.

Pure: no Django, no I/O. A list that cannot be read at all (not JSON, not a list, empty, more
than MAX_ENTRIES entries) raises RegistryError; an entry that breaks the format (unknown or
missing keys, a name with markup or already used, a category or URL that is not one) becomes a
BadItem saying why, and the others are read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from suites.engine import ROLES

MAX_BYTES = 4 * 1024 * 1024  # the list of 195 entries is 30 kB
MAX_ENTRIES = 2000  # ten times the registry of 2026
MAX_NAME = 200
MAX_URL = 500
MAX_PLATFORMS = 50
MAX_PLATFORM = 100
KEYS = frozenset({"name", "categories", "doap", "url", "platforms"})
CATEGORIES = ("server", "client", "library", "tool", "component", "integrated-platform")
# What the registry's categories that are no role mean, for the reason an entry is not judged.
NOT_A_ROLE = {
    "tool": "a tool",
    "component": "a server component",
    "integrated-platform": "an integrated platform (a server and its clients together)",
}
UNSAFE_NAME = re.compile(r"[<>\x00-\x1f\x7f]")


class RegistryError(ValueError):
    """The list itself cannot be read; the message says why, for a person."""


@dataclass(frozen=True)
class RegistryItem:
    """One entry as the registry gives it; doap_url is its DOAP made absolute ('' for none)."""

    position: int  # 1-based, in the list
    name: str
    categories: tuple[str, ...]
    doap: str
    doap_url: str
    homepage: str
    platforms: tuple[str, ...]


@dataclass(frozen=True)
class BadItem:
    """An entry that breaks the format; name is its name when that is a usable string."""

    position: int
    name: str
    reason: str


def shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:80] + "…"


def load_list(data: bytes) -> list:
    """The JSON list of the registry; RegistryError when it is none."""
    try:
        value = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise RegistryError(f"The registry is not UTF-8 text: {exc}.") from None
    except json.JSONDecodeError as exc:
        raise RegistryError(f"The registry is not JSON: {exc}.") from None
    except RecursionError:
        raise RegistryError("The registry nests too deeply to be read.") from None
    if not isinstance(value, list):
        raise RegistryError(f"The registry is not a JSON list but a {type(value).__name__}.")
    if not value:
        raise RegistryError("The registry is an empty list; nothing was changed.")
    if len(value) > MAX_ENTRIES:
        raise RegistryError(
            f"The registry has {len(value)} entries, more than the limit of {MAX_ENTRIES}."
        )
    return value


def _name(raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(f"its name is not a non-empty string: {shown(raw)}")
    if len(raw) > MAX_NAME:
        raise ValueError(f"its name is longer than {MAX_NAME} characters")
    if UNSAFE_NAME.search(raw) or raw != raw.strip():
        raise ValueError(
            f"its name {shown(raw)} holds markup, control characters or surrounding spaces"
        )
    return raw


def _http_url(raw: str, what: str) -> str:
    if len(raw) > MAX_URL:
        raise ValueError(f"its {what} is longer than {MAX_URL} characters")
    try:
        parts = urlsplit(raw)
        host = parts.hostname
    except ValueError:
        host = None
    if parts.scheme not in ("http", "https") or not host:
        raise ValueError(f"its {what} {shown(raw)} is not an http(s) URL")
    return raw


def _doap_url(raw: object, base: str) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str) or not raw:
        raise ValueError(f"its doap is neither null nor a URL: {shown(raw)}")
    if raw.startswith("/") and not raw.startswith("//"):
        return _http_url(urljoin(base, raw), "DOAP URL")
    return _http_url(raw, "DOAP URL")


def _strings(raw: object, what: str, limit: int, length: int) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise ValueError(f"its {what} are not a list of strings: {shown(raw)}")
    if len(raw) > limit or any(len(item) > length for item in raw):
        raise ValueError(f"its {what} are more than {limit} or longer than {length} characters")
    return tuple(raw)


def _item(position: int, raw: object, base: str) -> RegistryItem:
    if not isinstance(raw, dict):
        raise ValueError(f"it is not an object but {shown(raw)}")
    name = _name(raw.get("name"))
    if unknown := sorted(map(str, set(raw) - KEYS)):
        raise ValueError(f"it has unknown keys: {', '.join(map(shown, unknown))}")
    if missing := sorted(KEYS - set(raw)):
        raise ValueError(f"it lacks the keys {', '.join(missing)}")
    categories = _strings(raw["categories"], "categories", len(CATEGORIES), 32)
    if not categories or (wrong := [c for c in categories if c not in CATEGORIES]):
        named = ", ".join(map(shown, wrong)) if categories else "none"
        raise ValueError(f"its categories must be some of {', '.join(CATEGORIES)}, not {named}")
    homepage = raw["url"]
    if homepage is not None and not isinstance(homepage, str):
        raise ValueError(f"its url is neither null nor a URL: {shown(homepage)}")
    return RegistryItem(
        position=position,
        name=name,
        categories=categories,
        doap=raw["doap"] or "",
        doap_url=_doap_url(raw["doap"], base),
        homepage=_http_url(homepage, "url") if homepage else "",
        platforms=_strings(raw["platforms"], "platforms", MAX_PLATFORMS, MAX_PLATFORM),
    )


def _usable_name(raw: object) -> str:
    try:
        return _name(raw.get("name")) if isinstance(raw, dict) else ""
    except ValueError:
        return ""


def read_items(entries: list, base: str) -> tuple[list[RegistryItem], list[BadItem]]:
    """Every entry read exactly: the good ones, and the others with the reason. A name (case
    aside) or a DOAP URL already used by an earlier entry makes the later one bad."""
    items, bad = [], []
    names: dict[str, int] = {}
    doap_urls: dict[str, int] = {}
    for position, raw in enumerate(entries, start=1):
        try:
            item = _item(position, raw, base)
            if (earlier := names.get(item.name.casefold())) is not None:
                raise ValueError(f"its name is also entry {earlier}'s; only the first is read")
            if item.doap_url and (earlier := doap_urls.get(item.doap_url)) is not None:
                raise ValueError(f"its DOAP URL is also entry {earlier}'s")
        except ValueError as exc:
            name = _usable_name(raw)
            bad.append(BadItem(position, name, f"Registry entry {position} is refused: {exc}."))
            if name:
                names.setdefault(name.casefold(), position)
            continue
        names[item.name.casefold()] = position
        if item.doap_url:
            doap_urls[item.doap_url] = position
        items.append(item)
    return items, bad


def parse_registry(data: bytes, base: str) -> tuple[list[RegistryItem], list[BadItem]]:
    """The registry's bytes read exactly; relative DOAP paths resolve against base."""
    return read_items(load_list(data), base)


def registry_role(categories: tuple[str, ...]) -> tuple[str | None, str]:
    """(role, '') when the registry's categories name exactly one of server, client and
    library (tool, component and integrated-platform beside it do not change it); else (None,
    why the entry cannot be judged)."""
    roles = sorted({category for category in categories if category in ROLES})
    if len(roles) == 1:
        return roles[0], ""
    if roles:
        return None, (
            f"not judged: the registry names several roles ({', '.join(roles)}) and the DOAP "
            "file names none"
        )
    kinds = " and ".join(NOT_A_ROLE[category] for category in dict.fromkeys(categories))
    return None, (
        f"not judged: the registry lists it as {kinds}, which the Compliance Suites do not "
        "judge, and its DOAP file names no role (server, client or library)"
    )
