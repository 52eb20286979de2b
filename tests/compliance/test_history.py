"""The audit log and the entry's write path: every change from any source, recorded once, with
who made it; stale writes refused; verdicts of the current version."""

import pytest

from compliance.claims import ClaimValues, StaleClaim, write_claims
from compliance.doap.importer import import_doap
from compliance.entries import StaleEntry, write_entry
from compliance.history import Actor
from compliance.models import Change, Software

pytestmark = pytest.mark.django_db
ALICE = Actor("alice")


def test_an_import_records_its_fields_and_claims_and_a_reimport_nothing(doap_dir):
    path = doap_dir / "gajim.doap"
    software = import_doap(str(path)).software
    changes = Change.objects.filter(software=software)
    assert {change.actor for change in changes} == {f"DOAP import from {path.resolve()}"}
    assert changes.get(subject="entry", field="name").new == "Gajim"
    status = changes.get(subject="claim", spec="XEP-0030", field="status")
    assert (status.old, status.new, status.source) == ("", "complete", "doap")
    count = changes.count()
    import_doap(str(path))
    assert Change.objects.count() == count


def test_a_claim_change_is_recorded_field_by_field_with_its_actor():
    software = Software.objects.create(name="S", slug="s", role="client")
    write_claims(software, actor=ALICE, put=[ClaimValues("XEP-0030", "self", "planned")])
    first = software.claims.get()
    write_claims(
        software,
        actor=Actor("bob"),
        put=[ClaimValues("XEP-0030", "self", "complete", since_version="2.0")],
    )
    latest = list(
        Change.objects.filter(software=software).values_list("actor", "field", "old", "new")
    )
    assert latest[:2] == [
        ("bob", "status", "planned", "complete"),
        ("bob", "since_version", "", "2.0"),
    ] or set(latest[:2]) == {
        ("bob", "status", "planned", "complete"),
        ("bob", "since_version", "", "2.0"),
    }
    claim = software.claims.get()
    assert claim.revision == first.revision + 1
    assert claim.status_since > first.status_since
    write_claims(software, actor=ALICE, put=[ClaimValues("XEP-0030", "self", "complete", note="n")])
    assert software.claims.get().status_since == claim.status_since  # same status since then
    write_claims(software, actor=ALICE, remove=[("XEP-0030", "self")])
    removed = Change.objects.filter(software=software, field="status").first()
    assert (removed.old, removed.new, removed.actor) == ("complete", "", "alice")


def test_a_write_on_a_stale_revision_is_refused_and_writes_nothing():
    software = Software.objects.create(name="S", slug="s", role="client")
    write_claims(software, actor=ALICE, put=[ClaimValues("XEP-0030", "self", "planned")])
    read = software.claims.get().revision
    write_claims(
        software,
        actor=Actor("bob"),
        put=[ClaimValues("XEP-0030", "self", "partial")],
        expect={("XEP-0030", "self"): read},
    )
    with pytest.raises(StaleClaim) as stale:
        write_claims(
            software,
            actor=ALICE,
            put=[ClaimValues("XEP-0030", "self", "complete")],
            expect={("XEP-0030", "self"): read},
        )
    assert stale.value.current["status"] == "partial"
    assert software.claims.get().status == "partial"
    with pytest.raises(StaleClaim):  # a claim another maintainer created meanwhile
        write_claims(
            software,
            actor=ALICE,
            put=[ClaimValues("XEP-0030", "self", "complete")],
            expect={("XEP-0030", "self"): 0},
        )


def test_entry_fields_are_written_once_recorded_and_checked_for_staleness():
    software = Software(name="New", slug="new", role="server")
    created = write_entry(software, actor=ALICE, homepage="https://new.example")
    assert {c.field for c in created} >= {"name", "role", "homepage"}
    changes = write_entry(software, actor=ALICE, description="A server", expect=1)
    assert [(c.field, c.old, c.new) for c in changes] == [("description", "", "A server")]
    assert write_entry(software, actor=ALICE, description="A server") == []
    stale = Software.objects.get(pk=software.pk)
    stale.description = "Other"
    with pytest.raises(StaleEntry):
        write_entry(stale, actor=Actor("bob"), expect=1)
    software.refresh_from_db()
    assert (software.description, software.revision) == ("A server", 2)
    with pytest.raises(ValueError, match="Not an entry field: slug"):
        write_entry(software, actor=ALICE, slug="other")


def test_a_claim_since_a_newer_version_counts_once_the_entry_reaches_it():
    software = Software.objects.create(name="S", slug="s", role="client", current_version="1.0")
    write_claims(
        software,
        actor=ALICE,
        put=[ClaimValues("XEP-0030", "self", "complete", since_version="1.2")],
    )
    assert software.statuses == {}
    write_entry(software, actor=ALICE, current_version="1.2")
    software.refresh_from_db()
    assert software.statuses == {"XEP-0030": "complete"}
