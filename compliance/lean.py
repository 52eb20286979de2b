"""The lean path: badges and the cached API reads skip the middleware they do not use.

A view marked @lean_path, asked with GET or HEAD by a request without credentials (no session
cookie, no Authorization header), is called by LeanPathMiddleware, which sits after the security
and CORS middleware: those apply as on every response. Of the rest, what a lean response needs
is applied here by Django's and django-csp's own middleware (CommonMiddleware: the ALLOWED_HOSTS
check and Content-Length; XFrameOptionsMiddleware: X-Frame-Options; CSPMiddleware: the site's
policy, unless the view set its own, as a badge does and django-csp would then keep); sessions,
CSRF, authentication, messages, static files, htmx and allauth are skipped: such a view reads
none of them, and without credentials there is no user to find. Any other request takes the
whole chain.
"""

from __future__ import annotations

from csp.constants import HEADER as CSP_HEADER
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.urls import Resolver404, resolve

PREFIXES = ("/badge/", "/api/v1/software/")  # where lean views are: nothing else is resolved here
SAFE = ("GET", "HEAD")


def lean_path(view):
    """Mark a view as one the lean path may call (see the module docstring)."""
    view.lean_path = True
    return view


def without_credentials(request) -> bool:
    """Neither a session cookie nor an Authorization header: nobody to authenticate."""
    return (
        "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


class LeanPathMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.common = CommonMiddleware(get_response)
        self.xframe = XFrameOptionsMiddleware(get_response)
        self.csp = CSPMiddleware(get_response)

    def __call__(self, request):
        match = self.lean_match(request)
        if match is None:
            return self.get_response(request)
        request.resolver_match = match
        try:
            response = self.common.process_request(request)  # DisallowedHost: a 400, as there
            if response is None:
                response = match.func(request, *match.args, **match.kwargs)
                if callable(getattr(response, "render", None)):  # DRF's responses render late
                    response = response.render()
        except Exception as exc:  # as the handler answers it, with the headers below
            response = response_for_exception(request, exc)
        response = self.xframe.process_response(request, response)
        if CSP_HEADER not in response:
            response = self.csp.process_response(request, response)
        return self.common.process_response(request, response)

    @staticmethod
    def lean_match(request):
        """The URL's match when the lean path answers this request, else None."""
        if request.method not in SAFE or not request.path_info.startswith(PREFIXES):
            return None
        if not without_credentials(request):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        return match if getattr(match.func, "lean_path", False) else None
