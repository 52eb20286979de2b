"""The admin writes claims through the one write path, and saves entries of any size."""

import re
from html import unescape

import pytest

from compliance.doap.importer import import_doap
from compliance.models import Claim

pytestmark = pytest.mark.django_db


def form_fields(html: str) -> dict[str, str]:
    """The fields a browser would post from a change form (checkboxes left unticked)."""
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", html):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and not re.search(r'type="(submit|checkbox)"', tag):
            fields[name.group(1)] = unescape(value.group(1)) if value else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        fields[name] = unescape(text.removeprefix("\n"))
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        fields[name] = chosen.group(1) if chosen else ""
    return fields


def test_a_large_entry_saves_from_its_change_page(admin_client, doap_dir):
    prosody = import_doap(str(doap_dir / "prosody.doap")).software
    url = f"/admin/compliance/software/{prosody.pk}/change/"
    fields = form_fields(admin_client.get(url).content.decode())
    assert len(fields) < 100  # the claims are shown, not posted: 117 of them once made 1,079
    fields["description"] = "Edited in the admin"
    response = admin_client.post(url, fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    prosody.refresh_from_db()
    assert prosody.description == "Edited in the admin"
    assert prosody.claims.count() == 117


def test_a_claim_saved_or_deleted_in_the_admin_updates_the_verdicts(admin_client, doap_dir):
    gajim = import_doap(str(doap_dir / "gajim.doap")).software
    assert "XEP-0410" not in gajim.statuses
    response = admin_client.post(
        "/admin/compliance/claim/add/",
        {"software": gajim.pk, "spec": "XEP-0410", "status": "complete", "source": "self"},
    )
    assert response.status_code == 302
    gajim.refresh_from_db()
    assert gajim.statuses["XEP-0410"] == "complete"
    claim = Claim.objects.get(software=gajim, spec="XEP-0410")
    response = admin_client.post(f"/admin/compliance/claim/{claim.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    gajim.refresh_from_db()
    assert "XEP-0410" not in gajim.statuses


def test_a_claims_software_spec_and_source_cannot_be_changed(admin_client, doap_dir):
    gajim = import_doap(str(doap_dir / "gajim.doap")).software
    claim = gajim.claims.get(spec="XEP-0030")
    page = admin_client.get(f"/admin/compliance/claim/{claim.pk}/change/").content.decode()
    assert 'name="status"' in page
    assert 'name="spec"' not in page
    assert 'name="source"' not in page


def test_staff_grant_and_revoke_maintainership_and_both_are_in_the_history(admin_client):
    from django.contrib.auth import get_user_model

    from compliance.models import Change, Maintainer, Software

    software = Software.objects.create(name="S", slug="s", role="server")
    bob = get_user_model().objects.create_user("bob", "bob@example.org", "a long password 1")
    response = admin_client.post(
        "/admin/compliance/maintainer/add/", {"software": software.pk, "user": bob.pk}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    maintainer = Maintainer.objects.get()
    assert maintainer.how == "granted by the admin"
    response = admin_client.post(
        f"/admin/compliance/maintainer/{maintainer.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Maintainer.objects.exists()
    assert list(
        Change.objects.filter(subject="maintainer")
        .order_by("pk")
        .values_list("old", "new", "actor")
    ) == [("", "bob", "admin: admin"), ("bob", "", "admin: admin")]


def test_the_audit_log_cannot_be_edited_in_the_admin(admin_client, doap_dir):
    import_doap(str(doap_dir / "gajim.doap"))
    assert admin_client.get("/admin/compliance/change/").status_code == 200
    assert admin_client.get("/admin/compliance/change/add/").status_code == 403
