"""Submitting a server: what is refused and why, the limits, and the password at rest."""

import base64
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from compliance.models import ProbedServer, ProbeRun
from compliance.probing.credentials import CredentialsLost, rotate, seal, unseal
from compliance.probing.submit import Refused, check_account, normalize_domain, submit
from tests.servers import LOOPBACK
from tests.servers.dns import LoopbackDNS, Zone

PASSWORD = "correct horse battery staple"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("example.org", "example.org"),
        ("  Example.ORG. ", "example.org"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("XN--BCHER-KVA.example", "xn--bcher-kva.example"),
    ],
)
def test_domains_are_read_as_idna(text, expected):
    assert normalize_domain(text) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "Enter the XMPP domain"),
        ("192.0.2.1", "not an IP address"),
        ("[2001:db8::1]", "not an IP address"),
        ("example.org:5222", "without a port"),
        ("xmpp://example.org", "without a port"),
        ("user@example.org", "without a port, a path or a user"),
        ("localhost", "full domain name"),
        ("-bad-.example", "not a valid domain name"),
        ("a" * 64 + ".example", "not a valid domain name"),
    ],
)
def test_bad_domains_are_refused_saying_why(text, words):
    with pytest.raises(Refused, match=words):
        normalize_domain(text)


def test_the_account_must_belong_to_the_domain():
    assert check_account("example.org", "", "") is None
    account = check_account("example.org", "probe@Example.org/res", PASSWORD)
    assert (account.jid, account.password) == ("probe@example.org", PASSWORD)
    for jid in ("probe@other.example", "probe@sub.example.org", "@example.org", "example.org"):
        with pytest.raises(Refused, match="must be an account on example.org"):
            check_account("example.org", jid, PASSWORD)
    with pytest.raises(Refused, match="both its address"):
        check_account("example.org", "probe@example.org", "")


def test_passwords_are_sealed_and_rotate(settings):
    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.PROBE_CREDENTIALS_KEY = [old]
    token = seal(PASSWORD)
    assert PASSWORD.encode() not in token
    assert base64.b64encode(PASSWORD.encode()) not in token
    settings.PROBE_CREDENTIALS_KEY = [new, old]
    assert unseal(token) == PASSWORD
    rotated = rotate(token)
    settings.PROBE_CREDENTIALS_KEY = [new]
    assert unseal(rotated) == PASSWORD
    with pytest.raises(CredentialsLost):
        unseal(token)


@pytest.fixture
def public_zone(settings):
    """A loopback DNS naming example.org's server at a public address, which
    the submission's preflight accepts without connecting anywhere."""
    zone = Zone()
    zone.address("xmpp.example.org", "93.184.215.14")
    zone.srv("_xmpp-client._tcp.example.org", "xmpp.example.org", 5222)
    with LoopbackDNS(zone) as dns:
        settings.PROBE_NAMESERVER = dns.nameserver
        yield dns


@pytest.fixture
def queued(monkeypatch):
    """The runs the submissions queued: the task is not run (no worker in these tests)."""
    from compliance import tasks

    sent = []
    monkeypatch.setattr(tasks.probe_run, "delay", sent.append)
    return sent


@pytest.mark.django_db(transaction=True)
def test_a_submission_queues_one_run_with_its_id_only(public_zone, queued, make_user):
    user = make_user("alice")
    run = submit("example.org", jid="probe@example.org", password=PASSWORD, user=user)
    assert queued == [run.pk]
    run.refresh_from_db()
    assert (run.state, run.requested_by, run.jid) == (ProbeRun.QUEUED, user, "probe@example.org")
    assert unseal(run.secret) == PASSWORD
    assert PASSWORD.encode() not in bytes(run.secret)
    assert run.total_checks > 30
    assert run.probe_version


@pytest.mark.django_db(transaction=True)
def test_one_active_run_per_domain(public_zone, queued):
    submit("example.org")
    with pytest.raises(Refused, match="being probed now"):
        submit("Example.org.")
    ProbeRun.objects.update(state=ProbeRun.DONE)
    submit("example.org")
    assert len(queued) == 2


@pytest.mark.django_db(transaction=True)
def test_runs_per_domain_and_per_client_are_limited_per_hour(public_zone, queued, settings):
    settings.PROBE_RUNS_PER_DOMAIN_HOUR = 2
    settings.PROBE_RUNS_PER_CLIENT_HOUR = 3
    now = timezone.now()
    for minutes in (50, 10):
        submit("example.org", client_address="198.51.100.7", now=now - timedelta(minutes=minutes))
        ProbeRun.objects.update(state=ProbeRun.DONE)
    with pytest.raises(Refused, match="At most 2 runs of example.org an hour") as refused:
        submit("example.org", now=now)
    assert refused.value.retry_at == now - timedelta(minutes=50) + timedelta(hours=1)
    assert f"{refused.value.retry_at:%H:%M} UTC" in str(refused.value)
    # the client's third run went to another domain; its fourth, to a third one, is refused
    other = ProbedServer.objects.create(domain="other.example")
    ProbeRun.objects.create(
        server=other, client_key=ProbeRun.objects.first().client_key, state="done", created_at=now
    )
    later = now + timedelta(minutes=5)
    with pytest.raises(Refused, match="At most 3 runs from one address"):
        submit("third.example", client_address="198.51.100.7", now=later)
    submit("third.example", client_address="203.0.113.9", now=later)
    assert ProbeRun.objects.filter(client_key="").count() == 0
    assert "198.51.100.7" not in ProbeRun.objects.first().client_key


@pytest.mark.django_db(transaction=True)
def test_a_domain_with_only_private_addresses_is_refused_before_any_connection(settings, queued):
    zone = Zone()
    zone.address("xmpp.intranet.example", "10.1.2.3")
    zone.srv("_xmpp-client._tcp.intranet.example", "xmpp.intranet.example", 5222)
    zone.address("loop.example", "127.0.0.1")
    with LoopbackDNS(zone) as dns:
        settings.PROBE_NAMESERVER = dns.nameserver
        for domain in ("intranet.example", "loop.example"):
            with pytest.raises(
                Refused,
                match=f"{domain} is not probed: its XMPP service resolves only to addresses",
            ):
                submit(domain)
        settings.PROBE_ALLOW_NETWORKS = ["10.0.0.0/8", *LOOPBACK]
        submit("intranet.example")
    assert len(queued) == 1
    assert not ProbeRun.objects.filter(server__domain="loop.example").exists()


@pytest.mark.django_db
def test_rotate_probe_credentials_re_encrypts_what_is_stored(settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.PROBE_CREDENTIALS_KEY = [old]
    server = ProbedServer.objects.create(domain="example.org")
    run = ProbeRun.objects.create(server=server, jid="p@example.org", secret=seal(PASSWORD))
    settings.PROBE_CREDENTIALS_KEY = [new, old]
    out, err = io.StringIO(), io.StringIO()
    call_command("rotate_probe_credentials", stdout=out, stderr=err)
    assert "1 passwords re-encrypted" in out.getvalue()
    settings.PROBE_CREDENTIALS_KEY = [new]
    run.refresh_from_db()
    assert unseal(run.secret) == PASSWORD
    settings.PROBE_CREDENTIALS_KEY = [Fernet.generate_key().decode()]
    call_command("rotate_probe_credentials", stdout=out, stderr=err)
    assert "1 passwords could not be decrypted" in err.getvalue()
