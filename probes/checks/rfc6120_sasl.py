"""RFC 6120 §6 (SASL): mechanisms offered over TLS, and the test account authenticates.

Entity: the domain. Pass: <success/> with a mechanism the probe may use over TLS (SCRAM or PLAIN).
Fail: no usable mechanism offered, or SASL offered without TLS. Could not test: no test account,
or the server refused its credentials (a wrong password is not a server defect).
"""

from probes.errors import AuthenticationFailed, SaslUnusable
from probes.helpers import main_session, stream_feature
from probes.probe import NO_ACCOUNT, Check, Context
from probes.xmpp import SASL, children


async def run(ctx: Context):
    session = await main_session(ctx)
    client = session.client
    mechanisms = stream_feature(client, SASL, "mechanisms") if client else None
    offered = ", ".join(sorted(m.text or "" for m in children(mechanisms))) or "none"
    if isinstance(session.error, SaslUnusable):
        return ctx.failed(str(session.error))
    if not ctx.account:
        if mechanisms is not None:
            return ctx.could_not_test(f"Offered over TLS: {offered}. {NO_ACCOUNT}")
        if session.error is not None:
            raise session.error
        return ctx.failed("No SASL mechanisms were offered after TLS.")
    if isinstance(session.error, AuthenticationFailed):
        return ctx.could_not_test(f"{session.error} Offered: {offered}.")
    if not session.ok:
        raise session.error
    used = client.plugin["feature_mechanisms"].mech.name
    return ctx.passed(f"Authenticated with {used} over TLS (offered: {offered}).")


CHECK = Check("rfc6120-sasl", ("RFC 6120",), "SASL authentication", run)
