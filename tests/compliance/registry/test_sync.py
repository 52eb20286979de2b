"""The registry sync against the test registry on a loopback server: counts, roles, the last
good import, conditional requests, entries gone from the registry, hostile answers."""

import time

import pytest
from django.test import Client

from compliance.claims import ClaimValues, write_claims
from compliance.models import Claim, RegistryEntry, RegistrySync, Software
from compliance.registry.sync import SyncFailed, sync_registry
from tests.compliance.factories import TEST
from tests.compliance.registry.registry_site import conditional
from tests.servers.http import HANG

pytestmark = pytest.mark.django_db

FIRST = {
    "created": 13,
    "updated": 0,
    "unchanged": 0,
    "failed": 74,  # 73 DOAP URLs answering 404, a loop, a hang, ... and the second "Swift"
    "not_judged": 0,
    "no_doap": 108,
    "removed": 0,
}


def outcomes(report) -> dict[str, tuple[str, str]]:
    return {entry.name: (entry.outcome, entry.reason) for entry in report.entries}


def doap(name: str, *categories: str) -> bytes:
    """A DOAP file of our own: a name, the given categories and one XEP."""
    lines = "".join(
        f'<category rdf:resource="https://linkmauve.fr/ns/xmpp-doap#category-{c}"/>'
        for c in categories
    )
    return (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://usefulinc.com/ns/doap#" xmlns:xmpp="https://linkmauve.fr/ns/xmpp-doap#">'
        f"<Project><name>{name}</name>{lines}<implements><xmpp:SupportedXep>"
        '<xmpp:xep rdf:resource="https://xmpp.org/extensions/xep-0030.html"/>'
        "<xmpp:status>complete</xmpp:status></xmpp:SupportedXep></implements></Project></rdf:RDF>"
    ).encode()


def test_it_syncs_every_entry_of_the_registry(registry):
    report = sync_registry()
    assert report.counts == FIRST
    assert len(report.entries) == 195
    found = outcomes(report)
    assert found["Prosody IM"] == ("created", "")
    assert "answered HTTP 404" in found["Adiumbot"][1] if "Adiumbot" in found else True
    assert "More than 5 redirects" in found["Aparté"][1]
    assert "answered HTTP 404" in found["Artalk.Xmpp"][1]  # redirected to a missing file
    assert "did not finish within 1 s" in found["Apache Vysper"][1]
    assert "answered HTTP 304" in found["Beagle IM"][1]
    assert found["Adium"] == ("no_doap", "no DOAP: not judged")
    roles = dict(Software.objects.values_list("name", "role"))
    assert roles["Prosody IM"] == "server"
    assert roles["Snikket Server"] == "server"  # the DOAP says server, the registry "platform"
    assert roles["slixmpp"] == roles["libstrophe"] == "library"
    assert roles["Movim"] == roles["Swift"] == "client"
    assert Software.objects.count() == 13
    assert RegistryEntry.objects.count() == 194
    hosted = RegistryEntry.objects.get(name="Isode M-Link")
    assert hosted.doap == "/hosted-doap/isode-m-link.doap"
    assert hosted.doap_url == registry.site.url + "/hosted-doap/isode-m-link.doap"
    assert hosted.state == "judged"
    assert hosted.http_status == 200
    assert hosted.etag
    adium = RegistryEntry.objects.get(name="Adium")
    assert (adium.homepage, adium.platforms, adium.state) == (
        "https://adium.im",
        ["macOS"],
        "no_doap",
    )
    run = RegistrySync.objects.get()
    assert not run.running
    assert run.counts == FIRST
    assert run.error == ""


def test_a_second_sync_asks_conditionally_and_changes_nothing(registry):
    sync_registry()
    before = dict(Software.objects.values_list("slug", "updated_at"))
    claims = Claim.objects.count()
    registry.asked.clear()
    report = sync_registry()
    assert report.counts == FIRST | {"created": 0, "unchanged": 13}
    assert len(registry.asked) == 13
    assert all(etag and modified for etag, modified in registry.asked)
    assert dict(Software.objects.values_list("slug", "updated_at")) == before
    assert Claim.objects.count() == claims
    latest = RegistrySync.objects.latest()
    assert [change["outcome"] for change in latest.changes] == []  # no history written


def test_an_identical_file_without_an_etag_imports_nothing(registry, doap_dir):
    registry.serve_doap("Gajim", (200, (doap_dir / "gajim.doap").read_bytes(), {}))
    sync_registry()
    gajim = Software.objects.get(slug="gajim")
    assert outcomes(sync_registry())["Gajim"] == ("unchanged", "")
    assert Software.objects.get(slug="gajim").updated_at == gajim.updated_at


def test_if_modified_since_is_sent_without_an_etag(registry, doap_dir):
    asked = []
    body = (doap_dir / "dino.doap").read_bytes()
    registry.serve_doap("Dino", conditional(body, etag=False, asked=asked))
    sync_registry()
    assert outcomes(sync_registry())["Dino"] == ("unchanged", "")
    assert asked == [(None, None), (None, "Tue, 11 Aug 2026 10:00:00 GMT")]


def test_a_changed_file_is_imported_and_self_assessed_claims_stay(registry, doap_dir):
    sync_registry()
    prosody = Software.objects.get(slug="prosody-im")
    write_claims(
        prosody,
        actor=TEST,
        put=[ClaimValues(spec="XEP-0030", source=Claim.SELF, status="planned")],
    )
    body = (doap_dir / "prosody.doap").read_bytes().replace(b"Prosody IM", b"Prosody")
    registry.serve_doap("Prosody IM", conditional(body))
    assert outcomes(sync_registry())["Prosody IM"] == ("updated", "")
    prosody.refresh_from_db()
    assert prosody.name == "Prosody"
    own = prosody.claims.get(spec="XEP-0030", source=Claim.SELF)
    assert own.status == "planned"
    assert prosody.claims.filter(spec="XEP-0030", source=Claim.DOAP).exists()
    assert "XEP-0030" not in prosody.statuses  # the self-assessed claim wins


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ((200, b"<rdf:RDF", {}), "cannot be read: "),
        ((404, b"", {}), "answered HTTP 404"),
        ((200, b"x" * (20 * 1024 * 1024), {}), "more than the limit of 10485760 bytes"),
    ],
)
def test_a_failed_fetch_keeps_the_last_good_import(registry, answer, error):
    sync_registry()
    gajim = Software.objects.get(slug="gajim")
    claims = sorted(gajim.claims.values_list("spec", "status"))
    registry.serve_doap("Gajim", answer)
    outcome, reason = outcomes(sync_registry())["Gajim"]
    assert outcome == "failed"
    assert error in reason
    assert "last good import is kept" in reason
    gajim.refresh_from_db()
    assert sorted(gajim.claims.values_list("spec", "status")) == claims
    assert error in gajim.doap_fetch_error
    entry = RegistryEntry.objects.get(name="Gajim")
    assert entry.state == "judged"
    assert error in entry.last_error
    page = Client().get("/software/gajim/").content.decode()
    assert "last refresh failed" in page
    assert "the last good import is shown" in page


def test_a_good_fetch_after_a_failed_one_clears_the_error(registry, doap_dir):
    sync_registry()
    registry.serve_doap("Gajim", (404, b"", {}))
    sync_registry()
    failed = Software.objects.get(slug="gajim")
    assert "answered HTTP 404" in failed.doap_fetch_error
    changed = (doap_dir / "gajim.doap").read_bytes() + b"<!-- a new release -->"
    registry.serve_doap("Gajim", conditional(changed))
    assert outcomes(sync_registry())["Gajim"] == ("updated", "")
    gajim = Software.objects.get(slug="gajim")
    assert gajim.doap_fetch_error == ""
    assert gajim.doap_checked_at > failed.doap_checked_at


def test_a_hang_is_bounded_and_the_fetches_run_concurrently(registry, settings):
    names = [e["name"] for e in registry.entries if e["doap"] and e["name"] != "Swift"][:16]
    for name in names:
        registry.serve_doap(name, HANG)
    settings.REGISTRY_FETCH_CONCURRENCY = 8
    started = time.monotonic()
    report = sync_registry()
    elapsed = time.monotonic() - started
    assert all(outcomes(report)[name][0] == "failed" for name in names)
    assert elapsed < 6  # 16 hangs of 1 s, 8 at a time: about 2 s; one at a time: 16 s


def test_a_private_address_is_refused(registry, settings):
    settings.DOAP_FETCH_ALLOW_NETWORKS = ["127.0.0.1/32"]
    registry.entry("Dino")["doap"] = f"http://127.0.0.2:{registry.site.port}/doap/dino.doap"
    registry.publish()
    outcome, reason = outcomes(sync_registry())["Dino"]
    assert outcome == "failed"
    assert "Refused to connect" in reason
    assert not Software.objects.filter(slug="dino").exists()


def test_an_entry_gone_from_the_registry_is_marked_not_deleted(registry):
    sync_registry()
    entries = registry.entries
    registry.publish([e for e in entries if e["name"] not in ("Dino", "Adium")])
    report = sync_registry()
    found = outcomes(report)
    assert found["Dino"] == found["Adium"] == ("removed", "no longer in the registry")
    assert report.counts["removed"] == 2
    assert Software.objects.filter(slug="dino").exists()
    assert RegistryEntry.objects.get(name="Dino").removed_at is not None
    assert "Dino" not in outcomes(sync_registry())  # said once
    registry.publish(entries)
    assert outcomes(sync_registry())["Dino"] == ("unchanged", "")
    assert RegistryEntry.objects.get(name="Dino").removed_at is None


def test_the_role_follows_the_doap_then_the_registry(registry):
    registry.serve_doap("Scansion", (200, doap("Scansion"), {}))
    registry.serve_doap("Slidge", (200, doap("Slidge"), {}))
    registry.serve_doap("XMPP account exporter", (200, doap("Exporter", "client"), {}))
    registry.serve_doap("Ethora", (200, doap("Ethora"), {}))
    found = outcomes(sync_registry())
    assert found["Scansion"][0] == "not_judged"
    assert "lists it as a tool, which the Compliance Suites do not judge" in found["Scansion"][1]
    assert found["Slidge"][0] == "not_judged"
    assert "server component" in found["Slidge"][1]
    assert found["XMPP account exporter"] == ("created", "")
    assert Software.objects.get(name="Exporter").role == "client"
    assert found["Ethora"] == ("created", "")  # integrated-platform and library: a library
    assert Software.objects.get(name="Ethora").role == "library"
    entry = RegistryEntry.objects.get(name="Scansion")
    assert entry.state == "not_judged"
    assert entry.software is None
    assert outcomes(sync_registry())["Scansion"][0] == "not_judged"  # and still, unchanged


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "not JSON"),
        (b'{"software": []}', "not a JSON list"),
        (b"[]", "empty list"),
        (b"[" + b" " * (5 * 1024 * 1024) + b"]", "more than the limit of 4194304 bytes"),
    ],
)
def test_a_bad_list_changes_nothing(registry, body, message):
    sync_registry()
    stored = sorted(RegistryEntry.objects.values_list("name", "state", "removed_at"))
    registry.site.files["/data/software.json"] = (200, body, {})
    with pytest.raises(SyncFailed, match=message):
        sync_registry()
    assert sorted(RegistryEntry.objects.values_list("name", "state", "removed_at")) == stored
    failed = RegistrySync.objects.latest()
    assert message in failed.error
    assert not failed.running


def test_an_unreachable_registry_changes_nothing(registry):
    registry.site.files["/data/software.json"] = HANG
    with pytest.raises(SyncFailed, match="did not finish within 1 s"):
        sync_registry()
    assert not RegistryEntry.objects.exists()


def test_a_bad_entry_is_refused_and_its_stored_row_kept(registry):
    sync_registry()
    dino = registry.entry("Dino")
    dino["unknown"] = True
    registry.entries.append(
        {
            "name": "<b>Bold</b>",
            "categories": ["client"],
            "doap": None,
            "url": None,
            "platforms": [],
        }
    )
    registry.publish()
    found = outcomes(sync_registry())
    assert found["Dino"][0] == "failed"
    assert "unknown keys: 'unknown'" in found["Dino"][1]
    assert found["entry 196"][0] == "failed"
    assert "holds markup" in found["entry 196"][1]
    entry = RegistryEntry.objects.get(name="Dino")
    assert entry.removed_at is None
    assert entry.software is not None
    assert "unknown keys" in entry.last_error
    assert not RegistryEntry.objects.filter(name__contains="Bold").exists()


def test_new_registry_categories_ask_unconditionally(registry):
    sync_registry()
    registry.entry("Gajim")["categories"] = ["client", "integrated-platform"]
    registry.publish()
    registry.asked.clear()
    assert outcomes(sync_registry())["Gajim"] == ("updated", "")
    assert registry.asked.count((None, None)) == 1  # Gajim's; the other 12 conditional
    assert RegistryEntry.objects.get(name="Gajim").categories == ["client", "integrated-platform"]
