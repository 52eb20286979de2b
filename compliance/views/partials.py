"""Whole page or the partial htmx swaps in (django-htmx-patterns)."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def canonical_path(request, query: dict[str, str]) -> str:
    """The page's path with only the known, non-empty parameters given."""
    return request.path + (f"?{urlencode(query)}" if query else "")


def render_page(request, template: str, partial: str, context: dict, query: dict | None = None):
    """The partial for htmx requests, the whole page otherwise.

    A history restore (Back after htmx's history cache lost the page) wants the whole page
    although it is an htmx request. The answer varies on HX-Request for caches. With `query`
    (the canonical parameters), the page names its canonical URL and htmx pushes that URL, not
    the form's empty fields (`?role=&q=`) or unknown parameters.
    """
    wants_partial = request.htmx and not request.htmx.history_restore_request
    context = {**context, "swap": wants_partial}
    if query is not None:
        context["canonical"] = request.build_absolute_uri(canonical_path(request, query))
    response = render(request, f"{template}#{partial}" if wants_partial else template, context)
    if wants_partial and query is not None:
        response["HX-Push-Url"] = canonical_path(request, query)
    patch_vary_headers(response, ["HX-Request"])
    return response


def bad_query(request, form):
    """A 400 page in the site's layout saying which parameter has a bad value."""
    context = {"errors": form.errors, "path": request.path}
    return render(request, "errors/bad_query.html", context, status=400)
