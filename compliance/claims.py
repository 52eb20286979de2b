"""Which claim counts for each spec when a software has several."""

from __future__ import annotations

from collections.abc import Iterable

# A vendor's own entry (the form) is more specific than its DOAP file; probe results are
# evidence beside the self-assessment, never part of it.
SELF_ASSESSMENT_PRECEDENCE = ("doap", "self")


def self_assessed_statuses(claims: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """spec -> status from (spec, status, source) triples, the self claim over the DOAP one."""
    rank = {source: i for i, source in enumerate(SELF_ASSESSMENT_PRECEDENCE)}
    chosen: dict[str, tuple[int, str]] = {}
    for spec, status, source in claims:
        if source not in rank:
            continue
        if spec not in chosen or rank[source] >= chosen[spec][0]:
            chosen[spec] = (rank[source], status)
    return {spec: status for spec, (_, status) in chosen.items()}
