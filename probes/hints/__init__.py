"""Remediation hints: what to enable or configure on a server so that a check passes.

One data file per server software, probes/hints/<software>.yaml, keyed by check id; the hint
shown follows the software name and version the probe read (XEP-0092). The file format is in
probes/README.md ("Remediation hints"). Pure: no I/O but reading the data files. The reader is
strict, so a typo in a hint file fails loudly, naming the file and the key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from probes.checks import CHECKS

HINTS_DIR = Path(__file__).resolve().parent

FILE_KEYS = {"software", "names", "documentation", "hints"}
HINT_KEYS = {"text", "config", "min_version", "max_version", "source"}
# A version in a hint file: numbers and dots only, written as a quoted string ("0.12", "23.10").
VERSION = re.compile(r"^[0-9]+(\.[0-9]+)*$")
# A version the server reports: its leading numbers ("0.12.3", "4.8.0 build 123", "v8.4.0-b12").
REPORTED_VERSION = re.compile(r"\s*v?([0-9]+(?:\.[0-9]+)*)")
URL = re.compile(r"^https://[^\s]+$")

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class HintError(ValueError):
    """A hint file that does not follow the format; the message names the file and the key."""


@dataclass(frozen=True)
class Hint:
    software: str  # the display name: "Prosody"
    check: str  # the check id: "xep0363-upload"
    text: str  # one to three sentences: what to enable or configure
    config: tuple[str, ...]  # configuration lines in the server's own syntax (may be empty)
    versions: str  # which versions it is for: "0.12 and later", "all versions"
    source: str  # the documentation the facts come from
    min_version: str | None = None
    max_version: str | None = None  # inclusive, as a prefix: "0.11" covers 0.11.14
    # True when the server's version was unknown and this is the hint for the newest versions:
    # the page says "for recent versions".
    for_recent_versions: bool = False

    def applies_to(self, version: tuple[int, ...]) -> bool:
        low, high = _bounds(self)
        return not _before(version, low) and _before(version, high)


@dataclass(frozen=True)
class ServerHints:
    """One hint file: a server software and its hints, each check's newest versions first."""

    software: str
    names: tuple[str, ...]  # the names it reports in XEP-0092, compared case-insensitively
    documentation: str
    hints: dict[str, tuple[Hint, ...]]
    path: Path


@dataclass(frozen=True)
class Hints:
    """The hint files of one directory."""

    servers: tuple[ServerHints, ...]

    def server(self, software_name: str | None) -> ServerHints | None:
        wanted = (software_name or "").strip().casefold()
        for server in self.servers:
            if wanted in server.names:
                return server
        return None

    def hint_for(
        self, check_id: str, software_name: str | None, version: str | None
    ) -> Hint | None:
        server = self.server(software_name)
        if server is None or check_id not in server.hints:
            return None
        candidates = server.hints[check_id]
        reported = parse_version(version)
        if reported is None:
            return replace(max(candidates, key=_newest_first), for_recent_versions=True)
        return next((hint for hint in candidates if hint.applies_to(reported)), None)

    def hints_for(self, software_name: str | None, version: str | None) -> dict[str, Hint]:
        """The hints for that software and version, in the order the checks are reported."""
        found = {check.id: self.hint_for(check.id, software_name, version) for check in CHECKS}
        return {check_id: hint for check_id, hint in found.items() if hint is not None}


def parse_version(text: str | None) -> tuple[int, ...] | None:
    """The leading numeric components of a version string; None when it has none."""
    match = REPORTED_VERSION.match(text or "")
    return tuple(int(part) for part in match.group(1).split(".")) if match else None


def hint_for(check_id: str, software_name: str | None, version: str | None) -> Hint | None:
    """The shipped hint for this check on that software and version, or None."""
    return shipped().hint_for(check_id, software_name, version)


def hints_for(software_name: str | None, version: str | None) -> dict[str, Hint]:
    """Every shipped hint for that software and version, keyed by check id."""
    return shipped().hints_for(software_name, version)


@cache
def shipped() -> Hints:
    return load_hints(HINTS_DIR)


def load_hints(directory: Path, check_ids: Iterable[str] | None = None) -> Hints:
    """Read and validate every <software>.yaml of a directory (check ids: the registry's)."""
    known = frozenset(check_ids) if check_ids is not None else {check.id for check in CHECKS}
    servers = tuple(read_file(path, known) for path in sorted(directory.glob("*.yaml")))
    claimed: dict[str, str] = {}
    for server in servers:
        for name in server.names:
            if name in claimed:
                raise HintError(f"{server.path.name}: names: {name!r} is also in {claimed[name]}")
            claimed[name] = server.path.name
    return Hints(servers)


def read_file(path: Path, known: frozenset[str] | set[str]) -> ServerHints:
    where = path.name
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except yaml.YAMLError as exc:
        raise HintError(f"{where}: not valid YAML: {exc}") from None
    _check_keys(data, FILE_KEYS, FILE_KEYS, where)
    software = _text(data["software"], f"{where}: software")
    names = data["names"]
    if not isinstance(names, list) or not names:
        raise HintError(f"{where}: names: a non-empty list of the XEP-0092 names")
    folded = tuple(_text(name, f"{where}: names").strip().casefold() for name in names)
    documentation = _url(data["documentation"], f"{where}: documentation")
    if not isinstance(data["hints"], dict) or not data["hints"]:
        raise HintError(f"{where}: hints: a mapping of check ids to lists of hints")
    hints = {}
    for check_id, entries in data["hints"].items():
        if check_id not in known:
            raise HintError(f"{where}: hints.{check_id}: no check has this id")
        hints[check_id] = _read_entries(entries, software, check_id, f"{where}: hints.{check_id}")
    return ServerHints(software, folded, documentation, hints, path)


def _read_entries(entries: Any, software: str, check_id: str, where: str) -> tuple[Hint, ...]:
    if not isinstance(entries, list) or not entries:
        raise HintError(f"{where}: a non-empty list of hints")
    hints = [
        _read_hint(entry, software, check_id, f"{where}[{i}]") for i, entry in enumerate(entries)
    ]
    for i, hint in enumerate(hints):
        for j, other in enumerate(hints[:i]):
            if _overlap(hint, other):
                raise HintError(f"{where}[{i}]: its versions overlap those of {where}[{j}]")
    return tuple(sorted(hints, key=_newest_first, reverse=True))


def _read_hint(entry: Any, software: str, check_id: str, where: str) -> Hint:
    _check_keys(entry, {"text", "source"}, HINT_KEYS, where)
    config = entry.get("config", "")
    if not isinstance(config, str) or "\t" in config:
        raise HintError(f"{where}.config: a block of configuration lines (a string, no tabs)")
    low = _version(entry.get("min_version"), f"{where}.min_version")
    high = _version(entry.get("max_version"), f"{where}.max_version")
    if low and high and parse_version(high) < parse_version(low)[: len(parse_version(high))]:
        raise HintError(f"{where}: max_version {high} is before min_version {low}")
    return Hint(
        software=software,
        check=check_id,
        text=" ".join(_text(entry["text"], f"{where}.text").split()),
        config=tuple(config.rstrip("\n").split("\n")) if config.strip() else (),
        versions=_label(low, high),
        source=_url(entry["source"], f"{where}.source"),
        min_version=low,
        max_version=high,
    )


def _check_keys(data: Any, required: set[str], allowed: set[str], where: str) -> None:
    if not isinstance(data, dict):
        raise HintError(f"{where}: a mapping with the keys {', '.join(sorted(allowed))}")
    if unknown := set(data) - allowed:
        raise HintError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    if missing := required - set(data):
        raise HintError(f"{where}: missing key(s) {', '.join(sorted(missing))}")


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise HintError(f"{where}: a non-empty string")
    return value


def _url(value: Any, where: str) -> str:
    if not isinstance(value, str) or not URL.match(value):
        raise HintError(f"{where}: an https:// URL")
    return value


def _version(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not VERSION.match(value):
        raise HintError(f'{where}: a version of numbers and dots, quoted ("0.12"), not {value!r}')
    return value


def _label(low: str | None, high: str | None) -> str:
    if low and high:
        return f"{low} to {high}"
    if low:
        return f"{low} and later"
    return f"{high} and earlier" if high else "all versions"


def _padded(version: tuple[int, ...], other: tuple[int, ...]) -> tuple[int, ...]:
    return version + (0,) * (len(other) - len(version))


def _bounds(hint: Hint) -> tuple[tuple[int, ...], tuple[int, ...] | None]:
    """The versions a hint covers as [low, high): max_version "0.11" ends before 0.12."""
    low = parse_version(hint.min_version) if hint.min_version else (0,)
    if not hint.max_version:
        return low, None
    high = parse_version(hint.max_version)
    return low, high[:-1] + (high[-1] + 1,)


def _before(a: tuple[int, ...], b: tuple[int, ...] | None) -> bool:
    return b is None or _padded(a, b) < _padded(b, a)


def _overlap(one: Hint, other: Hint) -> bool:
    (low1, high1), (low2, high2) = _bounds(one), _bounds(other)
    return _before(low1, high2) and _before(low2, high1)


def _newest_first(hint: Hint) -> tuple[bool, tuple[int, ...], tuple[int, ...]]:
    """Sort key: the hint for the newest versions is the largest."""
    low, high = _bounds(hint)
    return (high is None, high or (), low)
