"""Who maintains an entry: the one write path for maintainers, invitations by e-mail, and the
permission every vendor view checks (`maintains`). Every change is in the audit log."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from compliance.history import Actor, FieldChange, record
from compliance.models import Change, Maintainer, Software, Token

INVITATION_DAYS = 7


class LastMaintainer(Exception):
    """The last maintainer of an entry cannot remove themself (staff can)."""


class InvalidInvitation(Exception):
    """The invitation link is unknown, used or expired; the message says which."""


def maintains(user, software: Software) -> bool:
    return user.is_authenticated and software.maintainers.filter(user=user).exists()


def add_maintainer(software: Software, user, *, actor: Actor, how: str) -> Maintainer:
    with transaction.atomic():
        maintainer, created = Maintainer.objects.get_or_create(
            software=software, user=user, defaults={"how": how[:100]}
        )
        if created:
            change = FieldChange(Change.MAINTAINER, "maintainer", "", user.get_username())
            record(software, actor, [change])
    return maintainer


def remove_maintainer(software: Software, user, *, actor: Actor) -> None:
    with transaction.atomic():
        rows = list(Maintainer.objects.select_for_update().filter(software=software))
        if not any(row.user_id == user.pk for row in rows):
            return
        staff = actor.user is not None and actor.user.is_staff
        if len(rows) == 1 and not staff:
            raise LastMaintainer(
                "You are the last maintainer of this entry: invite another one before leaving."
            )
        Maintainer.objects.filter(software=software, user=user).delete()
        record(
            software,
            actor,
            [FieldChange(Change.MAINTAINER, "maintainer", user.get_username(), "")],
        )


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def invite(software: Software, email: str, *, inviter, link_for) -> Token:
    """Send an invitation to maintain `software` to `email`. `link_for(raw_token)` makes the
    absolute link of the e-mail; only the token's digest is stored."""
    raw = secrets.token_urlsafe(32)
    token = Token.objects.create(
        software=software,
        purpose=Token.INVITATION,
        user=inviter,
        value=_digest(raw),
        email=email,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    send_mail(
        f"Maintain {software.name} on the XMPP Compliance Dashboard",
        f"{inviter.get_username()} invites you to maintain {software.name} on the XMPP "
        f"Compliance Dashboard: its claims, its description and its maintainers.\n\n"
        f"Accept within {INVITATION_DAYS} days: {link_for(raw)}\n\n"
        "If you did not expect this, ignore this message.",
        None,
        [email],
    )
    return token


def accept_invitation(raw: str, user) -> Software:
    """Make `user` a maintainer of the entry the invitation is for; InvalidInvitation else."""
    with transaction.atomic():
        token = (
            Token.objects.select_for_update()
            .select_related("software", "user")
            .filter(purpose=Token.INVITATION, value=_digest(raw))
            .first()
        )
        if token is None:
            raise InvalidInvitation("This invitation link is not known.")
        if token.used_at is not None:
            raise InvalidInvitation("This invitation has been used already.")
        if token.expired:
            raise InvalidInvitation("This invitation has expired: ask for a new one.")
        token.used_at = timezone.now()
        token.save(update_fields=["used_at"])
        how = f"invited by {token.user.get_username()}"
        add_maintainer(token.software, user, actor=Actor.person(user), how=how)
    return token.software
