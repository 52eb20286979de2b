"""The compliance engine: claims + software flags + a suite year -> verdicts.

A pure function over plain data: no ORM objects, no clock, no I/O. Every rule cites the suite
text it implements (XEP-0412, -0423, -0443, -0459, -0479 all use the same wording).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from typing import NamedTuple

from suites.catalogue import (
    CATEGORIES,
    NOT_APPLICABLE,
    NOT_REQUIRED,
    REQUIRED,
    Feature,
    Suite,
)

# XEP-0453 status vocabulary. "A spec counts as supported when its claim status is complete or
# partial"; planned, deprecated, removed, wontfix, a missing status and any other value do not.
COMPLETE = "complete"
PARTIAL = "partial"
UNSUPPORTED = "unsupported"

# Roles and the columns they are judged against. Libraries are not the suites' target ("This
# document is for servers and clients"): they are judged against the client columns and every
# verdict carries the role so that it is shown as a library's.
ROLES = ("server", "client", "library")
ROLE_LEVELS = {
    "server": ("server", "advanced_server"),
    "client": ("client", "advanced_client"),
    "library": ("client", "advanced_client"),
}

# Feature states, per feature and level.
MET = "met"
MISSING = "missing"
WAIVED = "waived"
OPTIONAL = "not_required"
NA = "na"

# Cell notes that change whether a required cell applies to a given software.
NOTE_NOT_FOR_TERMINALS = "Not required for command line or terminal based interfaces."
NOTE_ONLY_BACKGROUND_RESTRICTED = (
    "Only on platforms that disallow long-lasting background connections."
)


@dataclass(frozen=True)
class Profile:
    """What the engine needs to know about a software besides its claims."""

    role: str
    terminal_interface: bool = False
    background_restricted: bool = False


class FeatureResult(NamedTuple):
    """One feature at one level for one software (a tuple: pages build thousands of these)."""

    category: str
    feature: Feature
    level: str
    state: str
    supported: tuple[str, ...] = ()
    partial: tuple[str, ...] = ()
    lacking: tuple[str, ...] = ()
    reason: str = ""

    @property
    def name(self) -> str:
        return self.feature.name

    @property
    def relies_on_partial(self) -> bool:
        return self.state == MET and bool(self.partial)

    @property
    def rule_words(self) -> str:
        return rule_words(self.feature, self.level)


@dataclass(frozen=True)
class Verdict:
    year: int
    category: str
    level: str
    role: str
    results: tuple[FeatureResult, ...]

    @cached_property
    def compliant(self) -> bool:
        return not self.missing

    @cached_property
    def missing(self) -> tuple[FeatureResult, ...]:
        return tuple(r for r in self.results if r.state == MISSING)

    @property
    def missing_names(self) -> list[str]:
        return [r.name for r in self.missing]

    @cached_property
    def partial_specs(self) -> list[str]:
        """Specs claimed only partially that this verdict relies on."""
        found = {spec for r in self.results if r.relies_on_partial for spec in r.partial}
        return sorted(found)

    @property
    def waived(self) -> tuple[FeatureResult, ...]:
        return tuple(r for r in self.results if r.state == WAIVED)

    def as_dict(self) -> dict:
        return {
            "compliant": self.compliant,
            "missing": self.missing_names,
            "relies_on_partial": self.partial_specs,
        }


def rule_words(feature: Feature, level: str) -> str:
    return "any one of" if feature.rule(level) == "any" else "all of"


@lru_cache(maxsize=4096)
def support_of(status: str | None) -> str:
    """COMPLETE, PARTIAL or UNSUPPORTED for a claim status, trimmed and case-insensitive."""
    normalized = (status or "").strip().lower()
    if normalized in (COMPLETE, PARTIAL):
        return normalized
    return UNSUPPORTED


def _waiver(note: str, profile: Profile) -> str:
    """Why a required cell does not apply to this software, or '' when it does."""
    if note == NOTE_NOT_FOR_TERMINALS and profile.terminal_interface:
        return f"Waived: {note} This software is a terminal interface."
    if note == NOTE_ONLY_BACKGROUND_RESTRICTED and not profile.background_restricted:
        return f"Waived: {note} This software is not marked as running on such a platform."
    return ""


def evaluate_feature(
    feature: Feature,
    category: str,
    level: str,
    statuses: Mapping[str, str],
    profile: Profile,
) -> FeatureResult:
    """The state of one feature at one level for one software."""
    cell = feature.cells[level]
    if cell == NOT_APPLICABLE:
        return FeatureResult(category, feature, level, NA, reason="Not applicable at this level.")
    if cell == NOT_REQUIRED:
        return FeatureResult(
            category, feature, level, OPTIONAL, reason="Not required at this level."
        )
    note = feature.notes.get(level)
    waived = _waiver(note, profile) if note else ""
    if waived:
        return FeatureResult(category, feature, level, WAIVED, reason=waived)

    supported, partial, lacking = [], [], []
    for spec in feature.providers:
        support = support_of(statuses.get(spec))
        if support == UNSUPPORTED:
            lacking.append(spec)
        else:
            supported.append(spec)
            if support == PARTIAL:
                partial.append(spec)
    if feature.rule_by_level[level] == "any":
        # "Only one of the recommended providers must be implemented for compliance."
        met = bool(supported)
        if len(partial) < len(supported):  # one provider is complete: nothing partial relied on
            partial = []
        if met:
            lacking = []
    else:
        # "A feature is considered supported if all comma separated feature providers listed in
        # the "Providers" column are implemented (unless otherwise noted)."
        met = not lacking
    if met:
        reason = f"Supported (partial: {', '.join(partial)})." if partial else "Supported."
        return FeatureResult(
            category, feature, level, MET, tuple(supported), tuple(partial), reason=reason
        )
    reason = (
        f"Needs {rule_words(feature, level)} {', '.join(feature.providers)}; "
        f"lacking {', '.join(lacking)}."
    )
    return FeatureResult(
        category, feature, level, MISSING, tuple(supported), tuple(partial), tuple(lacking), reason
    )


def requirement_rows(suite: Suite, category: str) -> list[tuple[str, Feature]]:
    """(category, feature) rows a verdict for this category considers, core's first.

    "To be considered XMPP <category> compliant, all features from the core compliance category
    must be met, as well as all features in this suite." The data files say so per category
    (`requires: [core]`); the required category is taken at the same level.
    """
    keys = [*suite.category(category).requires, category]
    return [(key, feature) for key in keys for feature in suite.category(key).features]


@cache
def required_rows(suite: Suite, category: str, level: str) -> tuple[tuple[str, Feature], ...]:
    """The (category, feature) rows whose cell at this level is required, core's first."""
    return tuple(
        (key, feature)
        for key, feature in requirement_rows(suite, category)
        if feature.cell(level) == REQUIRED
    )


def evaluate(
    suite: Suite,
    category: str,
    level: str,
    statuses: Mapping[str, str],
    profile: Profile,
    memo: dict | None = None,
) -> Verdict:
    """The verdict for one category at one level: the rows required there, met or missing.

    memo, a dict kept across calls, shares each feature's result between software whose
    claims agree on that feature's providers (a table of hundreds of rows repeats them a lot).
    """
    rows = required_rows(suite, category, level)
    if memo is None:
        results = tuple(evaluate_feature(f, key, level, statuses, profile) for key, f in rows)
    else:
        results = tuple(_shared(memo, rows, level, statuses, profile))
    return Verdict(suite.year, category, level, profile.role, results)


def _shared(
    memo: dict,
    rows: tuple[tuple[str, Feature], ...],
    level: str,
    statuses: Mapping[str, str],
    profile: Profile,
) -> list[FeatureResult]:
    """evaluate_feature for each row, memoised on everything its result depends on: the level,
    the two flags, the feature (one category's; suites live as long as the process, so its id
    names it) and the statuses of its providers."""
    flags = (level, profile.terminal_interface, profile.background_restricted)
    known = memo.get(flags)
    if known is None:
        known = memo[flags] = {}
    status_of = statuses.get
    results = []
    for category, feature in rows:
        providers = feature.providers
        if len(providers) == 1:
            signature = (id(feature), status_of(providers[0]))
        else:
            signature = (id(feature), *map(status_of, providers))
        result = known.get(signature)
        if result is None:
            result = known[signature] = evaluate_feature(
                feature, category, level, statuses, profile
            )
        results.append(result)
    return results


def evaluate_suites(
    suites: Iterable[Suite],
    statuses: Mapping[str, str],
    profile: Profile,
) -> dict[int, dict[str, dict[str, Verdict]]]:
    """Every verdict for a software: year -> category -> level (the two levels of its role)."""
    levels = ROLE_LEVELS[profile.role]
    return {
        suite.year: {
            category: {
                level: evaluate(suite, category, level, statuses, profile) for level in levels
            }
            for category in CATEGORIES
            if category in suite.category_keys
        }
        for suite in suites
    }


def verdicts_as_dict(verdicts: dict[int, dict[str, dict[str, Verdict]]]) -> dict:
    """The JSON shape of `python manage.py compliance --json` and the probe report."""
    return {
        str(year): {
            category: {level: verdict.as_dict() for level, verdict in by_level.items()}
            for category, by_level in by_category.items()
        }
        for year, by_category in verdicts.items()
    }
