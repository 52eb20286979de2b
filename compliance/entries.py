"""The one write path for a software entry's own fields (claims have compliance/claims.py).

`write_entry` is used by the DOAP importer, the editor and the admin: one transaction that
checks the revision the writer read, saves, refreshes the statuses when the current version
moved (a claim's `since` is compared with it) and records every changed field in the audit log.
"""

from __future__ import annotations

from django.db import transaction

from compliance.history import Actor, FieldChange, record, shown
from compliance.models import Change, Software
from compliance.versions import entries_changed

# The fields people edit in the claim editor (compliance/vendors/forms.py EntryForm).
EDITOR_FIELDS = (
    "name",
    "description",
    "homepage",
    "platforms",
    "role",
    "terminal_interface",
    "background_restricted",
    "current_version",
    "doap_url",
)
# The fields people edit and the log follows; bookkeeping (findings, fetch times) is not. The
# reference deployment is chosen apart, on the maintainers' page (compliance/probing/verification).
ENTRY_FIELDS = (*EDITOR_FIELDS, "reference_server")


def _value(software: Software, name: str):
    """A field's value to compare: a foreign key's id (no query), else the value."""
    return getattr(software, Software._meta.get_field(name).attname)


def _changes(software: Software, stored: Software | None) -> list[FieldChange]:
    """The ENTRY_FIELDS that differ from the stored row (those set, for a new entry)."""
    changes = []
    for name in ENTRY_FIELDS:
        if stored is not None and _value(software, name) == _value(stored, name):
            continue
        new = shown(getattr(software, name))
        if stored is None and not new:
            continue
        changes.append(FieldChange(Change.ENTRY, name, shown(getattr(stored, name, "")), new))
    return changes


class StaleEntry(Exception):
    """The entry was saved by someone else since the writer read it."""


def write_entry(
    software: Software, *, actor: Actor, expect: int | None = None, **fields
) -> list[FieldChange]:
    """Set `fields` (of ENTRY_FIELDS) on software and save it with whatever else the caller
    set on it; a new (unsaved) software is created. Returns the changes recorded."""
    if unknown := sorted(set(fields) - set(ENTRY_FIELDS)):
        raise ValueError(f"Not an entry field: {', '.join(unknown)}.")
    with transaction.atomic():
        stored = None
        if software.pk is not None:
            stored = Software.objects.select_for_update().filter(pk=software.pk).first()
        if expect is not None and (stored.revision if stored else 0) != expect:
            raise StaleEntry(f"{software.name} was changed by someone else in the meantime.")
        for name, value in fields.items():
            setattr(software, name, value)
        changes = _changes(software, stored)
        if changes and stored is not None:
            software.revision = stored.revision + 1
        software.save()
        if stored is not None and stored.current_version != software.current_version:
            software.refresh_statuses()
        record(software, actor, changes)
        if stored is not None and stored.slug != software.slug:  # the save dropped the new one's
            entries_changed([stored.slug])
    return changes
