"""Badges: /badge/<slug>/<year>/<category>/<level>.svg and the same path in .json (shields)."""

import hashlib
import json

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import quote_etag
from django.views.decorators.http import require_safe

from compliance.display.badge_svg import render_svg, shields_json
from compliance.pages.badge import badge_for, summary_badge

CONTENT_TYPES = {"svg": "image/svg+xml; charset=utf-8", "json": "application/json"}
# A badge opened on its own is a document: it may load and run nothing.
BADGE_CSP = "default-src 'none'; sandbox"


def _etag_matches(request, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    candidates = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in candidates or "*" in candidates


@require_safe
def badge(request, slug: str, year: str, category: str, level: str, ext: str):
    return badge_response(request, badge_for(slug, year, category, level), ext)


@require_safe
def summary(request, slug: str, year: str, ext: str):
    """One badge per entry: the highest level reached per category (year or 'latest')."""
    return badge_response(request, summary_badge(slug, year), ext)


def badge_response(request, data, ext: str) -> HttpResponse:
    body = render_svg(data) if ext == "svg" else json.dumps(shields_json(data))
    etag = quote_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    if _etag_matches(request, etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=CONTENT_TYPES[ext])
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Security-Policy"] = BADGE_CSP
    return response
