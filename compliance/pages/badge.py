"""Which badge a URL asks for: the verdict of one software in one year, category and level."""

from __future__ import annotations

import re

from compliance.display.badge_svg import Badge
from compliance.display.labels import PARTIAL_WORDS, verdict_state, verdict_words
from compliance.models import Software
from compliance.pages.listing import LISTED_FIELDS
from suites.address import NotFound, cell_label, resolve
from suites.engine import evaluate

UNKNOWN_LABEL = "XMPP compliance"
SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # what a software's slug can be


def unknown(label: str, why: str) -> Badge:
    return Badge(label=label, message="unknown", state="unknown", title=f"{label}: unknown ({why})")


def _software(slug: str) -> Software | None:
    if not SLUG.fullmatch(slug):
        return None
    try:
        return Software.objects.only(*LISTED_FIELDS).get(slug=slug)
    except Software.DoesNotExist:
        return None


def as_of(software: Software) -> str:
    return f", as of version {software.current_version}" if software.current_version else ""


def badge_for(slug: str, year_text: str, category: str, level_text: str) -> Badge:
    """The badge for these URL parts; a grey 'unknown' one for anything that does not exist."""
    try:
        suite, category, level = resolve(int(year_text), category, level_text)
    except (ValueError, NotFound) as exc:
        return unknown(UNKNOWN_LABEL, str(exc) if isinstance(exc, NotFound) else "no such year")
    software = _software(slug)
    if software is None:
        return unknown(cell_label(suite.year, category, level), f"no software {slug[:50]!r}")
    label = cell_label(suite.year, category, level, software.role)
    if level not in software.levels:
        return unknown(label, f"{software.name} is a {software.role}, not judged at this level")
    if not software.has_data:
        return unknown(
            label, f"{software.name}: no data, it claims nothing on a spec the suites name"
        )
    verdict = evaluate(suite, category, level, software.statuses, software.profile)
    return verdict_badge(software, label, verdict)


def verdict_badge(software: Software, label: str, verdict) -> Badge:
    """A verdict's badge; 'compliant*' where it relies on partial support, said in the title."""
    message = verdict_words(verdict)
    partial = (
        f"; {PARTIAL_WORDS} {', '.join(verdict.partial_specs)}" if verdict.partial_specs else ""
    )
    return Badge(
        label=label,
        message=message,
        state=verdict_state(verdict),
        title=f"{software.name}: {label}: {message} (self-assessed{as_of(software)}{partial})",
    )
