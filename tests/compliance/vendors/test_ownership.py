"""Proving ownership end to end on the site: the token, Verify now, the maintainer it makes;
new entries stay unverified until proven; tokens are per user and expire."""

from datetime import timedelta

import pytest
from django.utils import timezone

from compliance.models import Change, Maintainer, Software, Token
from compliance.vendors.ownership import TokenExpired, create_entry, proof_token, verify

pytestmark = pytest.mark.django_db
WELL_KNOWN = "/.well-known/xmpp-compliance.txt"


def test_a_well_known_file_makes_the_user_a_maintainer(client, https_site, make_user):
    software = Software.objects.create(
        name="Product", slug="product", role="server", homepage=https_site.url
    )
    alice = make_user("alice")
    client.force_login(alice)
    page = client.get("/software/product/maintain/").content.decode()
    token = Token.objects.get(user=alice, software=software)
    assert token.value in page
    assert f"{https_site.url}{WELL_KNOWN}" in page
    assert "Not possible for this entry: The entry has no DOAP URL" in page
    response = client.post("/software/product/maintain/", {"method": "well-known"}, follow=True)
    assert "Not proven:" in response.content.decode()
    assert "answered HTTP 404" in response.content.decode()
    assert not Maintainer.objects.exists()
    https_site.files[WELL_KNOWN] = (200, f"{token.value}\n".encode(), {})
    response = client.post("/software/product/maintain/", {"method": "well-known"})
    assert response["Location"] == "/software/product/edit/"
    maintainer = Maintainer.objects.get()
    assert (maintainer.user, maintainer.how) == (alice, "proved with a file on the homepage's host")
    change = Change.objects.get(subject="maintainer")
    assert (change.new, change.actor) == ("alice", "alice")
    token.refresh_from_db()
    assert token.used_at is not None
    assert client.get("/software/product/edit/").status_code == 200


def test_a_token_is_one_users_for_one_entry(make_user):
    software = Software.objects.create(name="P", slug="p", role="server")
    other = Software.objects.create(name="Q", slug="q", role="server")
    alice, bob = make_user("alice"), make_user("bob")
    token = proof_token(software, alice)
    assert proof_token(software, alice) == token
    assert proof_token(software, bob) != token
    assert proof_token(other, alice) != token
    assert len(token.value) >= 32


def test_an_expired_token_is_refused_and_replaced(make_user):
    software = Software.objects.create(
        name="P", slug="p", role="server", homepage="https://p.example"
    )
    alice = make_user("alice")
    token = proof_token(software, alice)
    Token.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    token.refresh_from_db()
    with pytest.raises(TokenExpired):
        verify(token, "well-known")
    assert proof_token(software, alice) != token


def test_a_new_entry_is_unverified_until_its_creator_proves_it(client, make_user, dns_zone):
    alice = make_user("alice")
    client.force_login(alice)
    response = client.post(
        "/account/entries/new/",
        {"name": "Brand <New>", "role": "client", "homepage": "https://brand.example/"},
    )
    software = Software.objects.get(name="Brand <New>")
    assert response["Location"] == f"/software/{software.slug}/maintain/"
    assert software.unverified
    page = client.get(f"/software/{software.slug}/").content.decode()
    assert "unverified" in page
    assert "Brand &lt;New&gt;" in page
    token = proof_token(software, alice)
    dns_zone.txt("_xmpp-compliance.brand.example", f"xmpp-compliance={token.value}")
    client.post(f"/software/{software.slug}/maintain/", {"method": "dns"})
    software.refresh_from_db()
    assert not software.unverified


def test_create_entry_gives_a_colliding_name_its_own_slug(make_user):
    Software.objects.create(name="Taken", slug="taken", role="server")
    created = create_entry(
        make_user("alice"), name="Taken", role="server", homepage="", description=""
    )
    assert created.slug == "taken-2"
