"""Who may write what, decided in the view: the entry a signed-in maintainer may edit."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from compliance.models import Software
from compliance.vendors.maintainers import maintains


class SignInFirst(Exception):
    """An anonymous visitor asked for a page that needs an account."""


def maintained(request, slug: str) -> Software:
    """The entry `slug` if the user maintains it; PermissionDenied (403) for anyone else, and
    SignInFirst for an anonymous GET (which the views turn into the sign-in page)."""
    software = get_object_or_404(Software, slug=slug)
    if not request.user.is_authenticated:
        if request.method in ("GET", "HEAD"):
            raise SignInFirst()
        raise PermissionDenied("Sign in as a maintainer of this entry to change it.")
    if not maintains(request.user, software):
        raise PermissionDenied("Only the maintainers of this entry can change it.")
    return software


def sign_in(request):
    return redirect_to_login(request.get_full_path())
