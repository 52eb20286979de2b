"""XEP-0368 (SRV records for XMPP over TLS): the server accepts Direct TLS connections.

Entity: the domain. The probe looks up `_xmpps-client._tcp` (or uses --directtls-port) and, in SRV
order, opens TLS with SNI the domain and ALPN `xmpp-client`, verifies the certificate and
logs in (without an account: reaches the stream features). Pass: a target works (earlier failing
targets are listed in the evidence). Fail: no SRV record (or a '.' target), or the TLS handshake
or certificate fails. Error: the network, on every target, or the targets' addresses could not
be looked up.
"""

from probes.errors import NoEndpoint, TlsFailure
from probes.outcomes import Evidence
from probes.probe import Check, Context


async def run(ctx: Context):
    async with ctx.extra_session(allow_failure=True, direct_tls=True) as session:
        ctx.evidence += session.lookup_evidence()
        client = session.client
        if isinstance(session.error, NoEndpoint):
            return ctx.failed(f"No _xmpps-client._tcp SRV record for {ctx.domain}.")
        if client is not None and client.tls is not None:
            ctx.evidence.append(Evidence("tls", client.tls.as_text()))
        if isinstance(session.error, TlsFailure):
            return ctx.failed(f"Direct TLS to {session.endpoint} failed: {session.error}")
        if not session.ok:
            raise session.error
        what = "logged in" if ctx.account else "reached the stream features"
        return ctx.passed(f"Direct TLS ({client.tls.version}) to {session.endpoint}: {what}.")


CHECK = Check("xep0368-directtls", ("XEP-0368",), "Direct TLS", run)
