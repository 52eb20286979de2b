"""RFC 6120 §5 (STARTTLS): offered in the first stream features and negotiated.

Entity: the domain. Pass: <starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/> is offered, the
server answers <proceed/> and the TLS handshake completes (the certificate itself is judged by
rfc7590-tls). Fail: not offered, or <failure/>. Could not test: the probe aborted the handshake
because it did not accept the certificate.
"""

from probes.errors import TlsFailure
from probes.helpers import main_session
from probes.probe import Check, Context
from probes.xmpp import TLS, tag


async def run(ctx: Context):
    session = await main_session(ctx)
    client = session.client
    if client is None or not client.feature_sets:
        raise session.error
    offered = client.feature_sets[0].find(tag(TLS, "starttls"))
    if offered is None:
        return ctx.failed("The first stream features do not offer STARTTLS.")
    if any(e.tag == tag(TLS, "failure") for e in client.login_errors):
        return ctx.failed("The server offered STARTTLS, then answered <failure/>.")
    if client.tls is None:
        if isinstance(session.error, TlsFailure):
            return ctx.could_not_test(f"STARTTLS was accepted; the probe aborted: {session.error}")
        raise session.error
    required = " (required)" if offered.find(tag(TLS, "required")) is not None else ""
    return ctx.passed(f"STARTTLS offered{required} and negotiated ({client.tls.version}).")


CHECK = Check("rfc6120-starttls", ("RFC 6120",), "STARTTLS negotiation", run)
