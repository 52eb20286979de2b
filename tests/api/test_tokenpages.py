"""/api/tokens/: a token shown once, stored hashed, named, with its last use, revocable."""

import pytest

from api.models import ApiToken, digest

pytestmark = pytest.mark.django_db


def test_it_shows_a_new_token_once_and_keeps_only_its_digest(client, make_user):
    user = make_user("vendor")
    client.force_login(user)
    response = client.post("/api/tokens/", {"name": "release CI"})
    assert response.status_code == 201
    value = response.context["created"]
    assert value.startswith("xcd_")
    assert value in response.content.decode()
    token = ApiToken.objects.get()
    assert (token.name, token.user, token.digest) == ("release CI", user, digest(value))
    assert value not in client.get("/api/tokens/").content.decode()


def test_it_revokes_only_your_own_tokens(client, make_user):
    mine, value = ApiToken.issue(make_user("vendor"), "mine")
    theirs, _ = ApiToken.issue(make_user("other"), "theirs")
    client.force_login(mine.user)
    assert client.post(f"/api/tokens/{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"/api/tokens/{mine.pk}/revoke/").status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None
    assert theirs.revoked_at is None
    assert "revoked" in client.get("/api/tokens/").content.decode()


def test_it_asks_to_sign_in_first(client):
    assert client.get("/api/tokens/").status_code == 302
