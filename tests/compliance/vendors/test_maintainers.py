"""Maintainers: invitations by e-mail (single-purpose, expiring, stored as a digest), removal,
and the last maintainer who cannot leave; every change in the history."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from compliance.history import Actor
from compliance.models import Change, Maintainer, Token
from compliance.vendors.maintainers import LastMaintainer, add_maintainer, remove_maintainer

pytestmark = pytest.mark.django_db


def invitation_link(message) -> str:
    return re.search(r"http://testserver(/account/invitations/[^/\s]+/)", message.body).group(1)


def test_an_invitation_by_e_mail_makes_a_maintainer(client, entry, vendor, make_user):
    client.force_login(vendor)
    response = client.post("/software/vendor-server/maintainers/", {"email": "bob@vendor.example"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["bob@vendor.example"]
    link = invitation_link(message)
    raw = link.split("/")[-2]
    assert not Token.objects.filter(value=raw).exists()  # only its digest is stored
    bob = make_user("bob")
    client.force_login(bob)
    assert client.post(link)["Location"] == "/software/vendor-server/edit/"
    assert Maintainer.objects.filter(software=entry, user=bob, how="invited by vendor").exists()
    again = client.post(link, follow=True).content.decode()
    assert "This invitation has been used already." in again


def test_an_expired_or_unknown_invitation_is_refused(client, entry, vendor, make_user):
    client.force_login(vendor)
    client.post("/software/vendor-server/maintainers/", {"email": "bob@vendor.example"})
    link = invitation_link(mail.outbox[0])
    Token.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(make_user("bob"))
    assert "has expired" in client.post(link, follow=True).content.decode()
    unknown = client.post("/account/invitations/nothing-like-it/", follow=True)
    assert "This invitation link is not known." in unknown.content.decode()
    assert Maintainer.objects.count() == 1


def test_the_last_maintainer_cannot_leave_but_staff_can_remove_them(entry, vendor, make_user):
    with pytest.raises(LastMaintainer):
        remove_maintainer(entry, vendor, actor=Actor.person(vendor))
    staff = make_user("staff", is_staff=True)
    remove_maintainer(entry, vendor, actor=Actor.admin(staff))
    assert not Maintainer.objects.exists()
    change = Change.objects.filter(subject="maintainer").first()
    assert (change.old, change.new, change.actor) == ("vendor", "", "admin: staff")


def test_a_maintainer_removes_another_and_leaves_when_not_last(client, entry, vendor, make_user):
    bob = make_user("bob")
    add_maintainer(entry, bob, actor=Actor("a test"), how="a test")
    client.force_login(vendor)
    client.post("/software/vendor-server/maintainers/remove/", {"user": bob.pk})
    assert list(entry.maintainers.values_list("user__username", flat=True)) == ["vendor"]
    response = client.post(
        "/software/vendor-server/maintainers/remove/", {"user": vendor.pk}, follow=True
    )
    assert "You are the last maintainer" in response.content.decode()
    assert entry.maintainers.count() == 1


def test_no_e_mail_address_is_shown_publicly(client, entry, vendor):
    client.force_login(vendor)
    client.post("/software/vendor-server/maintainers/", {"email": "bob@vendor.example"})
    client.logout()
    for url in [
        "/software/vendor-server/",
        "/software/vendor-server/history/",
        "/software/vendor-server/history.atom",
        "/software/",
    ]:
        body = client.get(url).content.decode()
        assert "@vendor.example" not in body, url


def test_password_reset_and_email_change_are_there(client, vendor):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=vendor, email=vendor.email, verified=True, primary=True)
    response = client.post("/accounts/password/reset/", {"email": vendor.email})
    assert response.status_code == 302
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body
    client.force_login(vendor)
    assert client.get("/accounts/email/").status_code == 200
