"""Saving what the claim editor posts: the entry's fields and self-assessed claims, each write
checked against the revision the form was read at, so that a later save on a stale version
reports a conflict with both values instead of overwriting silently."""

from __future__ import annotations

from dataclasses import dataclass

from compliance.claims import VALUE_FIELDS, ClaimValues, StaleClaim, write_claims
from compliance.entries import EDITOR_FIELDS, write_entry
from compliance.history import Actor
from compliance.models import Claim, Software
from compliance.vendors.forms import ClaimRowForm, EntryForm


@dataclass(frozen=True)
class RowOutcome:
    spec: str
    saved: bool  # something was written
    conflict: dict | None = None  # the values someone else saved meanwhile (None: removed)
    stale: bool = False


def stored_values(claim: Claim | None) -> dict[str, str]:
    return {name: getattr(claim, name) if claim else "" for name in VALUE_FIELDS}


def save_row(
    software: Software, actor: Actor, spec: str, form: ClaimRowForm, claim: Claim | None
) -> RowOutcome:
    """Write one row (a valid form) when it differs from the claim it was read with."""
    values = form.values()
    if values == stored_values(claim) and form.cleaned_data["revision"] == (
        claim.revision if claim else 0
    ):
        return RowOutcome(spec, saved=False)
    key = (spec, Claim.SELF)
    expect = {key: form.cleaned_data["revision"]}
    try:
        if form.is_empty():
            write_claims(software, actor=actor, remove=[key], expect=expect)
        else:
            write_claims(
                software, actor=actor, put=[ClaimValues(spec, Claim.SELF, **values)], expect=expect
            )
    except StaleClaim as stale:
        return RowOutcome(spec, saved=False, conflict=stale.current, stale=True)
    return RowOutcome(spec, saved=True)


def save_entry(software: Software, actor: Actor, form: EntryForm) -> bool:
    """Write the entry's fields (a valid form); StaleEntry when someone saved it meanwhile.
    Returns whether anything changed."""
    fields = {name: form.cleaned_data[name] for name in EDITOR_FIELDS}
    if all(getattr(software, name) == value for name, value in fields.items()):
        return False
    return bool(write_entry(software, actor=actor, expect=form.cleaned_data["revision"], **fields))
