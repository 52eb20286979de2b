"""Every write URL of the vendor side, forged: as an anonymous visitor, as another vendor, and
without a CSRF token. Nothing changes, whatever the request."""

import pytest
from django.test import Client

from compliance.entries import write_entry
from compliance.history import Actor
from compliance.models import Change, Claim, Maintainer, Token
from tests.compliance.vendors.posts import editor_post

pytestmark = pytest.mark.django_db

WRITES = [  # (path, the form a maintainer would post)
    ("/software/vendor-server/edit/", {"revision": 1, "name": "Taken over", "role": "server"}),
    (
        "/software/vendor-server/edit/claims/XEP-0030/",
        {"XEP-0030-revision": 0, "XEP-0030-status": "complete"},
    ),
    (
        "/software/vendor-server/edit/preview/",
        {"XEP-0030-revision": 0, "XEP-0030-status": "complete"},
    ),
    ("/software/vendor-server/edit/reimport/", {}),
    ("/software/vendor-server/maintainers/", {"email": "intruder@example.org"}),
    ("/software/vendor-server/maintainers/remove/", {"user": "VENDOR"}),
]


def state():
    return (
        list(Claim.objects.order_by("pk").values()),
        Change.objects.count(),
        list(Maintainer.objects.values_list("user__username", flat=True)),
        Token.objects.filter(purpose=Token.INVITATION).count(),
    )


def form_for(data: dict, vendor) -> dict:
    return {k: (vendor.pk if v == "VENDOR" else v) for k, v in data.items()}


@pytest.mark.parametrize(("path", "data"), WRITES)
@pytest.mark.parametrize("htmx", [False, True])
def test_an_anonymous_write_is_refused(client, entry, vendor, path, data, htmx):
    before = state()
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(path, form_for(data, vendor), headers=headers)
    assert response.status_code == 403
    assert state() == before


@pytest.mark.parametrize(("path", "data"), WRITES)
@pytest.mark.parametrize("htmx", [False, True])
def test_another_vendors_write_is_refused(client, entry, vendor, make_user, path, data, htmx):
    client.force_login(make_user("intruder"))
    before = state()
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(path, form_for(data, vendor), headers=headers)
    assert response.status_code == 403
    assert state() == before


@pytest.mark.parametrize(("path", "data"), WRITES)
def test_a_maintainers_post_without_csrf_token_is_refused(entry, vendor, path, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(vendor)
    before = state()
    assert client.post(path, form_for(data, vendor)).status_code == 403
    assert state() == before


@pytest.mark.parametrize(
    "path", ["/software/vendor-server/edit/", "/software/vendor-server/maintainers/"]
)
def test_the_editor_pages_send_anonymous_visitors_to_sign_in(client, entry, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize(
    "path", ["/software/vendor-server/edit/", "/software/vendor-server/maintainers/"]
)
def test_the_editor_pages_are_forbidden_to_other_users(client, entry, make_user, path):
    client.force_login(make_user("intruder"))
    assert client.get(path).status_code == 403


def test_signing_in_is_needed_to_prove_create_or_accept(client, entry):
    before = state()
    for path in [
        "/software/vendor-server/maintain/",
        "/account/entries/new/",
        "/account/invitations/some-token/",
    ]:
        response = client.post(path, {"method": "well-known", "name": "X", "role": "server"})
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/")
    assert state() == before


def test_a_stale_entry_save_changes_nothing(client, entry, vendor):
    client.force_login(vendor)
    data = editor_post(entry)
    entry.description = "saved by someone else"
    write_entry(entry, actor=Actor("someone"))
    data["description"] = "mine"
    response = client.post("/software/vendor-server/edit/", data)
    assert response.status_code == 409
    entry.refresh_from_db()
    assert entry.description == "saved by someone else"
    assert "was changed by someone else in the meantime" in response.content.decode()
