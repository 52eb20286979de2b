"""Which badge a URL asks for: the verdict of one software in one year, category and level."""

from __future__ import annotations

import re

from django.utils import timezone

from compliance.display.badge_svg import Badge
from compliance.display.labels import PARTIAL_WORDS, verdict_state, verdict_words
from compliance.models import ProbeRun, Software
from compliance.pages.listing import LISTED_FIELDS
from compliance.pages.software import highest_met
from compliance.probing.verification import (
    VerdictLabel,
    evidence_run,
    judged_by_probe,
    summary_label,
    verdict_label,
)
from suites import catalogue
from suites.address import NotFound, cell_label, resolve
from suites.catalogue import CATEGORY_NAMES
from suites.engine import evaluate

UNKNOWN_LABEL = "XMPP compliance"
NO_DATA = "no data, it claims nothing on a spec the suites name"
SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # what a software's slug can be


def unknown(label: str, why: str) -> Badge:
    return Badge(label=label, message="unknown", state="unknown", title=f"{label}: unknown ({why})")


def _software(slug: str) -> Software | None:
    if not SLUG.fullmatch(slug):
        return None
    try:
        return Software.objects.only(*LISTED_FIELDS, "reference_server").get(slug=slug)
    except Software.DoesNotExist:
        return None


def as_of(software: Software) -> str:
    return f", as of version {software.current_version}" if software.current_version else ""


LATEST = "latest"  # the year part of a badge URL that always means the newest suite


def year_of(year_text: str) -> int:
    """A badge URL's year: digits, or 'latest'. ValueError otherwise."""
    return catalogue.latest_year() if year_text == LATEST else int(year_text)


def badge_for(slug: str, year_text: str, category: str, level_text: str) -> Badge:
    """The badge for these URL parts; a grey 'unknown' one for anything that does not exist."""
    try:
        suite, category, level = resolve(year_of(year_text), category, level_text)
    except (ValueError, NotFound) as exc:
        return unknown(UNKNOWN_LABEL, str(exc) if isinstance(exc, NotFound) else "no such year")
    software = _software(slug)
    if software is None:
        return unknown(cell_label(suite.year, category, level), f"no software {slug[:50]!r}")
    label = cell_label(suite.year, category, level, software.role)
    if level not in software.levels:
        return unknown(label, f"{software.name} is a {software.role}, not judged at this level")
    if not software.has_data:
        return unknown(label, f"{software.name}: {NO_DATA}")
    verdict = evaluate(suite, category, level, software.statuses, software.profile)
    return verdict_badge(software, label, verdict, evidence_run(software, timezone.now()))


def verdict_message(software: Software, verdict, basis: VerdictLabel) -> str:
    """What a verdict's badge says: 'compliant', 'compliant*' where it relies on partial
    support; a server's (the probe judges servers) adds ' · verified' or ' · self-assessed'.
    A client's or library's is always self-assessed, which its title says."""
    words = verdict_words(verdict)
    return f"{words} · {basis.label}" if judged_by_probe(software) else words


def verdict_badge(software: Software, label: str, verdict, run: ProbeRun | None = None) -> Badge:
    """A verdict's badge; the title says its basis (verified by the probe of the reference
    deployment, or self-assessed), the partial support it relies on, and the relied-on specs
    the probe contradicts."""
    basis = verdict_label(verdict, run)
    message = verdict_message(software, verdict, basis)
    partial = (
        f"; {PARTIAL_WORDS} {', '.join(verdict.partial_specs)}" if verdict.partial_specs else ""
    )
    return Badge(
        label=label,
        message=message,
        state=verdict_state(verdict),
        title=f"{software.name}: {label}: {verdict_words(verdict)} "
        f"({basis.basis_words()}{as_of(software)}{partial}{basis.contradiction_words()})",
    )


def summary_message(reached: dict[str, str]) -> str:
    """'Core Advanced · IM · Web' from category -> highest level title ('' for none)."""
    parts = [
        f"{CATEGORY_NAMES[category]}{' Advanced' if title.startswith('Advanced') else ''}"
        for category, title in reached.items()
        if title
    ]
    return " · ".join(parts) or "no level reached"


def summary_badge(slug: str, year_text: str) -> Badge:
    """One badge per entry: the highest level reached in each category of a suite year."""
    try:
        suite = catalogue.suite(year_of(year_text))
    except (ValueError, KeyError):
        return unknown(UNKNOWN_LABEL, "no such year")
    label = f"XMPP {suite.year}"
    software = _software(slug)
    if software is None:
        return unknown(label, f"no software {slug[:50]!r}")
    if not software.has_data:
        return unknown(label, f"{software.name}: {NO_DATA}")
    verdicts = {
        category.key: [
            evaluate(suite, category.key, level, software.statuses, software.profile)
            for level in software.levels
        ]
        for category in suite.categories
    }
    reached = {key: highest_met(by_level) for key, by_level in verdicts.items()}
    basis = summary_label(
        [v for by_level in verdicts.values() for v in reached_verdicts(by_level)],
        [v for by_level in verdicts.values() for v in by_level],
        evidence_run(software, timezone.now()),
    )
    message = summary_message(reached)
    words = "; ".join(f"{CATEGORY_NAMES[key]} {title or 'none'}" for key, title in reached.items())
    return Badge(
        label=label,
        message=message,
        state="compliant" if any(reached.values()) else "not_compliant",
        title=f"{software.name}: {label}: {words} "
        f"({basis.basis_words()}{as_of(software)}{basis.contradiction_words()})",
    )


def reached_verdicts(verdicts: list) -> list:
    """The successive levels met (what highest_met names), up to the first not met."""
    reached = []
    for verdict in verdicts:
        if not verdict.compliant:
            break
        reached.append(verdict)
    return reached
