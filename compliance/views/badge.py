"""Badges: /badge/<slug>/<year>/<category>/<level>.svg and the same path in .json (shields).

Each is rendered once per version of its entry (compliance/pages/rendered.py: with Redis no
query when cached, else one) and served on the lean path (compliance/lean.py)."""

import json
from collections.abc import Callable

from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.views.decorators.http import require_safe

from compliance.display.badge_svg import Badge, render_svg, shields_json
from compliance.lean import lean_path
from compliance.pages.badge import badge_for, summary_badge
from compliance.pages.rendered import Reading, cached, etag_of, reading_key, store
from compliance.versions import entry_version

CONTENT_TYPES = {"svg": "image/svg+xml; charset=utf-8", "json": "application/json"}
# A badge opened on its own is a document: it may load and run nothing.
BADGE_CSP = "default-src 'none'; sandbox"


def _etag_matches(request, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    candidates = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in candidates or "*" in candidates


@lean_path
@require_safe
def badge(request, slug: str, year: str, category: str, level: str, ext: str):
    address = ("cell", slug, year, category, level, ext)
    return badge_response(
        request, slug, address, lambda: badge_for(slug, year, category, level), ext
    )


@lean_path
@require_safe
def summary(request, slug: str, year: str, ext: str):
    """One badge per entry: the highest level reached per category (year or 'latest')."""
    return badge_response(
        request, slug, ("summary", slug, year, ext), lambda: summary_badge(slug, year), ext
    )


def render(data: Badge, ext: str) -> bytes:
    return (render_svg(data) if ext == "svg" else json.dumps(shields_json(data))).encode()


def reading(slug: str, address: tuple[str, ...], draw: Callable[[], Badge], ext: str) -> Reading:
    """The badge's bytes and ETag: cached under the entry's version, drawn on a miss. A grey
    'unknown' badge (no such entry or cell) is drawn each time, never cached."""
    now = timezone.now()
    version = entry_version(slug, now)
    key = reading_key("badge", *address, version.text) if version else None
    found = cached(key, now) if key else None
    if found is not None:
        return found
    data = draw()
    body = render(data, ext)
    if key and data.state != "unknown":
        return store(key, body, slug, version, now)
    return Reading(body, etag_of(body))


def badge_response(request, slug: str, address, draw, ext: str) -> HttpResponse:
    body, etag, _ = reading(slug, address, draw, ext)
    if _etag_matches(request, etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=CONTENT_TYPES[ext])
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Security-Policy"] = BADGE_CSP
    return response
