"""The spec index: every spec claimed or named by a suite, and, per spec, every entry that
claims it (the claim that counts: self-assessed over DOAP, as the verdicts read it)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from django.urls import reverse

from compliance.models import Claim
from suites import catalogue
from suites.engine import UNSUPPORTED, support_of
from suites.specs import rfc_id, spec_sort_key, xep_id
from suites.statuses import counted

SPEC_SLUG = re.compile(r"(RFC|XEP)[ -]?0*([0-9]{1,5})", re.IGNORECASE)


def spec_slug(spec: str) -> str:
    """The address form of a spec: 'RFC 6120' -> 'RFC-6120', 'XEP-0313' as it is."""
    return spec.replace(" ", "-")


def spec_from_slug(slug: str) -> str | None:
    """'RFC 6120' or 'XEP-0313' from the address form (any case, with or without the dash and
    leading zeros); None for anything else."""
    match = SPEC_SLUG.fullmatch(slug.strip())
    if not match:
        return None
    kind, number = match.group(1).upper(), int(match.group(2))
    if kind == "XEP" and number > 9999:
        return None
    return rfc_id(number) if kind == "RFC" else xep_id(number)


def spec_page_url(spec: str) -> str:
    return reverse("spec-detail", args=[spec_slug(spec)])


def spec_titles() -> dict[str, str]:
    """Every spec the suites name, with its title (the newest suite's wording)."""
    return {
        spec: title
        for suite in catalogue.suites().values()
        for spec, title in suite.spec_titles.items()
    }


@dataclass(frozen=True)
class SpecSummary:
    spec: str
    title: str
    entries: int  # software claiming it
    supported: int  # of which the counting claim is complete or partial

    @property
    def slug(self) -> str:
        return spec_slug(self.spec)


def spec_index() -> list[SpecSummary]:
    """Every spec claimed by an entry or named by a suite, RFCs then XEPs: one query. The
    example entries are not counted."""
    by_software: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    claims = Claim.objects.filter(software__is_example=False).order_by()
    for software_id, spec, status, source in claims.values_list(
        "software_id", "spec", "status", "source"
    ):
        by_software[software_id].append((spec, status, source))
    entries: dict[str, int] = defaultdict(int)
    supported: dict[str, int] = defaultdict(int)
    for claims in by_software.values():
        for spec, index in counted(claims).items():
            entries[spec] += 1
            supported[spec] += support_of(claims[index][1]) != UNSUPPORTED
    titles = spec_titles()
    specs = sorted(set(entries) | set(titles), key=spec_sort_key)
    return [SpecSummary(s, titles.get(s, ""), entries[s], supported[s]) for s in specs]


@dataclass(frozen=True)
class SpecClaim:
    """One entry's counting claim of a spec, and the one it supersedes, if any."""

    claim: Claim
    superseded: Claim | None = None

    @property
    def support(self) -> str:
        return support_of(self.claim.status)


SOFTWARE_FIELDS = ("software__name", "software__slug", "software__role", "software__is_example")


def spec_claims(spec: str, role: str = "") -> list[SpecClaim]:
    """Every entry that claims the spec (of one role, if given), by name: one query."""
    claims = (
        Claim.objects.filter(spec=spec)
        .select_related("software")
        .only(*SOFTWARE_FIELDS, "spec", "status", "spec_version", "since_version", "source")
        .order_by("software__name", "software_id", "source")
    )
    if role:
        claims = claims.filter(software__role=role)
    grouped: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims:
        grouped[claim.software_id].append(claim)
    rows = []
    for group in grouped.values():
        index = counted([(c.spec, c.status, c.source) for c in group])[spec]
        others = [c for i, c in enumerate(group) if i != index]
        rows.append(SpecClaim(group[index], others[0] if others else None))
    return rows
