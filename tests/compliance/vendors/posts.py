"""What a browser posts from the vendor forms, built in code."""

from compliance.models import Claim
from compliance.vendors.editor import slots
from compliance.vendors.forms import EntryForm


def editor_post(software, **rows) -> dict:
    """The whole editor form as a browser posts it, with some rows changed:
    rows maps a slot key (XEP-0030, RFC_6120) to the values to change."""
    data = {
        f"{key}": ("on" if value is True else value)
        for key, value in EntryForm.initial_of(software).items()
        if value is not False
    }
    own = {c.spec: c for c in software.claims.filter(source=Claim.SELF)}
    for slot in slots():
        claim = own.get(slot.spec)
        data[f"{slot.key}-revision"] = claim.revision if claim else 0
        for name in ("status", "spec_version", "since_version", "note", "evidence_url"):
            data[f"{slot.key}-{name}"] = getattr(claim, name) if claim else ""
        data[f"{slot.key}-provided_by"] = claim.provided_by if claim else ""
        data.update({f"{slot.key}-{k}": v for k, v in rows.get(slot.key, {}).items()})
    return data
