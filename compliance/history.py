"""Who changes what: the actor of a write, and the one place changes are recorded.

`write_claims` (compliance/claims.py) and `write_entry` (compliance/entries.py) call `record`
with what they changed (a field from old to new, or a whole claim created or removed with its
values); nothing else writes the Change table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from compliance.models import Change, Software
from compliance.rows import insert_rows


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


# What each change gives of its row of the log, after who and when.
ROW_FIELDS = ("subject", "action", "spec", "source", "field", "old", "new", "values")


@dataclass(frozen=True)
class FieldChange:
    """One field from old to new; for a claim's fields, with the claim's spec and source."""

    subject: str
    field: str
    old: str
    new: str
    spec: str = ""
    source: str = ""

    def row(self) -> tuple:
        """The values of ROW_FIELDS."""
        return (
            self.subject,
            Change.CHANGED,
            self.spec,
            self.source,
            self.field,
            self.old,
            self.new,
            {},
        )


@dataclass(frozen=True)
class WholeClaim:
    """A claim created (with the values it got) or removed (with the values it had): one row
    of the log, not one per field."""

    action: str  # Change.CREATED or Change.REMOVED
    spec: str
    source: str
    values: dict[str, str]

    def row(self) -> tuple:
        """The values of ROW_FIELDS."""
        return (Change.CLAIM, self.action, self.spec, self.source, "", "", "", self.values)


def shown(value: Any) -> str:
    """How a value is kept in the log: text, lists joined, booleans as yes/no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


def record(software: Software, actor: Actor, changes: Iterable[FieldChange | WholeClaim]) -> int:
    """Keep the changes, all at the same moment, in one INSERT; returns how many rows."""
    who = (software.pk, timezone.now(), actor.label[:300], actor.user.pk if actor.user else None)
    rows = [(*who, *change.row()) for change in changes]
    return insert_rows(Change, ("software", "at", "actor", "user", *ROW_FIELDS), rows)
