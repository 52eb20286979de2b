"""The hot reads, software/{slug}/ and .../verdicts/: their JSON rendered once per version of the
entry (compliance/pages/rendered.py: with Redis no query when cached, else one, whatever the
entry has), and for a request without credentials served from there before DRF's machinery, on
the lean path (compliance/lean.py), counted by the same anonymous throttle."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer

from api.throttles import AnonThrottle, UserThrottle, anonymous_allowed
from compliance.lean import SAFE, lean_path, without_credentials
from compliance.models import Software
from compliance.pages.rendered import Reading, cached, reading_key, rendered
from compliance.versions import Version, entry_version

JSON_RANGES = frozenset({"*/*", "application/*", "application/json"})


def api_key(request, version: Version) -> str:
    """A reading's key: the whole URL (host and query included) and the entry's version."""
    return reading_key("api", request.build_absolute_uri(), version.text)


def json_response(reading: Reading) -> HttpResponse:
    response = HttpResponse(reading.body, content_type="application/json")
    response["ETag"] = reading.etag
    return response


def cached_reading(request, slug: str, build: Callable[[Software], dict]) -> HttpResponse:
    """The JSON of `build(software)` for this URL, rendered once and cached with its ETag until
    the entry, its claims, its evidence run or the suites change (compliance/pages/rendered.py);
    the version served_early read for this request, if it did."""
    now = timezone.now()
    version = getattr(request, "entry_version", None) or entry_version(slug, now)
    if version is None:
        raise NotFound(f"There is no software {slug[:50]!r}.")

    def render() -> bytes:
        return JSONRenderer().render(build(get_object_or_404(Software, slug=slug)))

    return json_response(rendered(api_key(request, version), slug, version, now, render))


def accepts_json(request) -> bool:
    """Whether DRF's content negotiation would choose JSON (the only renderer) for the Accept
    header; when not, DRF answers (406)."""
    accept = request.META.get("HTTP_ACCEPT", "")
    return not accept or any(
        media.split(";")[0].strip() in JSON_RANGES for media in accept.split(",")
    )


def served_early(view_class):
    """view_class.as_view(), but a GET or HEAD without credentials whose reading is cached is
    answered from the cache when the anonymous throttle allows it, with the headers DRF gives
    it. Anything else goes through DRF: a miss (which DRF renders and caches), a refusal (DRF
    counts it again and answers 429 with Retry-After), credentials (throttled per token or user).
    """
    assert list(view_class.throttle_classes) == [AnonThrottle, UserThrottle], view_class
    drf_view = view_class.as_view()
    instance = view_class()
    instance.head = instance.get  # as View.setup does for a view without head
    allow = ", ".join(instance.allowed_methods)  # DRF's Allow header

    @lean_path
    @wraps(drf_view)  # DRF's attributes (csrf_exempt, cls for the schema) with it
    def view(request, slug: str):
        if request.method in SAFE and without_credentials(request) and accepts_json(request):
            now = timezone.now()
            request.entry_version = version = entry_version(slug, now)  # read once
            reading = cached(api_key(request, version), now) if version else None
            if reading is not None and anonymous_allowed(request):
                response = json_response(reading)
                response["Allow"] = allow
                return response
        return drf_view(request, slug=slug)

    return view
