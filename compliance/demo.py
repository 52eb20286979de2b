"""Demo data for a newcomer's first run: fictional entries, marked as examples, easy to remove."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction
from django.utils.text import slugify

from compliance.claims import ClaimValues, write_claims
from compliance.history import Actor
from compliance.models import Claim, Software

DEMO_FILE = Path(__file__).resolve().parent / "demo_data.yaml"


def claim_fields(value: str | list[str]) -> dict[str, str]:
    """'complete' or ['partial', 'a note'] -> the claim's status and note."""
    status, note = (value, "") if isinstance(value, str) else value
    return {"status": status, "note": note}


def load_demo() -> int:
    """Create or refresh the example entries; returns how many there are."""
    entries = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    with transaction.atomic():
        for entry in entries:
            claims = entry.pop("claims")
            software, _ = Software.objects.update_or_create(
                slug=f"example-{slugify(entry['name'].removeprefix('Example '))}",
                defaults={**entry, "is_example": True},
            )
            write_claims(
                software,
                actor=Actor("the demo loader"),
                put=[
                    ClaimValues(spec=spec, source=Claim.SELF, **claim_fields(value))
                    for spec, value in claims.items()
                ],
                replace_source=Claim.SELF,
            )
    return len(entries)


def remove_demo() -> int:
    deleted, _ = Software.objects.filter(is_example=True).delete()
    return deleted
