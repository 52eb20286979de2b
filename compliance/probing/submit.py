"""Submitting a server for probing: validation, limits, and the run queued for a worker.

The domain is read as IDNA (stored in its A-label form); IP literals and ports are refused. A
test account must belong to the domain. One active run per domain; at most
PROBE_RUNS_PER_DOMAIN_HOUR runs of a domain and PROBE_RUNS_PER_CLIENT_HOUR from one client
address in an hour. A domain whose addresses are all private is refused before any connection.
Each refusal says why, and when to retry where waiting helps.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import idna
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

import probes
from compliance.bridge import run_async
from compliance.models import ProbedServer, ProbeRun
from compliance.probing.credentials import seal
from probes.connect import is_ip_literal
from probes.options import Options
from probes.preflight import refusal
from probes.runner import selected

WINDOW = timedelta(hours=1)


class Refused(Exception):
    """The submission is not accepted; the message says why (and when to retry)."""

    def __init__(self, message: str, retry_at: datetime | None = None) -> None:
        super().__init__(message)
        self.retry_at = retry_at


@dataclass(frozen=True)
class Account:
    jid: str
    password: str = field(repr=False)  # never in a traceback's locals or a log line


def normalize_domain(text: str) -> str:
    """The A-label form of a domain typed by a person, or Refused saying what is wrong."""
    domain = text.strip().rstrip(".")
    if not domain:
        raise Refused("Enter the XMPP domain to probe, e.g. example.org.")
    if is_ip_literal(domain.strip("[]")):
        raise Refused("Enter a domain name, not an IP address: XMPP servers are found by name.")
    if any(c in domain for c in ":/@ \\"):
        raise Refused(
            f"{text.strip()!r} is not a domain: enter the name alone, without a port, a path "
            "or a user (e.g. example.org)."
        )
    try:
        ascii_domain = idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise Refused(f"{text.strip()!r} is not a valid domain name ({exc}).") from exc
    if "." not in ascii_domain or len(ascii_domain) > 253:
        raise Refused(f"{text.strip()!r} is not a full domain name such as example.org.")
    return ascii_domain


@sensitive_variables("password")
def check_account(domain: str, jid: str, password: str) -> Account | None:
    jid, password = jid.strip(), password
    if not jid and not password:
        return None
    if not (jid and password):
        raise Refused("A test account needs both its address (JID) and its password.")
    local, _, rest = jid.partition("@")
    try:
        host = normalize_domain(rest.split("/")[0]) if rest else ""
    except Refused:
        host = ""
    if not local or host != domain:
        raise Refused(f"The test account must be an account on {domain} (user@{domain}).")
    return Account(f"{local}@{domain}", password)


def client_key(address: str) -> str:
    """A keyed digest of a client address: limits need to compare them, not to keep them."""
    if not address:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def probe_options(domain: str, account: Account | None = None, **extra) -> Options:
    """The probe's options for a run of the service, from the PROBE_* settings."""
    return Options(
        domain=domain,
        jid=account.jid if account else None,
        password=account.password if account else None,
        ca_file=settings.PROBE_CA_FILE,
        nameserver=settings.PROBE_NAMESERVER,
        allow_networks=tuple(settings.PROBE_ALLOW_NETWORKS),
        run_timeout=settings.PROBE_TIMEOUT,
        check_timeout=min(25.0, settings.PROBE_TIMEOUT),
        **extra,
    )


def _limit(runs, limit: int, what: str, now: datetime) -> None:
    recent = list(runs.filter(created_at__gt=now - WINDOW).order_by("-created_at")[:limit])
    if len(recent) >= limit:
        retry_at = recent[-1].created_at + WINDOW
        raise Refused(
            f"At most {limit} runs {what} an hour: try again after {retry_at:%H:%M} UTC.",
            retry_at,
        )


@sensitive_variables("password")
def submit(
    domain_text: str,
    *,
    jid: str = "",
    password: str = "",
    user=None,
    client_address: str = "",
    scheduled: bool = False,
    now: datetime | None = None,
) -> ProbeRun:
    """Queue a probe run, or Refused. The password is stored encrypted, until the run ends."""
    from compliance.tasks import probe_run  # compliance.tasks imports this module

    now = now or timezone.now()
    domain = normalize_domain(domain_text)
    account = check_account(domain, jid, password)
    key = client_key(client_address)
    blocked = run_async(refusal, probe_options(domain))
    if blocked:
        raise Refused(
            f"{domain} is not probed: its XMPP service resolves only to addresses the probe "
            f"may not reach. {blocked}"
        )
    with transaction.atomic():
        server, _ = ProbedServer.objects.get_or_create(domain=domain)
        server = ProbedServer.objects.select_for_update().get(pk=server.pk)
        active = server.runs.filter(state__in=ProbeRun.ACTIVE).first()
        if active:
            raise Refused(f"{domain} is being probed now: wait for that run to end.")
        if not scheduled:
            _limit(server.runs.all(), settings.PROBE_RUNS_PER_DOMAIN_HOUR, f"of {domain}", now)
            if key:
                runs = ProbeRun.objects.filter(client_key=key)
                _limit(runs, settings.PROBE_RUNS_PER_CLIENT_HOUR, "from one address", now)
        run = ProbeRun.objects.create(
            server=server,
            requested_by=user if user is not None and user.is_authenticated else None,
            client_key=key,
            scheduled=scheduled,
            created_at=now,
            probe_version=probes.__version__,
            options={"timeout": settings.PROBE_TIMEOUT, "account": bool(account)},
            jid=account.jid if account else "",
            secret=seal(account.password) if account else None,
            total_checks=len(selected(())),
        )
        transaction.on_commit(lambda: probe_run.delay(run.pk))
    return run
