"""RFC 7590 (Use of TLS in XMPP): TLS 1.2 or later and a certificate valid for the domain.

Entity: the domain (its c2s endpoint, after STARTTLS). The chain is verified against the system
store plus --ca-file, with its expiry; the name by RFC 6125, which RFC 7590 refers to (DNS-ID,
SRV-ID `_xmpp-client.<domain>` or XmppAddr). Records the version, cipher, names and expiry. Pass:
TLSv1.2+ and a valid certificate. Fail: an untrusted, expired or wrong-name certificate, a version
below 1.2, or no TLS at all.
"""

from probes.errors import TlsFailure
from probes.helpers import main_session
from probes.probe import Check, Context
from probes.xmpp import TLS, tag

MODERN = ("TLSv1.2", "TLSv1.3")


async def run(ctx: Context):
    session = await main_session(ctx)
    client = session.client
    if isinstance(session.error, TlsFailure):
        return ctx.failed(str(session.error))
    if client is None or client.tls is None:
        features = client.feature_sets if client else []
        if features and features[0].find(tag(TLS, "starttls")) is None:
            return ctx.failed("No TLS: the server does not offer STARTTLS.")
        raise session.error
    tls = client.tls
    if tls.version not in MODERN:
        return ctx.failed(f"The server negotiated {tls.version}; RFC 7590 asks for TLS 1.2+.")
    soon = f" It expires in {tls.days_left} days." if tls.days_left < 14 else ""
    return ctx.passed(
        f"{tls.version} ({tls.cipher}) with a certificate valid for the domain.{soon}"
    )


CHECK = Check("rfc7590-tls", ("RFC 7590",), "TLS version and certificate", run)
