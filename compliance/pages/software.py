"""What the software list and a software page show, from the engine's verdicts."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import PurePath

from django.urls import reverse

from compliance.display.labels import LACKING_WORDS, lacking_reasons, verdict_words
from compliance.models import Claim, ProbeRun, Software
from compliance.probing.verification import (
    CONTRADICTED,
    ClaimLabel,
    VerdictLabel,
    evidence_run,
    judged_by_probe,
    labels_for,
    verdict_label,
)
from suites import catalogue
from suites.address import cell_label, level_slug, level_title, resolve
from suites.catalogue import CATEGORY_NAMES, LEVEL_NAMES, Suite
from suites.engine import COMPLETE, UNSUPPORTED, FeatureResult, Verdict, evaluate, support_of
from suites.specs import spec_sort_key
from suites.statuses import OTHER, UNSTATED, counted, not_yet

# Findings of the DOAP lint that cost features: a status that is missing or not of the vocabulary.
STATUS_FINDINGS = ("missing-status", "unknown-status")

SUPPORT_WORDS = {
    "complete": "counts as supported",
    "partial": "counts as partial",
    "unsupported": "does not count",
}


@dataclass(frozen=True)
class MissingLine:
    """A feature a verdict misses, and why each spec it lacks does not count."""

    result: FeatureResult
    reasons: list[tuple[str, str, dict | None]]  # (spec, in words, its status lint finding)


@dataclass(frozen=True)
class Reach:
    """How far a software gets in one category of one year, and what the next level needs."""

    category: str
    base: Verdict
    advanced: Verdict
    listed: dict[str, str]  # why claimed specs do not count (Software.listed)
    would_count: int = 0  # features of the next level met if the missing statuses were set
    findings: dict | None = None  # spec -> its missing-status or unknown-status finding

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
        return first_not_met((self.base, self.advanced))

    @property
    def next_title(self) -> str:
        verdict = self.next_verdict
        return level_title(verdict.level, verdict.role) if verdict else ""

    @property
    def missing_lines(self) -> list[MissingLine]:
        verdict = self.next_verdict
        return [
            MissingLine(
                result,
                [
                    (spec, LACKING_WORDS[why], (self.findings or {}).get(spec))
                    for spec, why in lacking_reasons(result, self.listed)
                ],
            )
            for result in (verdict.missing if verdict else ())
        ]


def unstated_specs(listed: dict[str, str]) -> set[str]:
    """Specs listed without a status, or with a word outside the vocabulary: the lint's
    missing-status and unknown-status findings."""
    return {spec for spec, why in listed.items() if why in (UNSTATED, OTHER)}


def would_count(verdict: Verdict | None, software: Software) -> int:
    """How many of a verdict's missing features would be met if the specs listed without a
    (valid) status were stated complete."""
    unstated = unstated_specs(software.listed)
    if verdict is None or not unstated:
        return 0
    statuses = {**software.statuses, **dict.fromkeys(unstated, COMPLETE)}
    suite = catalogue.suite(verdict.year)
    stated = evaluate(suite, verdict.category, verdict.level, statuses, software.profile)
    return len(verdict.missing) - len(stated.missing)


def first_not_met(verdicts: Iterable[Verdict]) -> Verdict | None:
    """The lowest of successive levels not met (None when all are)."""
    return next((verdict for verdict in verdicts if not verdict.compliant), None)


def status_findings(findings: list[dict]) -> dict[str, dict]:
    """spec -> the lint finding about its status (each such message starts with the spec)."""
    return {
        finding["message"].split(" ", 1)[0]: finding
        for finding in findings
        if finding.get("code") in STATUS_FINDINGS
    }


def reaches(verdicts: dict[str, dict[str, Verdict]], software: Software) -> list[Reach]:
    findings = status_findings(software.doap_findings)
    return [
        Reach(
            category,
            *by_level.values(),
            software.listed,
            would_count(first_not_met(by_level.values()), software),
            findings,
        )
        for category, by_level in verdicts.items()
    ]


def finding_groups(findings: list[dict]) -> list[tuple[str, list[dict]]]:
    """The DOAP lint findings grouped by kind, the ones that cost features first."""
    groups: dict[str, list[dict]] = {}
    for finding in findings:
        groups.setdefault(finding.get("code", "other"), []).append(finding)
    order = sorted(groups, key=lambda code: (code not in STATUS_FINDINGS, code))
    return [(code, groups[code]) for code in order]


def highest_met(verdicts: Iterable[Verdict]) -> str:
    """The highest of successive levels met, in words, or '' (stops at the first not met)."""
    reached = ""
    for verdict in verdicts:
        if not verdict.compliant:
            break
        reached = level_title(verdict.level, verdict.role)
    return reached


def compliant_with(software: Iterable[Software], cell: str) -> list[Software]:
    """The entries compliant with a suite cell 'YEAR/category/level-slug' (judged at that
    level, with data); the order kept."""
    year, category, slug = cell.split("/")
    suite, category, level = resolve(int(year), category, slug)
    memo: dict = {}
    return [
        entry
        for entry in software
        if level in entry.levels
        and entry.has_data
        and evaluate(suite, category, level, entry.statuses, entry.profile, memo).compliant
    ]


def cell_choices() -> list[tuple[str, str]]:
    """Every suite cell as a 'compliant with' choice, the newest year first."""
    return [
        (
            f"{suite.year}/{category.key}/{level_slug(level)}",
            cell_label(suite.year, category.key, level),
        )
        for suite in reversed(list(catalogue.suites().values()))
        for category in suite.categories
        for level in LEVEL_NAMES
    ]


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
    probe: ClaimLabel | None = None  # what the reference deployment's probe says (counting only)

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


def claim_lines(
    claims: list[Claim], current_version: str = "", labels: dict[str, ClaimLabel] | None = None
) -> list[ClaimLine]:
    """Every claim, by spec; marks the one that counts where a spec has several, and gives it
    its probe label (compliance/probing/verification.py) where `labels` has one."""
    claims = sorted(claims, key=lambda c: (spec_sort_key(c.spec), c.source))
    counting = set(counted([(c.spec, c.status, c.source) for c in claims]).values())
    labels = labels or {}
    return [
        ClaimLine(
            claim,
            index in counting,
            support_of(claim.status),
            current_version,
            labels.get(claim.spec) if index in counting else None,
        )
        for index, claim in enumerate(claims)
    ]


@dataclass(frozen=True)
class ProbeEvidence:
    """What the probe of an entry's reference deployment says: the run (the latest done one of
    the last 30 days, or None) and each claim of support's label."""

    judged: bool  # a server entry: the probe judges it
    reference: str  # the reference server's domain, or ''
    run: ProbeRun | None
    labels: dict[str, ClaimLabel]

    @property
    def contradicted(self) -> list[ClaimLabel]:
        return [label for label in self.labels.values() if label.label == CONTRADICTED]

    def basis(self, verdict: Verdict) -> VerdictLabel:
        return verdict_label(verdict, self.run)


def probe_evidence(software: Software, claims: list[Claim], now: datetime) -> ProbeEvidence:
    """The entry's probe evidence: one query for the run (none without a reference server),
    one more only where the run could not test a claimed spec. The reference server is read
    from `software` (select it with the entry)."""
    run = evidence_run(software, now)
    reference = software.reference_server.domain if software.reference_server_id else ""
    labels = labels_for(software, claims, run)
    return ProbeEvidence(judged_by_probe(software), reference, run, labels)


def verdict_grid(
    verdicts: dict[int, dict[str, dict[str, Verdict]]], years: list[int], evidence: ProbeEvidence
) -> list[tuple[int, list[tuple[str, list[tuple[Verdict, VerdictLabel]] | None]]]]:
    """The page's grid, newest year first: per category its verdicts and their basis."""
    return [
        (
            year,
            [
                (
                    CATEGORY_NAMES[category],
                    [(v, evidence.basis(v)) for v in verdicts[year][category].values()]
                    if category in verdicts[year]
                    else None,
                )
                for category in catalogue.CATEGORIES
            ],
        )
        for year in years[::-1]
    ]


class BadgePaths:
    """The .svg and .json (shields endpoint) paths of a badge, from its `_path(ext)`."""

    def _path(self, ext: str) -> str:
        raise NotImplementedError

    @property
    def svg_path(self) -> str:
        return self._path("svg")

    @property
    def json_path(self) -> str:
        return self._path("json")


@dataclass(frozen=True)
class BadgeChoice(BadgePaths):
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
    def label(self) -> str:
        return cell_label(self.year, self.category, self.level, self.verdict.role)

    has_data: bool = True
    basis: str = ""  # a server's verified or self-assessed, as its badge says

    @property
    def message(self) -> str:
        if not self.has_data:
            return "unknown"
        words = verdict_words(self.verdict)
        return f"{words} · {self.basis}" if self.basis else words


@dataclass(frozen=True)
class SummaryBadge(BadgePaths):
    """An entry's one badge: the highest level per category of the newest suite ('latest')."""

    slug: str
    label: str
    message: str

    def _path(self, ext: str) -> str:
        return reverse("badge-summary", kwargs={"slug": self.slug, "year": "latest", "ext": ext})


def badge_choices(
    slug: str,
    year: int,
    verdicts: dict[str, dict[str, Verdict]],
    has_data: bool = True,
    evidence: ProbeEvidence | None = None,
) -> list[BadgeChoice]:
    judged = evidence is not None and evidence.judged
    return [
        BadgeChoice(
            slug,
            year,
            category,
            level,
            verdict,
            has_data,
            evidence.basis(verdict).label if judged else "",
        )
        for category, by_level in verdicts.items()
        for level, verdict in by_level.items()
    ]


def level_names(software: Software) -> list[str]:
    return [level_title(level, software.role) for level in software.levels]


def close_matches(slug: str, limit: int = 5) -> list[Software]:
    """Entries whose slug is close to one that names none: those it begins (prosody for
    prosody-im), then the most alike. One query."""
    slug = slug.lower()
    entries = {entry.slug: entry for entry in Software.objects.only("slug", "name")}
    starting = sorted(s for s in entries if s.startswith(f"{slug}-") or s.startswith(slug))
    alike = difflib.get_close_matches(slug, list(entries), n=limit, cutoff=0.6)
    chosen = list(dict.fromkeys([*starting, *alike]))[:limit]
    return [entries[s] for s in chosen]


# How old an import or a release may be before the page warns that the data may be stale.
STALE_AFTER = timedelta(days=365)


@dataclass(frozen=True)
class DataSource:
    """Where an entry's data comes from, and why it may be old."""

    source: str  # the DOAP URL, or the file name it was imported from (never its path)
    is_url: bool
    imported_at: datetime | None
    release_date: date | None
    warnings: list[str] = field(default_factory=list)


def data_source(software: Software, now: datetime) -> DataSource:
    """The DOAP source of an entry and the warnings a visitor needs: no import in a year, or a
    newest release (the version the verdicts are of) more than a year old."""
    source = software.doap_url or (PurePath(software.doap_file).name if software.doap_file else "")
    warnings = []
    imported = software.doap_imported_at
    if imported and now - imported > STALE_AFTER:
        warnings.append(
            f"The DOAP file was last imported on {imported:%Y-%m-%d}, more than a year ago: "
            "the data may be out of date."
        )
    released = software.release_date
    if released and now.date() - released > STALE_AFTER:
        warnings.append(
            f"The DOAP file's newest release, {software.current_version or 'unnamed'}, is of "
            f"{released:%Y-%m-%d}, more than a year ago: the file may not have been kept up to "
            "date, or the project may be dormant."
        )
    return DataSource(source, bool(software.doap_url), imported, released, warnings)


def waived_words(result: FeatureResult, statuses: dict[str, str]) -> str:
    """A waived feature in words: supported anyway where a provider's claim counts."""
    if any(spec in statuses for spec in result.feature.providers):
        return "supported (not required here)"
    return result.reason
