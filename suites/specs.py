"""Specification identifiers: 'RFC 6120' and 'XEP-0030', their links and the IRIs that name them."""

from __future__ import annotations

import re

# doap:implements IRIs naming an RFC, in the forms seen in real DOAP files:
# xmpp.org/rfcs/rfcNNNN.html, rfc-editor.org/info/rfcNNNN (and /rfc/rfcNNNN[.html|.txt]),
# datatracker.ietf.org/doc/html/rfcNNNN (and /doc/rfcNNNN), tools.ietf.org/html/rfcNNNN.
RFC_IRI = re.compile(
    r"^https?://(?:www\.)?(?:"
    r"xmpp\.org/rfcs/rfc(?P<a>\d{1,5})\.html"
    r"|rfc-editor\.org/(?:info|rfc)/rfc(?P<b>\d{1,5})(?:\.html|\.txt)?"
    r"|datatracker\.ietf\.org/doc/(?:html/)?rfc(?P<c>\d{1,5})"
    r"|tools\.ietf\.org/html/rfc(?P<d>\d{1,5})"
    r")/?(?:[#?].*)?$",
    re.IGNORECASE,
)
XEP_IRI = re.compile(r"xep-(\d{1,4})(?:\.html)?/?(?:[#?].*)?$", re.IGNORECASE)


def rfc_id(number: int | str) -> str:
    return f"RFC {int(number)}"


def xep_id(number: int | str) -> str:
    return f"XEP-{int(number):04d}"


def rfc_from_iri(iri: str) -> str | None:
    """'RFC 6120' for an IRI naming RFC 6120 in any common form, else None."""
    match = RFC_IRI.match(iri.strip())
    if not match:
        return None
    return rfc_id(next(n for n in match.groups() if n))


def xep_from_iri(iri: str) -> str | None:
    """'XEP-0030' for https://xmpp.org/extensions/xep-0030.html and its variants, else None."""
    match = XEP_IRI.search(iri.strip())
    return xep_id(match.group(1)) if match else None


def _parts(spec: str) -> tuple[str, int] | None:
    """('RFC', 6120) or ('XEP', 30), or None for anything else."""
    match = re.fullmatch(r"(RFC|XEP)[ -]0*([0-9]{1,5})", spec.strip())
    return (match.group(1), int(match.group(2))) if match else None


def spec_url(spec: str) -> str:
    """The canonical document address of a specification ('' for a malformed id)."""
    parts = _parts(spec)
    if parts is None:
        return ""
    kind, number = parts
    if kind == "RFC":
        return f"https://www.rfc-editor.org/rfc/rfc{number}"
    return f"https://xmpp.org/extensions/xep-{number:04d}.html"


def spec_sort_key(spec: str) -> tuple[int, int, str]:
    """RFCs first, then XEPs, by number; malformed ids last."""
    parts = _parts(spec)
    if parts is None:
        return (2, 0, spec)
    kind, number = parts
    return (0 if kind == "RFC" else 1, number, "")
