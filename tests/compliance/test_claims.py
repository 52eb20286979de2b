"""The one write path for claims: what it writes, what it reports, and Software.statuses
following every write."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from compliance.claims import ClaimValues, claim_values, write_claims
from compliance.doap.importer import import_doap
from compliance.history import Actor
from compliance.models import Claim, Software
from suites import catalogue
from suites.statuses import (
    engine_statuses,
)
from tests.compliance.factories import TEST


@pytest.fixture
def software(db):
    return Software.objects.create(name="S", slug="s", role="client")


def stored(software) -> dict:
    software.refresh_from_db()
    return software.statuses


def test_writing_and_removing_claims_updates_the_statuses(software):
    write_claims(software, actor=TEST, put=[ClaimValues("XEP-0030", "doap", " Complete")])
    assert stored(software) == {"XEP-0030": "complete"}
    write_claims(software, actor=TEST, put=[ClaimValues("XEP-0030", "self", "wontfix")])
    assert stored(software) == {}  # the self claim counts, and wontfix is not support
    write_claims(software, actor=TEST, put=[ClaimValues("XEP-0030", "doap", "partial")])
    assert stored(software) == {}
    write_claims(software, actor=TEST, remove=[("XEP-0030", "self")])
    assert stored(software) == {"XEP-0030": "partial"}


def test_statuses_keep_only_specs_the_suites_name(software):
    claims = [
        ClaimValues("XEP-0999", "self", "complete"),
        ClaimValues("RFC 6120", "self", "complete"),
    ]
    write_claims(software, actor=TEST, put=claims)
    assert stored(software) == {"RFC 6120": "complete"}


def test_it_returns_exactly_what_changed(software):
    first = write_claims(
        software,
        actor=TEST,
        put=[
            ClaimValues("XEP-0030", "doap", "complete"),
            ClaimValues("XEP-0045", "doap", "partial"),
        ],
    )
    assert [(c.kind, c.spec, c.after["status"]) for c in first] == [
        ("created", "XEP-0030", "complete"),
        ("created", "XEP-0045", "partial"),
    ]
    again = write_claims(
        software,
        actor=TEST,
        put=[
            ClaimValues("XEP-0030", "doap", "complete"),
            ClaimValues("XEP-0045", "doap", "complete", since_version="1.2"),
        ],
    )
    (changed,) = again  # the unchanged claim is neither written nor reported
    assert changed.kind == "changed"
    assert {
        k: (v, changed.after[k]) for k, v in changed.before.items() if v != changed.after[k]
    } == {
        "status": ("partial", "complete"),
        "since_version": ("", "1.2"),
    }
    replaced = write_claims(
        software,
        actor=TEST,
        put=[ClaimValues("XEP-0045", "doap", "complete", since_version="1.2")],
        replace_source="doap",
    )
    assert [(c.kind, c.spec, c.after) for c in replaced] == [("removed", "XEP-0030", None)]
    assert list(software.claims.values_list("spec", flat=True)) == ["XEP-0045"]


def test_replacing_one_source_keeps_the_other(software):
    write_claims(software, actor=TEST, put=[ClaimValues("XEP-0030", "self", "complete")])
    write_claims(software, actor=TEST, put=[], replace_source="doap")
    assert stored(software) == {"XEP-0030": "complete"}


def test_an_unknown_source_is_refused_and_writes_nothing(software):
    with pytest.raises(ValueError, match="Unknown claim source: probe"):
        write_claims(software, actor=TEST, put=[ClaimValues("XEP-0030", "probe", "complete")])
    assert not Claim.objects.exists()


def test_deleting_a_software_with_claims_works(software):
    Claim.objects.create(software=software, spec="XEP-0030", status="complete")
    software.delete()
    assert not Claim.objects.exists()


def test_an_import_leaves_statuses_equal_to_its_claims(doap_dir, db):
    software = import_doap(str(doap_dir / "movim.doap")).software
    claims = software.claims.values_list("spec", "status", "source", "since_version")
    assert stored(software) == engine_statuses(claims, catalogue.provider_specs())
    assert "XEP-0463" not in stored(software)  # status "parial" is no support
    assert stored(software)["XEP-0045"] == "partial"


def test_a_failed_write_writes_nothing(software):
    write_claims(software, actor=TEST, put=[ClaimValues("XEP-0030", "doap", "complete")])
    broken = ClaimValues("XEP-0045", "doap", None)  # NOT NULL: the database refuses it
    with pytest.raises(IntegrityError):
        write_claims(
            software,
            actor=TEST,
            put=[ClaimValues("XEP-0030", "doap", "planned"), broken],
        )
    assert list(software.claims.values_list("spec", "status")) == [("XEP-0030", "complete")]
    assert stored(software) == {"XEP-0030": "complete"}


def test_claims_and_platforms_are_validated(db):
    software = Software.objects.create(name="S", slug="s", role="client")
    with pytest.raises(ValidationError, match="RFC 6120"):
        Claim(software=software, spec="RFC6120", status="complete").full_clean()
    software.platforms = "Linux"
    with pytest.raises(ValidationError, match="list of names"):
        software.full_clean()


def test_a_new_claim_row_holds_its_values_revision_and_times(software, make_user):
    alice = make_user("alice")
    values = ClaimValues("XEP-0030", "self", "complete", "2.5", "1.0", "n", "https://e.example")
    write_claims(software, actor=Actor.person(alice), put=[values])
    claim = software.claims.get()
    assert claim_values(claim) == values
    assert claim.revision == 1
    assert claim.status_since == claim.created_at == claim.updated_at
    assert claim.status_since.tzinfo is not None
    change = software.changes.get()
    assert (change.actor, change.user, change.values["since_version"]) == ("alice", alice, "1.0")
    assert change.at >= claim.created_at


def test_the_statuses_written_are_those_the_stored_claims_give(software):
    write_claims(
        software,
        actor=TEST,
        put=[
            ClaimValues("XEP-0030", "self", "complete"),
            ClaimValues("XEP-0045", "doap", "partial"),
            ClaimValues("XEP-0191", "doap", "complete", since_version="9.0"),
        ],
    )
    write_claims(
        software,
        actor=TEST,
        put=[ClaimValues("XEP-0313", "doap", "complete"), ClaimValues("XEP-0030", "doap", "")],
        remove=[("XEP-0045", "doap")],
        replace_source="doap",
    )
    written = (software.complete_specs, software.partial_specs, software.listed_specs)
    software.refresh_statuses()  # from the stored claims
    assert (software.complete_specs, software.partial_specs, software.listed_specs) == written
    assert stored(software) == {"XEP-0030": "complete", "XEP-0313": "complete"}
