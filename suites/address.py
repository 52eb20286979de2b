"""A suite cell as URLs, pages and badges address it: year, category and level.

The URL parts (`2023/im/advanced-client`), the names shown for them ("XMPP 2023 · IM · Advanced
Client (library)") and which roles a level judges. Pure.
"""

from __future__ import annotations

from suites import catalogue
from suites.catalogue import CATEGORY_NAMES, LEVEL_NAMES, Suite
from suites.engine import ROLE_LEVELS

# URL slugs of the levels: advanced-server for advanced_server.
LEVEL_SLUGS = {level.replace("_", "-"): level for level in LEVEL_NAMES}


class NotFound(LookupError):
    """URL parts that name no suite cell; the message says which part."""


def level_slug(level: str) -> str:
    return level.replace("_", "-")


def roles_at(level: str) -> list[str]:
    """The roles judged at a level: servers, or clients and libraries."""
    return [role for role, levels in ROLE_LEVELS.items() if level in levels]


def level_title(level: str, role: str) -> str:
    """'Advanced Client', or 'Advanced Client (library)' for a library."""
    return LEVEL_NAMES[level] + (" (library)" if role == "library" else "")


def cell_label(year: int, category: str, level: str, role: str = "") -> str:
    """'XMPP 2022 · IM · Advanced Server': how a verdict is named on pages and badges."""
    return f"XMPP {year} · {CATEGORY_NAMES[category]} · {level_title(level, role)}"


def resolve(year: int, category: str, slug: str) -> tuple[Suite, str, str]:
    """(suite, category, level) for URL parts, or NotFound saying which part is unknown."""
    suites = catalogue.suites()
    if year not in suites:
        raise NotFound(f"There is no compliance suite for {year}.")
    if category not in suites[year].category_keys:
        raise NotFound(f"The {year} suite has no category {category!r}.")
    level = LEVEL_SLUGS.get(slug)
    if level is None:
        raise NotFound(f"There is no level {slug!r}.")
    return suites[year], category, level
