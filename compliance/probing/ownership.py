"""Who may see what of a server's runs, and (to come in this module) ownership of a server.

Evidence of a run made with a test account can hold that account's data: it is shown only to
whoever asked for the run (signed in, or the browser session that submitted it) and to the
server's owners. Outcomes and their one-line explanations are public.
"""

from __future__ import annotations

from compliance.models import ProbeRun, ServerOwner

SESSION_RUNS = "probe_runs"  # the keys (str) of the runs this browser session submitted


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
