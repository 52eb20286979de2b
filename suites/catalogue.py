"""The Compliance Suite tables as plain data, read from suites/data/<year>.yaml.

Pure: no ORM, no I/O beyond reading the packaged data files. The engine, the probes' verdicts and
the database loader all take their tables from here. The file schema is documented in
suites/data/README.md; the reader is strict, so a typo in a new year's file fails loudly.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SUITES_DIR = Path(__file__).resolve().parent / "data"

LEVELS = ("server", "client", "advanced_server", "advanced_client")
CATEGORIES = ("core", "web", "im", "mobile", "av")
CATEGORY_NAMES = {
    "core": "Core",
    "web": "Web",
    "im": "IM",
    "mobile": "Mobile",
    "av": "A/V Calling",
}
LEVEL_NAMES = {
    "server": "Server",
    "client": "Client",
    "advanced_server": "Advanced Server",
    "advanced_client": "Advanced Client",
}

REQUIRED = "required"
NOT_REQUIRED = "not_required"
NOT_APPLICABLE = "na"
CELL_VALUES = (REQUIRED, NOT_REQUIRED, NOT_APPLICABLE)
PROVIDER_RULES = ("all", "any", "per_level")

SPEC_ID = re.compile(r"^(RFC [1-9][0-9]*|XEP-[0-9]{4})$")

FEATURE_KEYS = {
    "name",
    "providers",
    "providers_rule",
    "providers_rule_by_level",
    "see_also",
    "levels",
    "notes",
    "note_ids",
    "provider_notes",
    "provider_remarks",
    "remarks",
    "doubt",
}
CATEGORY_KEYS = {
    "key",
    "heading",
    "caption",
    "requirement_text",
    "requires",
    "features",
    "specifications_of_note",
}
SUITE_KEYS = {
    "year",
    "xep",
    "title",
    "shortname",
    "status",
    "version",
    "date",
    "supersedes",
    "superseded_by",
    "column_headers",
    "global_rules",
    "doubts",
    "categories",
    "future_development",
    "changes_since",
    "changes_since_remark",
    "spec_titles",
}


class CatalogueError(ValueError):
    """A suite data file does not follow the schema."""


@dataclass(frozen=True)
class Cell:
    level: str
    label: str
    value: str
    note: str
    note_id: str


@dataclass(frozen=True)
class Feature:
    """One row of a suite table."""

    name: str
    providers: tuple[str, ...]
    providers_rule: str
    cells: dict[str, str]
    rule_by_level: dict[str, str]
    notes: dict[str, str] = field(default_factory=dict)
    note_ids: dict[str, str] = field(default_factory=dict)
    provider_notes: dict[str, str] = field(default_factory=dict)
    provider_remarks: dict[str, str] = field(default_factory=dict)
    see_also: tuple[str, ...] = ()
    remarks: tuple[str, ...] = ()
    doubt: str = ""

    def cell(self, level: str) -> str:
        return self.cells[level]

    def rule(self, level: str) -> str:
        """'all' or 'any': how many providers must be supported at this level."""
        return self.rule_by_level[level]

    def level_cells(self) -> list[Cell]:
        """The four cells in table order, each with its note."""
        return [
            Cell(
                level,
                LEVEL_NAMES[level],
                self.cells[level],
                self.notes.get(level, ""),
                self.note_ids.get(level, ""),
            )
            for level in LEVELS
        ]


@dataclass(frozen=True)
class Category:
    key: str
    heading: str
    caption: str
    requirement_text: str
    requires: tuple[str, ...]
    features: tuple[Feature, ...]
    specifications_of_note: tuple[dict, ...]

    @property
    def name(self) -> str:
        return CATEGORY_NAMES[self.key]

    def cell_notes(self) -> list[tuple[str, str]]:
        """(note id, text) of every cell note in this table, each once, in table order."""
        seen: dict[str, str] = {}
        for feature in self.features:
            for cell in feature.level_cells():
                if cell.note_id:
                    seen.setdefault(cell.note_id, cell.note)
        return list(seen.items())


@dataclass(frozen=True, eq=False)
class Suite:
    """One year's suite. Compared and hashed by identity: each file is read once."""

    year: int
    xep: str
    title: str
    shortname: str
    status: str
    version: str
    date: str
    supersedes: tuple[str, ...]
    superseded_by: tuple[str, ...]
    column_headers: dict[str, str]
    global_rules: tuple[str, ...]
    doubts: tuple[str, ...]
    categories: tuple[Category, ...]
    future_development: tuple[dict, ...]
    changes_since: tuple[dict, ...]
    changes_since_remark: str
    spec_titles: dict[str, str]

    def category(self, key: str) -> Category:
        for category in self.categories:
            if category.key == key:
                return category
        raise KeyError(f"{self.year} has no category {key!r}")

    @property
    def category_keys(self) -> tuple[str, ...]:
        return tuple(category.key for category in self.categories)


def _check_keys(where: str, data: dict, allowed: set[str], required: set[str]) -> None:
    if not isinstance(data, dict):
        raise CatalogueError(f"{where}: expected a mapping")
    unknown = set(data) - allowed
    if unknown:
        raise CatalogueError(f"{where}: unknown keys {sorted(unknown)}")
    absent = required - set(data)
    if absent:
        raise CatalogueError(f"{where}: missing keys {sorted(absent)}")


def _check_specs(where: str, specs: list[str]) -> None:
    for spec in specs:
        if not SPEC_ID.match(spec):
            raise CatalogueError(f"{where}: {spec!r} is not of the form 'RFC 6120' or 'XEP-0030'")


def _check_level_keys(where: str, mapping: dict) -> None:
    unknown = set(mapping) - set(LEVELS)
    if unknown:
        raise CatalogueError(f"{where}: unknown levels {sorted(unknown)}")


def _feature(where: str, data: dict[str, Any]) -> Feature:
    _check_keys(where, data, FEATURE_KEYS, {"name", "providers", "providers_rule", "levels"})
    where = f"{where} ({data['name']})"
    providers = tuple(data["providers"])
    _check_specs(where, list(providers) + list(data.get("see_also", [])))
    cells = data["levels"]
    if set(cells) != set(LEVELS) or not set(cells.values()) <= set(CELL_VALUES):
        raise CatalogueError(f"{where}: levels must give each of {LEVELS} one of {CELL_VALUES}")
    rule = data["providers_rule"]
    if rule not in PROVIDER_RULES:
        raise CatalogueError(f"{where}: providers_rule must be one of {PROVIDER_RULES}")
    if rule == "per_level":
        by_level = data.get("providers_rule_by_level", {})
        if set(by_level) != set(LEVELS) or not set(by_level.values()) <= {"all", "any"}:
            raise CatalogueError(f"{where}: providers_rule_by_level must give all/any per level")
    elif "providers_rule_by_level" in data:
        raise CatalogueError(f"{where}: providers_rule_by_level needs providers_rule per_level")
    else:
        by_level = dict.fromkeys(LEVELS, rule)
    for key in ("notes", "note_ids"):
        _check_level_keys(f"{where} {key}", data.get(key, {}))
    if set(data.get("notes", {})) != set(data.get("note_ids", {})):
        raise CatalogueError(f"{where}: every cell note needs a note id and the other way round")
    for key in ("provider_notes", "provider_remarks"):
        if not set(data.get(key, {})) <= set(providers):
            raise CatalogueError(f"{where}: {key} names a spec that is not a provider")
    return Feature(
        name=data["name"],
        providers=providers,
        providers_rule=rule,
        cells=dict(cells),
        rule_by_level=dict(by_level),
        notes=dict(data.get("notes", {})),
        note_ids=dict(data.get("note_ids", {})),
        provider_notes=dict(data.get("provider_notes", {})),
        provider_remarks=dict(data.get("provider_remarks", {})),
        see_also=tuple(data.get("see_also", ())),
        remarks=tuple(data.get("remarks", ())),
        doubt=data.get("doubt", ""),
    )


def _category(where: str, data: dict[str, Any]) -> Category:
    _check_keys(where, data, CATEGORY_KEYS, {"key", "heading", "caption", "features"})
    key = data["key"]
    if key not in CATEGORIES:
        raise CatalogueError(f"{where}: category key must be one of {CATEGORIES}")
    where = f"{where} {key}"
    requires = tuple(data.get("requires", ()))
    if not set(requires) <= set(CATEGORIES):
        raise CatalogueError(f"{where}: requires names an unknown category")
    features = tuple(_feature(f"{where} feature {i}", f) for i, f in enumerate(data["features"]))
    return Category(
        key=key,
        heading=data["heading"],
        caption=data["caption"],
        requirement_text=data.get("requirement_text", ""),
        requires=requires,
        features=features,
        specifications_of_note=tuple(data.get("specifications_of_note", ())),
    )


def parse_suite(data: dict[str, Any], where: str = "suite") -> Suite:
    """Build a Suite from the mapping of one year's file, checking it against the schema."""
    _check_keys(where, data, SUITE_KEYS, SUITE_KEYS - {"changes_since_remark"})
    where = f"{where} {data['year']}"
    categories = tuple(
        _category(f"{where} category {i}", c) for i, c in enumerate(data["categories"])
    )
    keys = [c.key for c in categories]
    if len(set(keys)) != len(keys) or "core" not in keys:
        raise CatalogueError(f"{where}: categories must be unique and include core")
    _check_level_keys(f"{where} column_headers", data["column_headers"])
    return Suite(
        year=int(data["year"]),
        xep=data["xep"],
        title=data["title"],
        shortname=data["shortname"],
        status=data["status"],
        version=str(data["version"]),
        date=str(data["date"]),
        supersedes=tuple(data["supersedes"]),
        superseded_by=tuple(data["superseded_by"]),
        column_headers=dict(data["column_headers"]),
        global_rules=tuple(data["global_rules"]),
        doubts=tuple(data["doubts"]),
        categories=categories,
        future_development=tuple(data["future_development"]),
        changes_since=tuple(data["changes_since"]),
        changes_since_remark=data.get("changes_since_remark", ""),
        spec_titles=dict(data["spec_titles"]),
    )


# libyaml's safe loader where PyYAML was built with it (the same data, eight times faster: every
# process that reads the suites pays this at start-up).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_suite(path: Path) -> Suite:
    with path.open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=SAFE_LOADER)
    suite = parse_suite(data, where=path.name)
    if path.stem != str(suite.year):
        raise CatalogueError(f"{path.name}: file name and year {suite.year} differ")
    return suite


def suite_files() -> list[Path]:
    """The shipped data files, one per year, oldest first."""
    return sorted(SUITES_DIR.glob("[0-9][0-9][0-9][0-9].yaml"))


@cache
def suites() -> dict[int, Suite]:
    """Every suite year shipped with the project, oldest first."""
    found = suite_files()
    return {suite.year: suite for suite in map(read_suite, found)}


def suite(year: int) -> Suite:
    return suites()[year]


@cache
def fingerprint() -> str:
    """A digest of every shipped suite file: changes when any table does."""
    digest = hashlib.sha256()
    for path in suite_files():
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@cache
def provider_specs() -> frozenset[str]:
    """Every spec any shipped suite names as a provider."""
    return frozenset(
        spec
        for suite in suites().values()
        for category in suite.categories
        for feature in category.features
        for spec in feature.providers
    )


def latest_year() -> int:
    return max(suites())
