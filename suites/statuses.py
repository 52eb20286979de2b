"""Which claim counts for each spec when a software has several."""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence

from suites.engine import COMPLETE, PARTIAL, UNSUPPORTED, support_of

# A vendor's own (self-assessed) entry is more specific than its DOAP file; probe results are
# evidence beside the self-assessment, never part of it.
SELF_ASSESSMENT_PRECEDENCE = ("doap", "self")


def counted(claims: Sequence[tuple[str, str, str]]) -> dict[str, int]:
    """spec -> index of the (spec, status, source) claim that counts, the self claim first."""
    rank = {source: i for i, source in enumerate(SELF_ASSESSMENT_PRECEDENCE)}
    chosen: dict[str, int] = {}
    for index, (spec, _, source) in enumerate(claims):
        if source not in rank:
            continue
        if spec not in chosen or rank[source] >= rank[claims[chosen[spec]][2]]:
            chosen[spec] = index
    return chosen


def self_assessed_statuses(claims: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """spec -> status from (spec, status, source) triples, the self claim over the DOAP one."""
    claims = list(claims)
    return {spec: claims[index][1] for spec, index in counted(claims).items()}


def pack_statuses(statuses: dict[str, str]) -> tuple[str, str]:
    """Engine statuses as two '|'-separated lists (complete, partial): unpacking them is five
    times faster than decoding JSON, which matters for tables of hundreds of rows."""
    return tuple(
        "|".join(sorted(spec for spec, status in statuses.items() if status == wanted))
        for wanted in (COMPLETE, PARTIAL)
    )


def unpack_statuses(complete: str, partial: str) -> dict[str, str]:
    statuses = dict.fromkeys(complete.split("|"), COMPLETE) if complete else {}
    if partial:
        statuses.update(dict.fromkeys(partial.split("|"), PARTIAL))
    return statuses


def engine_statuses(
    claims: Iterable[tuple[str, str, str]], providers: Container[str]
) -> dict[str, str]:
    """What the engine needs of a software's claims, kept small for pages of hundreds of rows:
    spec -> complete or partial, for the specs the suites name as providers. Any spec left out
    reads as unsupported, which is what its claim amounts to."""
    return {
        spec: support
        for spec, status in self_assessed_statuses(claims).items()
        if spec in providers and (support := support_of(status)) != UNSUPPORTED
    }
