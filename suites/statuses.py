"""Which claim counts for each spec when a software has several."""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence

from suites.engine import COMPLETE, PARTIAL, UNSUPPORTED, support_of
from suites.versions import is_newer

# Why a listed spec does not count, as pages say it: no status, a status of the vocabulary that
# does not count, a supporting claim since a version newer than the current one, or a word
# outside the vocabulary.
UNSTATED = "unstated"
NOT_YET = "not_yet"
OTHER = "other"
NOT_COUNTING = ("planned", "deprecated", "removed", "wontfix")

# A vendor's own (self-assessed) entry is more specific than its DOAP file; probe results are
# evidence beside the self-assessment, never part of it.
SELF_ASSESSMENT_PRECEDENCE = ("doap", "self")


def counted(claims: Sequence[Sequence[str]]) -> dict[str, int]:
    """spec -> index of the (spec, status, source, …) claim that counts, the self claim first."""
    rank = {source: i for i, source in enumerate(SELF_ASSESSMENT_PRECEDENCE)}
    chosen: dict[str, int] = {}
    for index, (spec, _, source, *_) in enumerate(claims):
        if source not in rank:
            continue
        if spec not in chosen or rank[source] >= rank[claims[chosen[spec]][2]]:
            chosen[spec] = index
    return chosen


def not_yet(since: str, current_version: str) -> bool:
    """A claim supported only since a version newer than the software's current one does not
    count: the verdict is of the current version."""
    return bool(since and current_version) and is_newer(since, current_version)


def self_assessed_statuses(
    claims: Iterable[tuple[str, str, str, str]], current_version: str = ""
) -> dict[str, str]:
    """spec -> status from (spec, status, source, since) claims, the self claim over the DOAP
    one; a counting claim not yet in the current version reads as no status."""
    claims = list(claims)
    return {
        spec: "" if not_yet(claims[index][3], current_version) else claims[index][1]
        for spec, index in counted(claims).items()
    }


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
    claims: Iterable[tuple[str, str, str, str]],
    providers: Container[str],
    current_version: str = "",
) -> dict[str, str]:
    """What the engine needs of a software's (spec, status, source, since) claims, kept small
    for pages of hundreds of rows: spec -> complete or partial, for the specs the suites name as
    providers. Any spec left out reads as unsupported, which is what its claim amounts to."""
    return {
        spec: support
        for spec, status in self_assessed_statuses(claims, current_version).items()
        if spec in providers and (support := support_of(status)) != UNSUPPORTED
    }


def listed_statuses(
    claims: Iterable[tuple[str, str, str, str]],
    providers: Container[str],
    current_version: str = "",
) -> dict[str, str]:
    """spec -> why it does not count, for every spec the suites name as a provider whose counting
    (spec, status, source, since) claim does not count: UNSTATED, NOT_YET, one of NOT_COUNTING
    or OTHER. Specs that count, and specs never claimed, are left out."""
    claims = list(claims)
    listed = {}
    for spec, index in counted(claims).items():
        if spec not in providers:
            continue
        status, since = claims[index][1], claims[index][3]
        support = support_of(status)
        if support != UNSUPPORTED:
            if not_yet(since, current_version):
                listed[spec] = NOT_YET
            continue
        word = (status or "").strip().lower()
        listed[spec] = UNSTATED if not word else word if word in NOT_COUNTING else OTHER
    return listed


def pack_listed(listed: dict[str, str]) -> str:
    """listed_statuses as 'spec=why|spec=why', stored beside the engine's statuses."""
    return "|".join(f"{spec}={why}" for spec, why in sorted(listed.items()))


def unpack_listed(packed: str) -> dict[str, str]:
    return dict(item.split("=", 1) for item in packed.split("|")) if packed else {}
