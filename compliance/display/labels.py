"""What a cell and a verdict say, in words and with an icon (never by colour alone). Pure.

A cell that is not met says why, from what the entry lists: not listed at all, listed without a
status, listed as planned / deprecated / removed / wontfix, listed since a newer version, or
listed with a word outside the vocabulary (suites.statuses.listed_statuses). An entry that
claims nothing on any spec the suites name has "no data", not failures.
"""

from __future__ import annotations

from collections.abc import Mapping

from suites.engine import MET, MISSING, WAIVED, FeatureResult, Verdict
from suites.statuses import NOT_YET, OTHER, UNSTATED

# The things a cell can say, in words and with an icon (never by colour alone).
CELL_LABELS = {
    "supported": ("✓", "supported"),
    "partial": ("◐", "partial"),
    "missing": ("✗", "not listed"),
    UNSTATED: ("?", "no status"),
    NOT_YET: ("✗", "not yet"),
    OTHER: ("✗", "unknown status"),
    "planned": ("✗", "planned"),
    "deprecated": ("✗", "deprecated"),
    "removed": ("✗", "removed"),
    "wontfix": ("✗", "won't fix"),
    "waived": ("–", "waived"),
    "waived_supported": ("✓", "supported (not required here)"),
    "na": ("·", "N/A"),
}
# Why a spec a feature lacks does not count, per spec.
LACKING_WORDS = {
    "": "not listed",
    UNSTATED: "listed without a status (not counted)",
    NOT_YET: "listed since a version newer than the current one",
    OTHER: "listed with a status outside the vocabulary",
    "planned": "listed as planned",
    "deprecated": "listed as deprecated",
    "removed": "listed as removed",
    "wontfix": "listed as won't fix",
}
# The order in which a cell lacking several specs names its reason: the one most easily fixed.
REASON_ORDER = (UNSTATED, OTHER, NOT_YET, "planned", "deprecated", "removed", "wontfix")

VERDICT_LABELS = {
    "compliant": ("✓", "compliant"),
    # Compliant, relying on a spec claimed as partial: the suites know no "partially
    # compliant", so the verdict says compliant and the reliance is marked apart (PARTIAL_MARK).
    "partial": ("✓", "compliant"),
    "not_compliant": ("✗", "not compliant"),
    "no_data": ("?", "no data"),
}
PARTIAL_MARK = "*"
PARTIAL_WORDS = "relies on partial support of"
NO_DATA_WORDS = (
    "no data: the entry claims nothing, of any status, on a specification the suites name"
)


def lacking_reasons(result: FeatureResult, listed: Mapping[str, str]) -> list[tuple[str, str]]:
    """(spec, why) for each spec a missing feature lacks, `why` a key of LACKING_WORDS."""
    return [(spec, listed.get(spec, "")) for spec in result.lacking]


def cell_state(
    result: FeatureResult,
    listed: Mapping[str, str] | None = None,
    statuses: Mapping[str, str] | None = None,
) -> str:
    """A key of CELL_LABELS. `listed` says why claimed specs do not count; `statuses` (the
    engine's) tells a waived cell whose spec is supported anyway."""
    if result.state == MET:
        return "partial" if result.partial else "supported"
    if result.state == MISSING:
        reasons = {why for _, why in lacking_reasons(result, listed or {})}
        return next((why for why in REASON_ORDER if why in reasons), "missing")
    if result.state == WAIVED:
        claimed = statuses and any(spec in statuses for spec in result.feature.providers)
        return "waived_supported" if claimed else "waived"
    return "na"


def cell_detail(result: FeatureResult, listed: Mapping[str, str] | None = None) -> str:
    """What a cell adds to its word, in text: the specs lacking and why, the partial ones."""
    if result.state == MISSING:
        reasons = lacking_reasons(result, listed or {})
        if len({why for _, why in reasons}) == 1:
            return f"lacking {', '.join(spec for spec, _ in reasons)}"
        return "; ".join(f"{spec} {LACKING_WORDS[why]}" for spec, why in reasons)
    if result.state == MET and result.partial:
        return f"partial: {', '.join(result.partial)}"
    return ""


def verdict_state(verdict: Verdict, has_data: bool = True) -> str:
    if not has_data:
        return "no_data"
    if not verdict.compliant:
        return "not_compliant"
    return "partial" if verdict.partial_specs else "compliant"


def verdict_words(verdict: Verdict, has_data: bool = True) -> str:
    """The verdict in plain text: 'compliant*' where it relies on partial support."""
    state = verdict_state(verdict, has_data)
    return VERDICT_LABELS[state][1] + (PARTIAL_MARK if state == "partial" else "")
