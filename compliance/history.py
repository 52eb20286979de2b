"""Who changes what: the actor of a write, and the one place changes are recorded.

`write_claims` (compliance/claims.py) and `write_entry` (compliance/entries.py) call `record`
with what they changed; nothing else writes the Change table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from compliance.models import Change, Software


@dataclass(frozen=True)
class Actor:
    """Who writes: a signed-in user (by name), the admin, or a process ("DOAP import from …")."""

    label: str
    user: Any = None  # the User, when a person writes

    @classmethod
    def person(cls, user) -> Actor:
        return cls(user.get_username(), user)

    @classmethod
    def admin(cls, user) -> Actor:
        return cls(f"admin: {user.get_username()}", user)


@dataclass(frozen=True)
class FieldChange:
    """One field from old to new; for a claim's fields, with the claim's spec and source."""

    subject: str
    field: str
    old: str
    new: str
    spec: str = ""
    source: str = ""


def shown(value: Any) -> str:
    """How a value is kept in the log: text, lists joined, booleans as yes/no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


def record(software: Software, actor: Actor, changes: Iterable[FieldChange]) -> int:
    """Keep the changes, all at the same moment; returns how many."""
    now = timezone.now()
    rows = [
        Change(
            software=software,
            at=now,
            actor=actor.label[:300],
            user=actor.user,
            subject=change.subject,
            spec=change.spec,
            source=change.source,
            field=change.field,
            old=change.old,
            new=change.new,
        )
        for change in changes
    ]
    Change.objects.bulk_create(rows)
    return len(rows)
