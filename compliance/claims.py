"""The one write path for claims.

Every writer goes through `write_claims`: the admin, the DOAP importer, the demo loader, the
claim editor, and the API and the registry sync after them. One call is one transaction that
locks the software's row, writes what changed (and nothing else), refreshes the statuses the
engine reads (`Software.statuses`) and records what changed in the audit log
(compliance.history): a claim created or removed as one row with all its values, a claim
changed field by field. Nothing else writes the Claim table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from compliance.history import Actor, FieldChange, WholeClaim, record
from compliance.models import Change, Claim, Software
from compliance.models.software import STATUS_INPUTS
from compliance.rows import insert_rows

# The fields of a claim besides its key (software, spec, source).
VALUE_FIELDS = Claim.VALUE_FIELDS
# A new claim's row: its key, its values, since when it has its status, its revision (1), when.
NEW_CLAIM_FIELDS = ("software", "spec", "source", *VALUE_FIELDS, "status_since", "revision")
NEW_CLAIM_FIELDS += ("created_at", "updated_at")


@dataclass(frozen=True)
class ClaimValues:
    """One claim as a writer states it: the key (spec, source) and its values."""

    spec: str
    source: str
    status: str = ""
    spec_version: str = ""
    since_version: str = ""
    note: str = ""
    evidence_url: str = ""
    provided_by: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.spec, self.source)

    def values(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in VALUE_FIELDS}


@dataclass(frozen=True)
class ClaimChange:
    """One claim created, changed or removed: its values before and after (None when absent)."""

    spec: str
    source: str
    before: dict[str, str] | None
    after: dict[str, str] | None

    @property
    def kind(self) -> str:
        if self.before is None:
            return "created"
        return "removed" if self.after is None else "changed"

    def logged(self) -> list[FieldChange | WholeClaim]:
        """What the audit log keeps of it: a claim created or removed as one row with all its
        values, a claim changed as one row per field that changed."""
        if self.before is None or self.after is None:
            action = Change.CREATED if self.before is None else Change.REMOVED
            return [WholeClaim(action, *self.key, self.after or self.before)]
        return [
            FieldChange(Change.CLAIM, name, self.before[name], self.after[name], *self.key)
            for name in VALUE_FIELDS
            if self.before[name] != self.after[name]
        ]

    @property
    def key(self) -> tuple[str, str]:
        return (self.spec, self.source)


class StaleClaim(Exception):
    """A write made on an older revision of a claim than the stored one: someone else saved in
    between. `current` holds the stored values (None when the claim was removed)."""

    def __init__(self, key: tuple[str, str], current: dict[str, str] | None) -> None:
        super().__init__(f"{key[0]} ({key[1]}) was changed by someone else in the meantime.")
        self.key = key
        self.current = current


def _values_of(claim: Claim) -> dict[str, str]:
    return {name: getattr(claim, name) for name in VALUE_FIELDS}


def _inputs(claim: Claim | ClaimValues) -> tuple[str, ...]:
    """What the statuses are computed from (Software.refresh_statuses)."""
    return tuple(getattr(claim, name) for name in STATUS_INPUTS)


def claim_values(claim: Claim) -> ClaimValues:
    """A Claim instance (stored or not) as the values write_claims takes."""
    return ClaimValues(spec=claim.spec, source=claim.source, **_values_of(claim))


def write_claims(
    software: Software,
    *,
    actor: Actor,
    put: Iterable[ClaimValues] = (),
    remove: Iterable[tuple[str, str]] = (),
    replace_source: str | None = None,
    expect: Mapping[tuple[str, str], int] | None = None,
) -> list[ClaimChange]:
    """Create or update the claims in `put`; remove the (spec, source) keys in `remove` that
    `put` does not name, and with `replace_source` every claim of that source it does not name.

    `expect` maps keys to the revision the writer read (0: it read no such claim); a stored
    revision that differs raises StaleClaim and writes nothing. A claim whose values do not
    change is not written.
    """
    wanted = {claim.key: claim for claim in put}
    sources = {source for source, _ in Claim.SOURCE_CHOICES}
    if unknown := sorted({source for _, source in wanted} - sources):
        raise ValueError(f"Unknown claim source: {', '.join(unknown)}.")
    with transaction.atomic():
        Software.objects.select_for_update().filter(pk=software.pk).values_list("pk").first()
        existing = {(claim.spec, claim.source): claim for claim in software.claims.all()}
        for key, revision in (expect or {}).items():
            stored = existing.get(key)
            if (stored.revision if stored else 0) != revision:
                raise StaleClaim(key, _values_of(stored) if stored else None)
        doomed = {key for key in remove if key in existing and key not in wanted}
        if replace_source is not None:
            doomed |= {key for key in existing if key[1] == replace_source and key not in wanted}
        changes = [ClaimChange(*key, _values_of(existing[key]), None) for key in sorted(doomed)]
        created, updated, now = [], [], timezone.now()
        for key, claim in wanted.items():
            current, values = existing.get(key), claim.values()
            before = None if current is None else _values_of(current)
            if before == values:
                continue
            changes.append(ClaimChange(*key, before, values))
            if current is None:
                created.append((software.pk, *key, *values.values(), now, 1, now, now))
                continue
            if before["status"] != claim.status:
                current.status_since = now
            for name, value in values.items():
                setattr(current, name, value)
            current.updated_at = now
            current.revision += 1
            updated.append(current)
        if doomed:
            software.claims.filter(pk__in=[existing[key].pk for key in doomed]).delete()
        insert_rows(Claim, NEW_CLAIM_FIELDS, created)
        Claim.objects.bulk_update(
            updated, [*VALUE_FIELDS, "status_since", "revision", "updated_at"]
        )
        kept = [claim for key, claim in existing.items() if key not in doomed | wanted.keys()]
        # Its save drops the entry's cached badges and readings (compliance/versions.py).
        software.refresh_statuses([_inputs(claim) for claim in [*kept, *wanted.values()]])
        record(software, actor, [row for change in changes for row in change.logged()])
    return changes
