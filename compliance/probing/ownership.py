"""Who may see what of a server's runs, and ownership of a server: the proof (a token on the
domain's web server or in its DNS), and the owner's settings (a stored test account, daily
re-probes, change notices).

Evidence of a run made with a test account can hold that account's data: it is shown only to
whoever asked for the run (signed in, or the browser session that submitted it) and to the
server's owners. Outcomes and their one-line explanations are public.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from compliance.models import ProbedServer, ProbeRun, ServerOwner, ServerProof
from compliance.probing.credentials import seal, unseal
from compliance.probing.submit import Refused, check_account, submit
from compliance.vendors import proofs

SESSION_RUNS = "probe_runs"  # the keys (str) of the runs this browser session submitted
REMEMBERED_RUNS = 50


def remember_run(session, run: ProbeRun) -> None:
    """This session submitted the run: it may see its evidence (the newest 50 are kept)."""
    session[SESSION_RUNS] = [*session.get(SESSION_RUNS, [])[1 - REMEMBERED_RUNS :], str(run.key)]


def can_see_evidence(run: ProbeRun, user, session) -> bool:
    if not run.jid:
        return True
    if str(run.key) in session.get(SESSION_RUNS, []):
        return True
    if user is None or not user.is_authenticated:
        return False
    if run.requested_by_id == user.pk:
        return True
    return ServerOwner.objects.filter(server=run.server_id, user=user).exists()


# Ownership of a server: proven like a software entry's (compliance/vendors/proofs.py), on the
# domain itself, and the owner's settings.

PROOF_DAYS = 14
METHODS = {
    proofs.WELL_KNOWN: "a file on the domain's web server",
    proofs.DNS: "a DNS TXT record",
}
HOW = {proofs.WELL_KNOWN: "well-known file", proofs.DNS: "DNS TXT"}


class TokenExpired(Exception):
    """The proof token is past its date: a new one is handed out."""


def proof_token(server: ProbedServer, user) -> ServerProof:
    """The user's open proof token for this server, or a new one."""
    now = timezone.now()
    open_proofs = ServerProof.objects.filter(
        server=server, user=user, used_at=None, expires_at__gt=now
    )
    return open_proofs.order_by("-created_at").first() or ServerProof.objects.create(
        server=server,
        user=user,
        value=secrets.token_urlsafe(24),
        created_at=now,
        expires_at=now + timedelta(days=PROOF_DAYS),
    )


def location(method: str, server: ProbedServer) -> str:
    """Where to publish the token: the well-known URL on the domain, or the TXT record's name."""
    if method not in METHODS:
        raise ValueError(f"Unknown proof method {method!r}.")
    return proofs.host_location(method, server.domain)


def verify(proof: ServerProof, method: str) -> proofs.ProofResult:
    """Check the proof now; on success its user owns the server. The result is kept on the
    proof either way. ProofUnavailable when the domain cannot be proven that way."""
    if proof.expires_at <= timezone.now():
        raise TokenExpired("This token has expired; here is a new one to publish instead.")
    result = proofs.check_at(method, location(method, proof.server), proof.value)
    with transaction.atomic():
        proof.last_checked_at = timezone.now()
        proof.last_result = result.detail
        if result.ok:
            proof.used_at = proof.last_checked_at
            ServerOwner.objects.get_or_create(
                server=proof.server, user=proof.user, defaults={"how": HOW[method]}
            )
        proof.save(update_fields=["last_checked_at", "last_result", "used_at"])
    return result


def owner_row(server: ProbedServer, user) -> ServerOwner | None:
    """The user's own ownership of the server (never another owner's), or None."""
    if user is None or not user.is_authenticated:
        return None
    return ServerOwner.objects.filter(server=server, user=user).first()


class NoAccount(Exception):
    """What needs a stored test account was asked without one."""


@sensitive_variables("password", "account")
def store_account(owner: ServerOwner, jid: str, password: str) -> None:
    """Store (or replace) the owner's test account: an account on the domain, its password
    sealed. Refused (compliance.probing.submit) when it is not one."""
    account = check_account(owner.server.domain, jid, password)
    if account is None:
        raise Refused("Enter the test account's address (JID) and its password.")
    owner.jid, owner.secret = account.jid, seal(account.password)
    owner.save(update_fields=["jid", "secret"])


def delete_account(owner: ServerOwner) -> None:
    """Forget the stored account; the daily re-probes, which need it, stop."""
    owner.jid, owner.secret, owner.reprobe_daily = "", None, False
    owner.save(update_fields=["jid", "secret", "reprobe_daily"])


def set_preferences(owner: ServerOwner, *, reprobe_daily: bool, notify: bool) -> None:
    """Daily re-probes (with the stored account, which they need) and change notices."""
    if reprobe_daily and owner.secret is None:
        raise NoAccount("Daily re-probes use the stored test account: store one first.")
    owner.reprobe_daily, owner.notify = reprobe_daily, notify
    owner.save(update_fields=["reprobe_daily", "notify"])


@sensitive_variables()
def probe_now(owner: ServerOwner, *, client_address: str = "") -> ProbeRun:
    """Queue a run with the owner's stored account, requested by the owner; Refused as any
    submission, NoAccount without one, CredentialsLost when its key is gone."""
    if owner.secret is None:
        raise NoAccount("Store a test account first.")
    return submit(
        owner.server.domain,
        jid=owner.jid,
        password=unseal(owner.secret),
        user=owner.user,
        client_address=client_address,
    )
