"""The claim editor: the page, rows saved through htmx and the whole form without JavaScript,
the live preview, conflicts between two maintainers, escaping, and constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.claims import ClaimValues, write_claims
from compliance.history import Actor
from compliance.models import Change
from suites import catalogue
from tests.compliance.vendors.posts import editor_post

pytestmark = pytest.mark.django_db


def test_the_editor_has_a_row_per_specification_of_the_suites(client, vendor, entry):
    client.force_login(vendor)
    page = client.get("/software/vendor-server/edit/").content.decode()
    assert page.count('class="claim-row"') == len(catalogue.provider_specs()) == 45
    assert "<h2>Core</h2>" in page
    assert "From the DOAP file: planned" in page  # beside the row, read only
    assert 'name="XEP-0313-status"' in page
    assert "With this you reach" not in page


def test_a_row_saves_through_htmx_and_lands_in_the_history(client, vendor, entry):
    client.force_login(vendor)
    response = client.post(
        "/software/vendor-server/edit/claims/XEP-0045/",
        {"XEP-0045-revision": 0, "XEP-0045-status": "complete", "XEP-0045-since_version": "1.5"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Saved." in response.content.decode()
    assert response["HX-Trigger"] == "claim-saved"
    claim = entry.claims.get(spec="XEP-0045", source="self")
    assert (claim.status, claim.since_version) == ("complete", "1.5")
    change = Change.objects.filter(software=entry, spec="XEP-0045").first()
    assert (change.actor, change.user, change.source) == ("vendor", vendor, "self")


def test_the_whole_form_posts_without_javascript(client, vendor, entry):
    client.force_login(vendor)
    data = editor_post(
        entry, **{"XEP-0191": {"status": "complete"}, "XEP-0313": {"status": "complete"}}
    )
    data["description"] = "Edited without JavaScript"
    response = client.post("/software/vendor-server/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry.refresh_from_db()
    assert entry.description == "Edited without JavaScript"
    assert entry.claims.get(spec="XEP-0191").status == "complete"
    assert entry.claims.get(spec="XEP-0313", source="self").status == "complete"
    assert entry.claims.count() == 4  # nothing else written
    fields = set(
        Change.objects.filter(software=entry, actor="vendor").values_list("field", flat=True)
    )
    assert {"description", "status"} <= fields


def test_the_preview_says_what_the_unsaved_form_reaches(client, vendor, make_user):
    from compliance.doap.importer import import_doap
    from compliance.vendors.maintainers import add_maintainer
    from tests.conftest import DOAP_DIR

    software = import_doap(str(DOAP_DIR / "gajim.doap")).software
    add_maintainer(software, vendor, actor=Actor("a test"), how="a test")
    client.force_login(vendor)
    unchanged = client.post(f"/software/{software.slug}/edit/preview/", editor_post(software))
    assert "with this you reach" not in unchanged.content.decode()
    complete = {"status": "complete"}
    for_im = editor_post(
        software, **{"XEP-0410": complete, "XEP-0234": complete, "XEP-0261": complete}
    )
    page = client.post(f"/software/{software.slug}/edit/preview/", for_im).content.decode()
    assert "with this you reach IM Advanced Client 2023" in page
    assert software.claims.filter(source="self").count() == 0  # a preview saves nothing


def test_a_stale_save_is_a_conflict_showing_both_values(client, vendor, make_user, entry):
    other = make_user("other")
    from compliance.vendors.maintainers import add_maintainer

    add_maintainer(entry, other, actor=Actor("a test"), how="a test")
    read = editor_post(entry)  # both read the page at the same revision
    client.force_login(other)
    first = dict(read, **{"XEP-0313-status": "complete", "XEP-0313-note": "theirs"})
    assert client.post("/software/vendor-server/edit/", first).status_code == 302
    client.force_login(vendor)
    second = dict(read, **{"XEP-0313-status": "planned", "XEP-0313-note": "mine"})
    response = client.post("/software/vendor-server/edit/", second)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this claim meanwhile." in page
    assert "Saved now: status complete" in page  # what was saved
    assert "“theirs”" in page
    assert "mine</textarea>" in page  # what you typed is kept
    assert entry.claims.get(spec="XEP-0313", source="self").note == "theirs"
    again = client.post(
        "/software/vendor-server/edit/",
        editor_post(entry, **{"XEP-0313": {"status": "planned", "note": "mine"}}),
    )
    assert again.status_code == 302
    assert entry.claims.get(spec="XEP-0313", source="self").note == "mine"


def test_a_stale_row_through_htmx_is_a_409_with_the_saved_values(client, vendor, entry):
    client.force_login(vendor)
    revision = entry.claims.get(spec="XEP-0313").revision
    write_claims(entry, actor=Actor("someone"), put=[ClaimValues("XEP-0313", "self", "complete")])
    response = client.post(
        "/software/vendor-server/edit/claims/XEP-0313/",
        {"XEP-0313-revision": revision, "XEP-0313-status": "removed"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert "Saved now: status complete" in response.content.decode()
    assert entry.claims.get(spec="XEP-0313").status == "complete"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "data:text/html,x"])
def test_an_evidence_url_must_be_http(client, vendor, entry, url):
    client.force_login(vendor)
    response = client.post(
        "/software/vendor-server/edit/claims/XEP-0030/",
        {"XEP-0030-revision": 0, "XEP-0030-status": "complete", "XEP-0030-evidence_url": url},
    )
    assert response.status_code == 400
    assert "Give an http(s) address." in response.content.decode()
    assert not entry.claims.filter(source="self", spec="XEP-0030").exists()


def test_what_a_vendor_enters_is_escaped_everywhere(client, vendor, entry):
    client.force_login(vendor)
    evil = '<script>alert("x")</script>'
    client.post(
        "/software/vendor-server/edit/claims/XEP-0030/",
        {"XEP-0030-revision": 0, "XEP-0030-status": "complete", "XEP-0030-note": evil},
    )
    for url in [
        "/software/vendor-server/",
        "/software/vendor-server/edit/",
        "/software/vendor-server/history/",
        "/software/vendor-server/history.atom",
        "/software/vendor-server.doap",
    ]:
        body = client.get(url).content.decode()
        assert evil not in body, url
        assert "alert" in body, url  # it is there, escaped


def claims_for(entry, count: int) -> None:
    """count self-assessed claims (on specs the suites name and on others) and their history."""
    specs = sorted(catalogue.provider_specs()) + [f"XEP-{n:04d}" for n in range(500, 700)]
    write_claims(
        entry,
        actor=Actor("a test"),
        put=[ClaimValues(spec, "self", "complete") for spec in specs[:count]],
    )


@pytest.mark.parametrize(
    "url",
    [
        "/software/vendor-server/edit/",
        "/software/vendor-server/history/",
        "/software/vendor-server/history.atom",
        "/software/vendor-server/",
    ],
)
def test_page_queries_do_not_grow_with_claims_or_history(client, vendor, entry, url):
    client.force_login(vendor)
    claims_for(entry, 5)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    claims_for(entry, 100)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_re_import_now_reads_the_doap_url_and_keeps_the_vendors_claims(
    client, vendor, entry, http_server, doap_dir
):
    base, files = http_server
    files["/gajim.doap"] = (200, (doap_dir / "gajim.doap").read_bytes(), {})
    entry.doap_url = f"{base}/gajim.doap"
    entry.save()
    client.force_login(vendor)
    response = client.post("/software/vendor-server/edit/reimport/", follow=True)
    assert "Imported 103 claims from the DOAP file." in response.content.decode()
    entry.refresh_from_db()
    assert entry.claims.filter(source="doap").count() == 103
    assert entry.claims.get(source="self").spec == "XEP-0313"  # the vendor's claim stays
    files["/gajim.doap"] = (404, b"", {})
    response = client.post("/software/vendor-server/edit/reimport/", follow=True)
    assert "The DOAP file was not imported" in response.content.decode()
    assert entry.claims.filter(source="doap").count() == 103
