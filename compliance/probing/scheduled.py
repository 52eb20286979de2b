"""Owners' daily re-probes with their stored test account, and the e-mail sent when an outcome
changed from one run to the next."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from compliance.models import CheckResult, ProbeRun, ServerOwner
from compliance.probing.credentials import CredentialsLost, unseal
from compliance.probing.submit import Refused, submit
from probes.outcomes import best

log = logging.getLogger(__name__)


def queue_reprobes() -> int:
    """One scheduled run per server with an owner who asked for daily re-probes and stored a
    test account (the first such owner's); the number queued."""
    queued = 0
    seen: set[int] = set()
    owners = ServerOwner.objects.filter(reprobe_daily=True).exclude(secret=None)
    for owner in owners.select_related("server", "user").order_by("server", "created_at"):
        if owner.server_id in seen:
            continue
        seen.add(owner.server_id)
        try:
            password = unseal(owner.secret)
            submit(
                owner.server.domain,
                jid=owner.jid,
                password=password,
                user=owner.user,
                scheduled=True,
            )
            queued += 1
        except (Refused, CredentialsLost) as exc:
            log.warning("Scheduled probe of %s not queued: %s", owner.server.domain, exc)
    return queued


def outcomes_of(run: ProbeRun) -> dict[str, str]:
    found: dict[str, list[str]] = {}
    for check, outcome in CheckResult.objects.filter(run=run).values_list("check_id", "outcome"):
        found.setdefault(check, []).append(outcome)
    return {check: best(outcomes) for check, outcomes in found.items()}


def changes(previous: ProbeRun, run: ProbeRun) -> list[tuple[str, str | None, str | None]]:
    """(check, before, after) for each check whose outcome differs between the two runs."""
    before, after = outcomes_of(previous), outcomes_of(run)
    return [
        (check, before.get(check), after.get(check))
        for check in sorted(before.keys() | after.keys())
        if before.get(check) != after.get(check)
    ]


def notify_changes(run: ProbeRun) -> int:
    """E-mail the owners who subscribed when the run's outcomes differ from the previous
    finished run's; the number of messages sent."""
    owners = ServerOwner.objects.filter(server=run.server_id, notify=True).select_related("user")
    recipients = [owner.user.email for owner in owners if owner.user.email]
    if not recipients:
        return 0
    previous = (
        ProbeRun.objects.filter(server=run.server_id, state=ProbeRun.DONE, pk__lt=run.pk)
        .order_by("-pk")
        .first()
    )
    if previous is None:
        return 0
    changed = changes(previous, run)
    if not changed:
        return 0
    domain = run.server.domain
    lines = [
        f"  {check}: {before or 'not run'} → {after or 'not run'}"
        for check, before, after in changed
    ]
    link = settings.SITE_URL.rstrip("/") + reverse("probe-run", args=[run.key])
    body = "\n".join(
        [
            f"The probe of {domain} on {run.finished_at:%Y-%m-%d %H:%M} UTC changed outcomes:",
            "",
            *lines,
            "",
            f"The run: {link}",
            "You get this because you asked for it on the server's page.",
        ]
    )
    subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{domain}: {len(changed)} outcomes changed"
    send_mail(subject, body, None, recipients)
    return len(recipients)
