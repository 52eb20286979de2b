"""Proving ownership: the token a user publishes, the check on demand ("Verify now"), and new
entries made on the site, which stay "unverified" until their maintainer proves them."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from compliance.doap.importer import free_slug
from compliance.entries import write_entry
from compliance.history import Actor
from compliance.models import Software, Token
from compliance.vendors import proofs
from compliance.vendors.maintainers import add_maintainer

PROOF_DAYS = 14


class TokenExpired(Exception):
    """The proof token is past its date: a new one is handed out."""


def proof_token(software: Software, user) -> Token:
    """The user's open proof token for this entry, or a new one."""
    token = (
        Token.objects.filter(
            software=software,
            user=user,
            purpose=Token.PROOF,
            used_at=None,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at")
        .first()
    )
    return token or Token.objects.create(
        software=software,
        user=user,
        purpose=Token.PROOF,
        value=secrets.token_urlsafe(24),
        expires_at=timezone.now() + timedelta(days=PROOF_DAYS),
    )


def verify(token: Token, method: str) -> proofs.ProofResult:
    """Check the proof now; on success the token's user maintains the entry and the entry is
    no longer unverified. The result is kept on the token either way."""
    if token.expired:
        raise TokenExpired("This token has expired; here is a new one to publish instead.")
    result = proofs.check(method, token.value, token.software)
    with transaction.atomic():
        token.last_checked_at = timezone.now()
        token.last_result = result.detail
        if result.ok:
            token.used_at = token.last_checked_at
            add_maintainer(
                token.software,
                token.user,
                actor=Actor.person(token.user),
                how=f"proved with {proofs.METHODS[method]}",
            )
            Software.objects.filter(pk=token.software_id).update(unverified=False)
        token.save(update_fields=["last_checked_at", "last_result", "used_at"])
    return result


def create_entry(user, *, name: str, role: str, homepage: str, description: str) -> Software:
    """A new entry made by a user on the site: they maintain it, and it is marked unverified
    until they prove it."""
    actor = Actor.person(user)
    with transaction.atomic():
        software = Software(slug=free_slug(name), unverified=True)
        write_entry(
            software,
            actor=actor,
            name=name,
            role=role,
            homepage=homepage,
            description=description,
        )
        add_maintainer(software, user, actor=actor, how="created the entry")
    return software
