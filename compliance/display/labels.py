"""What a cell and a verdict say, in words and with an icon (never by colour alone). Pure."""

from __future__ import annotations

from suites.engine import MET, MISSING, WAIVED, FeatureResult, Verdict

# The five things a cell can say, in words and with an icon (never by colour alone).
CELL_LABELS = {
    "supported": ("✓", "supported"),
    "partial": ("◐", "partial"),
    "missing": ("✗", "missing"),
    "waived": ("–", "waived"),
    "na": ("·", "N/A"),
}
VERDICT_LABELS = {
    "compliant": ("✓", "compliant"),
    "partial": ("◐", "compliant (partial)"),
    "not_compliant": ("✗", "not compliant"),
}


def cell_state(result: FeatureResult) -> str:
    if result.state == MET:
        return "partial" if result.partial else "supported"
    if result.state == MISSING:
        return "missing"
    if result.state == WAIVED:
        return "waived"
    return "na"


def verdict_state(verdict: Verdict) -> str:
    if not verdict.compliant:
        return "not_compliant"
    return "partial" if verdict.partial_specs else "compliant"
