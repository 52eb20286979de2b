"""Which badge a URL asks for: the verdict of one software in one year, category and level."""

from __future__ import annotations

from compliance.badges import Badge
from compliance.catalogue import CATEGORY_NAMES
from compliance.compare_page import NotFound, resolve
from compliance.comparison import VERDICT_LABELS, level_title, verdict_state
from compliance.engine import evaluate
from compliance.models import Software
from compliance.queries import LISTED_FIELDS

UNKNOWN_LABEL = "XMPP compliance"


def unknown(label: str, why: str) -> Badge:
    return Badge(label=label, message="unknown", state="unknown", title=f"{label}: unknown ({why})")


def badge_for(slug: str, year_text: str, category: str, level_text: str) -> Badge:
    """The badge for these URL parts; a grey 'unknown' one for anything that does not exist."""
    try:
        suite, category, level = resolve(int(year_text), category, level_text)
    except (ValueError, NotFound) as exc:
        return unknown(UNKNOWN_LABEL, str(exc) if isinstance(exc, NotFound) else "no such year")
    label_start = f"XMPP {suite.year} · {CATEGORY_NAMES[category]}"
    try:
        software = Software.objects.only(*LISTED_FIELDS).get(slug=slug)
    except Software.DoesNotExist:
        return unknown(f"{label_start} · {level_title(level, '')}", f"no software {slug!r}")
    label = f"{label_start} · {level_title(level, software.role)}"
    if level not in software.levels:
        return unknown(label, f"{software.name} is a {software.role}, not judged at this level")
    verdict = evaluate(suite, category, level, software.statuses, software.profile)
    state = verdict_state(verdict)
    message = VERDICT_LABELS[state][1]
    return Badge(
        label=label,
        message=message,
        state=state,
        title=f"{software.name}: {label}: {message} (self-assessed)",
    )
