"""Owning a probed server: the proofs on its domain (a well-known file on a real HTTPS server,
a TXT record on a real DNS server), the owner's settings (the test account stored sealed, daily
re-probes, notices), "Probe now", and what forged posts and other users cannot do or see."""

import base64
import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from compliance.models import ProbedServer, ProbeRun, ServerOwner, ServerProof
from compliance.probing import ownership
from compliance.probing.credentials import seal, unseal
from compliance.probing.ownership import SESSION_RUNS, can_see_evidence, proof_token, verify
from compliance.vendors.proofs import DNS, WELL_KNOWN
from tests.compliance.probing.runs import add_run
from tests.compliance.probing.test_submit import public_zone, queued  # noqa: F401 - fixtures
from tests.servers.dns import LoopbackDNS, Zone

pytestmark = pytest.mark.django_db
FILE = "/.well-known/xmpp-compliance.txt"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def dns_zone(settings):
    """A DNS server on loopback that the site's lookups ask (FETCH_NAMESERVER)."""
    zone = Zone()
    with LoopbackDNS(zone) as server:
        settings.FETCH_NAMESERVER = server.nameserver
        settings.OWNERSHIP_PROOF_TIMEOUT = 2
        yield zone


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def owned_by(user, domain="example.org", **fields) -> ServerOwner:
    server, _ = ProbedServer.objects.get_or_create(domain=domain)
    return ServerOwner.objects.create(server=server, user=user, how="DNS TXT", **fields)


def test_a_well_known_file_on_the_domain_makes_the_user_an_owner(https_site, make_user):
    # The test server listens on a port of its own: a domain with it stands for one on 443.
    domain = https_site.url.removeprefix("https://")
    server = ProbedServer.objects.create(domain=domain)
    alice = make_user("alice")
    client = signed_in(alice)
    page = client.get(f"/servers/{domain}/own/").content.decode()
    proof = ServerProof.objects.get(server=server, user=alice)
    assert proof.value in page
    assert f"https://{domain}{FILE}" in page
    assert "Not possible for this server: 127.0.0.1 is an IP address" in page
    response = client.post(f"/servers/{domain}/own/", {"method": WELL_KNOWN}, follow=True)
    assert "Not proven:" in response.content.decode()
    assert "answered HTTP 404" in response.content.decode()
    https_site.files[FILE] = (200, b"someone-else's-token\n", {})
    client.post(f"/servers/{domain}/own/", {"method": WELL_KNOWN})
    proof.refresh_from_db()
    assert "no line is the token" in proof.last_result
    assert not ServerOwner.objects.exists()
    https_site.files[FILE] = (200, f"# ours\n{proof.value}\n".encode(), {})
    response = client.post(f"/servers/{domain}/own/", {"method": WELL_KNOWN})
    assert response["Location"] == f"/servers/{domain}/settings/"
    owner = ServerOwner.objects.get()
    assert (owner.server, owner.user, owner.how) == (server, alice, "well-known file")
    proof.refresh_from_db()
    assert proof.used_at is not None
    assert proof.last_result == f"https://{domain}{FILE} holds the token."
    assert client.get(f"/servers/{domain}/settings/").status_code == 200


def test_a_txt_record_on_the_domain_proves_it_and_a_wrong_or_missing_one_says_why(
    dns_zone, make_user
):
    server = ProbedServer.objects.create(domain="example.org")
    proof = proof_token(server, make_user("alice"))
    result = verify(proof, DNS)
    assert not result.ok
    assert result.detail == (
        "_xmpp-compliance.example.org has no TXT record; add one with the value "
        f"'xmpp-compliance={proof.value}'."
    )
    dns_zone.txt("_xmpp-compliance.example.org", f"xmpp-compliance={proof.value}x")
    result = verify(proof, DNS)
    assert "has 1 TXT record(s), but none is exactly" in result.detail
    assert not ServerOwner.objects.exists()
    dns_zone.txt("_xmpp-compliance.example.org", f"xmpp-compliance={proof.value}")
    result = verify(proof, DNS)
    assert result.ok, result.detail
    assert ServerOwner.objects.get().how == "DNS TXT"
    proof.refresh_from_db()
    assert (proof.used_at, proof.last_result) == (proof.last_checked_at, result.detail)


def test_a_proof_is_one_users_for_one_server_and_expires(make_user):
    server = ProbedServer.objects.create(domain="example.org")
    other = ProbedServer.objects.create(domain="other.example")
    alice, bob = make_user("alice"), make_user("bob")
    proof = proof_token(server, alice)
    assert proof_token(server, alice) == proof
    assert proof_token(server, bob) != proof
    assert proof_token(other, alice) != proof
    assert proof.expires_at - proof.created_at == timedelta(days=14)
    ServerProof.objects.filter(pk=proof.pk).update(expires_at=timezone.now())
    proof.refresh_from_db()
    with pytest.raises(ownership.TokenExpired):
        verify(proof, DNS)
    assert proof_token(server, alice) != proof


def test_anonymous_visitors_are_sent_to_sign_in_and_their_posts_refused():
    server = ProbedServer.objects.create(domain="example.org")
    client = Client()
    for page in ("own", "settings"):
        response = client.get(f"/servers/{server.domain}/{page}/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/servers/example.org/")
    form = {"action": "preferences", "notify": "on"}
    assert client.post("/servers/example.org/settings/", form).status_code == 403
    assert client.post("/servers/example.org/probe-now/").status_code == 403
    assert client.get("/servers/unknown.example/own/").status_code == 302  # signs in first
    assert not ServerProof.objects.exists()


def test_an_owner_stores_the_account_sealed_and_never_sees_the_password_again(make_user, caplog):
    caplog.set_level(logging.DEBUG)
    owner = owned_by(make_user("alice"))
    client = signed_in(owner.user)
    response = client.post(
        "/servers/example.org/settings/",
        {"action": "account", "jid": "probe@other.example", "password": PASSWORD},
    )
    assert response.status_code == 400
    assert "must be an account on example.org" in response.content.decode()
    assert PASSWORD not in response.content.decode()
    response = client.post(
        "/servers/example.org/settings/",
        {"action": "account", "jid": "probe@Example.org", "password": PASSWORD},
        follow=True,
    )
    page = response.content.decode()
    assert "The test account probe@example.org is stored." in page
    assert PASSWORD not in page
    owner.refresh_from_db()
    assert owner.jid == "probe@example.org"
    assert unseal(owner.secret) == PASSWORD
    stored = bytes(owner.secret)
    for form in (PASSWORD.encode(), base64.b64encode(PASSWORD.encode())):
        assert form not in stored
        assert form.decode() not in caplog.text
    client.post(
        "/servers/example.org/settings/",
        {"action": "account", "jid": "other@example.org", "password": "another one"},
    )
    owner.refresh_from_db()
    assert (owner.jid, unseal(owner.secret)) == ("other@example.org", "another one")
    client.post("/servers/example.org/settings/", {"action": "delete-account"})
    owner.refresh_from_db()
    assert (owner.jid, owner.secret) == ("", None)


def test_daily_re_probes_need_a_stored_account_and_notices_are_saved(make_user):
    owner = owned_by(make_user("alice"))
    client = signed_in(owner.user)
    form = {"action": "preferences", "reprobe_daily": "on", "notify": "on"}
    response = client.post("/servers/example.org/settings/", form)
    assert response.status_code == 400
    assert "store one first" in response.content.decode()
    owner.refresh_from_db()
    assert (owner.reprobe_daily, owner.notify) == (False, False)
    ownership.store_account(owner, "probe@example.org", PASSWORD)
    assert client.post("/servers/example.org/settings/", form).status_code == 302
    owner.refresh_from_db()
    assert (owner.reprobe_daily, owner.notify) == (True, True)
    page = client.get("/servers/example.org/settings/").content.decode()
    assert 'name="reprobe_daily" id="id_reprobe_daily" checked' in page
    ownership.delete_account(owner)
    owner.refresh_from_db()
    assert (owner.reprobe_daily, owner.notify) == (False, True)


def test_another_user_cannot_change_an_owners_settings_or_probe_with_their_account(make_user):
    owner = owned_by(make_user("alice"), jid="probe@example.org", secret=seal(PASSWORD))
    mallory = signed_in(make_user("mallory"))
    assert mallory.get("/servers/example.org/settings/").status_code == 403
    forged = [
        {"action": "account", "jid": "evil@example.org", "password": "x", "owner": owner.pk},
        {"action": "delete-account", "owner": owner.pk, "user": owner.user_id},
        {"action": "preferences", "reprobe_daily": "on", "notify": "on", "owner": owner.pk},
    ]
    for form in forged:
        assert mallory.post("/servers/example.org/settings/", form).status_code == 403
    assert mallory.post("/servers/example.org/probe-now/", {"owner": owner.pk}).status_code == 403
    owner.refresh_from_db()
    assert (owner.jid, unseal(owner.secret), owner.reprobe_daily) == (
        "probe@example.org",
        PASSWORD,
        False,
    )
    assert not ProbeRun.objects.exists()
    assert "Your settings" not in mallory.get("/servers/example.org/").content.decode()
    assert "Your settings" in signed_in(owner.user).get("/servers/example.org/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_probe_now_uses_the_requesting_owners_own_account_only(
    make_user,
    public_zone,  # noqa: F811
    queued,  # noqa: F811
):
    alice = owned_by(make_user("alice"), jid="alice@example.org", secret=seal(PASSWORD))
    bob = owned_by(make_user("bob"))  # an owner without a stored account
    client = signed_in(bob.user)
    response = client.post("/servers/example.org/probe-now/", {"owner": alice.pk}, follow=True)
    assert "Store a test account first." in response.content.decode()
    assert not ProbeRun.objects.exists()
    response = signed_in(alice.user).post("/servers/example.org/probe-now/")
    run = ProbeRun.objects.get()
    assert response["Location"] == f"/probe/runs/{run.key}/"
    assert (run.requested_by, run.jid, unseal(run.secret)) == (
        alice.user,
        "alice@example.org",
        PASSWORD,
    )
    assert queued == [run.pk]


def test_evidence_of_an_account_run_is_for_who_asked_the_owners_and_the_session(make_user):
    alice, bob, mallory = make_user("alice"), make_user("bob"), make_user("mallory")
    server = ProbedServer.objects.create(domain="example.org")
    public = add_run(server, {"xep0030-disco": "pass"})
    account = add_run(server, {"xep0030-disco": "pass"}, day=1, jid="probe@example.org")
    ProbeRun.objects.filter(pk=account.pk).update(requested_by=alice)
    account.refresh_from_db()
    ServerOwner.objects.create(server=server, user=bob, how="DNS TXT")
    anonymous = type("Anonymous", (), {"is_authenticated": False, "pk": None})()
    assert can_see_evidence(public, anonymous, {})
    assert not can_see_evidence(account, anonymous, {})
    assert not can_see_evidence(account, None, {})
    assert not can_see_evidence(account, mallory, {})
    assert can_see_evidence(account, alice, {})
    assert can_see_evidence(account, bob, {})
    assert can_see_evidence(account, anonymous, {SESSION_RUNS: [str(account.key)]})
    assert not can_see_evidence(account, mallory, {SESSION_RUNS: [str(public.key)]})
    evidence = "&lt;iq&gt;xep0030-disco evidence&lt;/iq&gt;"
    assert evidence not in Client().get("/servers/example.org/").content.decode()
    assert evidence not in signed_in(mallory).get("/servers/example.org/").content.decode()
    assert evidence in signed_in(bob).get("/servers/example.org/").content.decode()
    assert evidence in signed_in(alice).get("/servers/example.org/").content.decode()
    page = Client().get("/servers/example.org/").content.decode()
    assert "xep0030-disco is pass on entity 0." in page  # outcomes and details stay public
    assert "shown only to whoever asked for it" in page


def test_a_crash_while_storing_the_account_reports_no_password(make_user, monkeypatch, settings):
    from django.core import mail

    def crash(owner, jid, password):
        raise RuntimeError("the database went away")

    settings.ADMINS = [("Admin", "admin@example.org")]
    monkeypatch.setattr(ownership, "store_account", crash)
    owner = owned_by(make_user("alice"))
    client = signed_in(owner.user)
    client.raise_request_exception = False
    form = {"action": "account", "jid": "probe@example.org", "password": PASSWORD}
    assert client.post("/servers/example.org/settings/", form).status_code == 500
    [report] = mail.outbox
    text = report.body + "".join(str(content) for content, _ in report.alternatives)
    assert "the database went away" in text
    assert PASSWORD not in text
    assert base64.b64encode(PASSWORD.encode()).decode() not in text


def test_an_owners_page_of_an_unknown_or_unstorable_domain_is_a_404(make_user):
    client = signed_in(make_user("someone"))
    for domain in ("unknown.example", "a%00b"):  # a NUL: PostgreSQL would refuse the query
        for page in ("own", "settings", "probe-now"):
            respond = client.post if page == "probe-now" else client.get
            assert respond(f"/servers/{domain}/{page}/").status_code == 404
