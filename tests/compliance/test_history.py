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
    created = changes.get(subject="claim", spec="XEP-0030")  # one row per claim created
    assert (created.action, created.source, created.field) == ("created", "doap", "")
    assert created.values["status"] == "complete"
    assert changes.filter(subject="claim").count() == software.claims.count()
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
    removed = Change.objects.filter(software=software).first()
    assert (removed.action, removed.actor, removed.field) == ("removed", "alice", "")
    assert removed.values == {
        "status": "complete",
        "spec_version": "",
        "since_version": "",
        "note": "n",
        "evidence_url": "",
        "provided_by": "",
    }


def test_a_claim_created_or_removed_is_one_row_with_all_its_values():
    software = Software.objects.create(name="S", slug="s", role="client")
    put = [
        ClaimValues("XEP-0030", "self", "complete", spec_version="2.5", note="disco"),
        ClaimValues("XEP-0045", "self"),  # no values at all: still in the log
    ]
    write_claims(software, actor=ALICE, put=put)
    rows = {change.spec: change for change in Change.objects.filter(software=software)}
    assert {change.action for change in rows.values()} == {"created"}
    disco = rows["XEP-0030"]
    assert disco.claim_values() == [
        ("status", "complete"),
        ("spec_version", "2.5"),
        ("note", "disco"),
    ]
    assert (disco.what, disco.before) == ("XEP-0030 (self) created", "—")
    assert disco.after == "status: complete; spec_version: 2.5; note: disco"
    assert rows["XEP-0045"].after == "(empty)"
    write_claims(software, actor=Actor("bob"), remove=[("XEP-0030", "self")])
    removed = Change.objects.filter(software=software, action="removed").get()
    assert (removed.what, removed.after, removed.actor) == ("XEP-0030 (self) removed", "—", "bob")
    assert removed.before == "status: complete; spec_version: 2.5; note: disco"


def test_rows_written_field_by_field_before_still_read_as_they_did():
    software = Software.objects.create(name="S", slug="s", role="client")
    legacy = Change.objects.create(
        software=software,
        actor="alice",
        subject="claim",
        spec="XEP-0030",
        source="self",
        field="status",
        old="",
        new="complete",
    )
    assert (legacy.action, legacy.values) == ("changed", {})
    assert (legacy.what, legacy.before, legacy.after) == ("XEP-0030 (self) status", "—", "complete")


def test_the_history_page_and_feed_show_what_was_created_changed_and_removed(client):
    software = Software.objects.create(name="S", slug="s", role="client")
    write_claims(software, actor=ALICE, put=[ClaimValues("XEP-0030", "self", "partial", note="n")])
    write_claims(software, actor=Actor("bob"), put=[ClaimValues("XEP-0030", "self", "complete")])
    write_claims(software, actor=ALICE, remove=[("XEP-0030", "self")])
    page = client.get("/software/s/history/").content.decode()
    assert "<td>XEP-0030 (self) created</td><td>—</td><td>status: partial; note: n</td>" in page
    assert "<td>bob</td>" in page
    assert "<td>XEP-0030 (self) status</td><td>partial</td><td>complete</td>" in page
    assert "<td>XEP-0030 (self) note</td><td>n</td><td>—</td>" in page
    assert "<td>XEP-0030 (self) removed</td><td>status: complete</td><td>—</td>" in page
    feed = client.get("/software/s/history.atom").content.decode()
    assert "XEP-0030 (self) created: — → status: partial; note: n" in feed
    assert "XEP-0030 (self) removed: status: complete → —" in feed


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
