"""The one write path for claims.

Every writer goes through `write_claims`: the admin, the DOAP importer, the demo loader, the
claim editor, and the API and the registry sync after them. One call is one transaction that
locks the software's row, writes what changed (and nothing else), refreshes the statuses the
engine reads (`Software.statuses`) and records every changed field in the audit log
(compliance.history). Nothing else writes the Claim table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from compliance.history import Actor, FieldChange, record
from compliance.models import Change, Claim, Software

# The fields of a claim besides its key (software, spec, source).
VALUE_FIELDS = ("status", "spec_version", "since_version", "note", "evidence_url", "provided_by")


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

    def field_changes(self) -> list[FieldChange]:
        before, after = self.before or {}, self.after or {}
        return [
            FieldChange(Change.CLAIM, name, before.get(name, ""), after.get(name, ""), *self.key)
            for name in VALUE_FIELDS
            if before.get(name, "") != after.get(name, "")
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
        Software.objects.select_for_update().filter(pk=software.pk).first()
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
            current = existing.get(key)
            before = None if current is None else _values_of(current)
            if before == claim.values():
                continue
            if current is None:
                current = Claim(software=software, spec=claim.spec, source=claim.source)
                created.append(current)
            else:
                current.updated_at = now
                current.revision += 1
                updated.append(current)
            if before is None or before["status"] != claim.status:
                current.status_since = now
            for name, value in claim.values().items():
                setattr(current, name, value)
            changes.append(ClaimChange(*key, before, claim.values()))
        software.claims.filter(pk__in=[existing[key].pk for key in doomed]).delete()
        Claim.objects.bulk_create(created)
        Claim.objects.bulk_update(
            updated, [*VALUE_FIELDS, "status_since", "revision", "updated_at"]
        )
        software.refresh_statuses()
        record(software, actor, [field for change in changes for field in change.field_changes()])
    return changes
