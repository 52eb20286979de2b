"""What the software list and a software page show, from the engine's verdicts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from compliance.display.labels import VERDICT_LABELS, verdict_state
from compliance.models import Claim, Software
from suites.address import cell_label, level_slug, level_title
from suites.catalogue import CATEGORY_NAMES, Suite
from suites.engine import UNSUPPORTED, Verdict, evaluate, support_of
from suites.specs import spec_sort_key
from suites.statuses import counted, not_yet

SUPPORT_WORDS = {
    "complete": "counts as supported",
    "partial": "counts as partial",
    "unsupported": "does not count",
}


@dataclass(frozen=True)
class Reach:
    """How far a software gets in one category of one year, and what the next level needs."""

    category: str
    base: Verdict
    advanced: Verdict

    @property
    def name(self) -> str:
        return CATEGORY_NAMES[self.category]

    @property
    def reached(self) -> str:
        """The highest level met, in words, or ''."""
        return highest_met((self.base, self.advanced))

    @property
    def next_verdict(self) -> Verdict | None:
        """The lowest level not yet met (None when both are)."""
        for verdict in (self.base, self.advanced):
            if not verdict.compliant:
                return verdict
        return None

    @property
    def next_title(self) -> str:
        verdict = self.next_verdict
        return level_title(verdict.level, verdict.role) if verdict else ""


def reaches(verdicts: dict[str, dict[str, Verdict]]) -> list[Reach]:
    return [Reach(category, *by_level.values()) for category, by_level in verdicts.items()]


def highest_met(verdicts: Iterable[Verdict]) -> str:
    """The highest of successive levels met, in words, or '' (stops at the first not met)."""
    reached = ""
    for verdict in verdicts:
        if not verdict.compliant:
            break
        reached = level_title(verdict.level, verdict.role)
    return reached


def software_levels(software: list[Software], suite: Suite) -> list[tuple[Software, list[str]]]:
    """For the software list: each software's highest level per category of a suite."""
    memo: dict = {}
    rows = []
    for entry in software:
        statuses, profile = entry.statuses, entry.profile
        rows.append(
            (
                entry,
                [
                    highest_met(
                        evaluate(suite, category.key, level, statuses, profile, memo)
                        for level in entry.levels
                    )
                    for category in suite.categories
                ],
            )
        )
    return rows


@dataclass(frozen=True)
class ClaimLine:
    claim: Claim
    counts: bool  # this claim is the one the verdicts use for its spec
    support: str  # complete / partial / unsupported
    current_version: str = ""

    @property
    def not_yet(self) -> bool:
        return not_yet(self.claim.since_version, self.current_version)

    @property
    def counting_words(self) -> str:
        """Whether and how this claim enters the verdicts."""
        if not self.counts:
            return "superseded by the self-assessed claim"
        if self.not_yet and self.support != UNSUPPORTED:
            return (
                f"does not count: since {self.claim.since_version}, newer than the current "
                f"version {self.current_version}"
            )
        return SUPPORT_WORDS[self.support]


def claim_lines(claims: list[Claim], current_version: str = "") -> list[ClaimLine]:
    """Every claim, by spec; marks the one that counts where a spec has several."""
    claims = sorted(claims, key=lambda c: (spec_sort_key(c.spec), c.source))
    counting = set(counted([(c.spec, c.status, c.source) for c in claims]).values())
    return [
        ClaimLine(claim, index in counting, support_of(claim.status), current_version)
        for index, claim in enumerate(claims)
    ]


@dataclass(frozen=True)
class BadgeChoice:
    slug: str
    year: int
    category: str
    level: str
    verdict: Verdict

    def _path(self, ext: str) -> str:
        return reverse(
            "badge",
            kwargs={
                "slug": self.slug,
                "year": self.year,
                "category": self.category,
                "level": level_slug(self.level),
                "ext": ext,
            },
        )

    @property
    def svg_path(self) -> str:
        return self._path("svg")

    @property
    def json_path(self) -> str:
        return self._path("json")

    @property
    def label(self) -> str:
        return cell_label(self.year, self.category, self.level, self.verdict.role)

    @property
    def message(self) -> str:
        return VERDICT_LABELS[verdict_state(self.verdict)][1]


def badge_choices(
    slug: str, year: int, verdicts: dict[str, dict[str, Verdict]]
) -> list[BadgeChoice]:
    return [
        BadgeChoice(slug, year, category, level, verdict)
        for category, by_level in verdicts.items()
        for level, verdict in by_level.items()
    ]


def level_names(software: Software) -> list[str]:
    return [level_title(level, software.role) for level in software.levels]
