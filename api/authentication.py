"""`Authorization: Token <value>`: a personal API token, found by its digest, not revoked.
The last-used time is written at most once a minute."""

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from api.models import ApiToken, digest

KEYWORD = b"token"


class TokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Write the header as: Authorization: Token <your token>.")
        value = parts[1].decode("ascii", "replace")
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest(value), revoked_at=None, user__is_active=True)
            .first()
        )
        if token is None:
            raise AuthenticationFailed("This token is unknown or was revoked.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return "Token"


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token <a personal API token from your account page>",
        }
