"""The vocabularies a DOAP file for XMPP (XEP-0453) uses, and suggestions for near misses."""

from __future__ import annotations

import difflib
from functools import lru_cache

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DOAP_NS = "http://usefulinc.com/ns/doap#"
XMPP_NS = "https://linkmauve.fr/ns/xmpp-doap#"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Properties of the DOAP schema (usefulinc.com/ns/doap#), element names as written in RDF/XML.
DOAP_PROPERTIES = frozenset(
    {
        "name",
        "homepage",
        "old-homepage",
        "release",
        "created",
        "license",
        "download-page",
        "download-mirror",
        "wiki",
        "bug-database",
        "screenshots",
        "maintainer",
        "developer",
        "documenter",
        "translator",
        "tester",
        "helper",
        "programming-language",
        "os",
        "implements",
        "service-endpoint",
        "language",
        "vendor",
        "platform",
        "audience",
        "blog",
        "category",
        "description",
        "shortdesc",
        "mailing-list",
        "repository",
        "support-forum",
        "developer-forum",
        "security-contact",
        "security-policy",
    }
)
# Properties of xmpp:SupportedXep (XEP-0453), plus xmpp:until as seen in the wild.
SUPPORTED_XEP_PROPERTIES = frozenset({"xep", "status", "version", "since", "until", "note"})

# XEP-0453 status vocabulary.
STATUSES = ("complete", "partial", "planned", "deprecated", "removed", "wontfix")
STATUS_SYNONYMS = {
    "full": "complete",
    "yes": "complete",
    "done": "complete",
    "implemented": "complete",
    "supported": "complete",
    "sufficient": "partial",
    "incomplete": "partial",
    "no": "wontfix",
    "todo": "planned",
    "wip": "planned",
    "in progress": "planned",
}

CATEGORY_PREFIX = XMPP_NS + "category-"
ROLE_CATEGORIES = {"server": "server", "client": "client", "library": "library"}
KNOWN_CATEGORIES = frozenset({"server", "client", "library", "component", "tool", "xmpp", "jabber"})


@lru_cache(maxsize=4096)
def closest(word: str, candidates: frozenset[str] | tuple[str, ...]) -> str:
    """The candidate that word most likely misspells, or '' (a word far longer than every
    candidate misspells none of them)."""
    if len(word) > 2 * max(map(len, candidates)):
        return ""
    matches = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.8)
    return matches[0] if matches else ""


def suggest_status(value: str) -> str:
    """The vocabulary status a non-vocabulary value most likely means, or ''."""
    lowered = value.strip().lower()
    return STATUS_SYNONYMS.get(lowered) or closest(lowered, STATUSES)
