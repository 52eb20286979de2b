"""Whole page or the partial htmx swaps in (django-htmx-patterns)."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page(request, template: str, partial: str, context: dict):
    """The partial for htmx requests, the whole page otherwise.

    A history restore (Back after htmx's history cache lost the page) wants the whole page
    although it is an htmx request. The answer varies on HX-Request for caches.
    """
    wants_partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, f"{template}#{partial}" if wants_partial else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def query_without(query, key: str) -> dict[str, str]:
    """The non-empty parameters of a query string but one, for links that replace it."""
    return {name: value for name, value in query.items() if value and name != key}
