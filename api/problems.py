"""Errors as problem+json (RFC 9457): every API error has a type, a title, the status and a
detail a person understands."""

from __future__ import annotations

from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_TYPE = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    413: "Too large",
    415: "Unsupported media type",
    429: "Too many requests",
}


def detail_text(detail) -> str:
    """A DRF error detail (text, list or field -> errors) as one sentence."""
    if isinstance(detail, dict):
        parts = [
            detail_text(errors)
            if field == "non_field_errors"
            else f"{field}: {detail_text(errors)}"
            for field, errors in detail.items()
        ]
        return "; ".join(parts)
    if isinstance(detail, list):
        return " ".join(detail_text(item) for item in detail)
    return str(detail)


def problem(status: int, detail: str, **extra) -> Response:
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status}
    return Response({**body, "detail": detail, **extra}, status=status, content_type=PROBLEM_TYPE)


def problem_handler(exc, context) -> Response | None:
    """DRF's exception handler, with the body in problem+json; Http404's message is kept."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Nothing here.")
    response = exception_handler(exc, context)
    if response is None:
        return None
    extra = {}
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        extra["errors"] = exc.detail
    result = problem(response.status_code, detail_text(response.data.get("detail", exc.detail)))
    if extra:
        result.data.update(extra)
    for header, value in response.items():
        if header.lower() in ("retry-after", "www-authenticate", "allow"):
            result[header] = value
    return result
