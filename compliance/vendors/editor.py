"""What the claim editor shows: one row per specification the suites name (every RFC and XEP
of 2019–2023), grouped by category and feature as in the suite tables, and the verdicts the
unsaved values would give (the live preview)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from compliance.models import Claim, Software
from compliance.pages.software import highest_met
from suites import catalogue
from suites.catalogue import CATEGORY_NAMES
from suites.engine import Profile, Verdict, evaluate_suites
from suites.statuses import engine_statuses


@dataclass(frozen=True)
class Slot:
    """A specification's place in the editor: the feature it first appears under."""

    spec: str
    title: str
    category: str
    feature: str
    component: bool  # a server cell allows an external component or module to provide it

    @property
    def key(self) -> str:
        """The spec as a form prefix and element id: RFC_6120, XEP-0030."""
        return self.spec.replace(" ", "_")


@dataclass
class Row:
    slot: Slot
    form: object  # a bound or unbound ClaimRowForm
    doap: Claim | None = None
    saved: bool = False
    conflict: dict | None = field(default=None)  # the values saved meanwhile by someone else


@cache
def _slots(fingerprint: str) -> tuple[Slot, ...]:
    suites = list(catalogue.suites().values())[::-1]  # the newest year's grouping first
    titles = {spec: title for suite in suites[::-1] for spec, title in suite.spec_titles.items()}
    slots: dict[str, Slot] = {}
    for suite in suites:
        for category in suite.categories:
            for feature in category.features:
                component = "component" in feature.note_ids.values()
                for spec in feature.providers:
                    slots.setdefault(
                        spec,
                        Slot(spec, titles.get(spec, ""), category.key, feature.name, component),
                    )
    order = {key: i for i, key in enumerate(catalogue.CATEGORIES)}
    return tuple(sorted(slots.values(), key=lambda slot: order[slot.category]))


def slots() -> tuple[Slot, ...]:
    """Every specification the suites name, in the order of the tables."""
    return _slots(catalogue.fingerprint())


def sections(rows: list[Row]) -> list[tuple[str, list[tuple[str, list[Row]]]]]:
    """(category name, [(feature name, rows)]) in table order."""
    grouped: dict[str, dict[str, list[Row]]] = {}
    for row in rows:
        grouped.setdefault(row.slot.category, {}).setdefault(row.slot.feature, []).append(row)
    return [
        (CATEGORY_NAMES[category], list(features.items())) for category, features in grouped.items()
    ]


@dataclass(frozen=True)
class Reach:
    category: str
    saved: str  # the highest level met with the saved claims, '' for none
    preview: str  # the same with the unsaved values

    @property
    def name(self) -> str:
        return CATEGORY_NAMES[self.category]

    @property
    def changed(self) -> bool:
        return self.saved != self.preview


def _reached(verdicts: dict[str, dict[str, Verdict]]) -> dict[str, str]:
    return {category: highest_met(by_level.values()) for category, by_level in verdicts.items()}


def current(software: Software) -> tuple[int, list[Reach]]:
    """(year, a Reach per category of the newest suite) with the saved claims only."""
    year = catalogue.latest_year()
    saved = _reached(software.verdicts([year])[year])
    return year, [Reach(category, level, level) for category, level in saved.items()]


def preview(
    software: Software,
    claims: list[Claim],
    unsaved: Mapping[str, Mapping[str, str]],
    *,
    role: str,
    terminal: bool,
    background: bool,
    current_version: str,
) -> tuple[int, list[Reach]]:
    """(year, a Reach per category of the newest suite): the highest level met now, and with
    the unsaved self-assessed rows (spec -> values, empty values removing the claim) and
    entry fields."""
    suite = catalogue.suite(catalogue.latest_year())
    saved = _reached(software.verdicts([suite.year])[suite.year])
    kept = [c for c in claims if not (c.source == Claim.SELF and c.spec in unsaved)]
    facts = [(c.spec, c.status, c.source, c.since_version) for c in kept]
    facts += [
        (spec, values.get("status", ""), Claim.SELF, values.get("since_version", ""))
        for spec, values in unsaved.items()
        if any(values.values())
    ]
    statuses = engine_statuses(facts, catalogue.provider_specs(), current_version)
    profile = Profile(role, terminal, background)
    after = _reached(evaluate_suites([suite], statuses, profile)[suite.year])
    return suite.year, [
        Reach(category, saved.get(category, ""), after[category]) for category in after
    ]
