"""RFC 6120 §4 (XML Streams): the server opens an XMPP 1.0 stream and offers stream features.

Entity: the domain. The probe connects where RFC 6120 §3.2 says: SRV `_xmpp-client._tcp` in
priority and weight order, else the domain on port 5222 (or --host/--port). Pass: a
<stream:stream/> header with version='1.0' and an id, then <stream:features/>. An unreachable
server is an error (network or timeout), never a fail.
"""

from probes.helpers import main_session
from probes.probe import Check, Context


async def run(ctx: Context):
    session = await main_session(ctx)
    client = session.client
    if client is None or not client.header:
        raise session.error
    version, stream_id = client.header.get("version"), client.header.get("id")
    if version != "1.0" or not stream_id:
        return ctx.failed(f"The stream header has version={version!r} and id={stream_id!r}.")
    if not client.feature_sets:
        if session.error is not None:
            raise session.error
        return ctx.failed("The server opened a stream but sent no <stream:features/>.")
    return ctx.passed(f"An XMPP 1.0 stream opened at {session.endpoint} with stream features.")


CHECK = Check("rfc6120-stream", ("RFC 6120",), "XML stream and stream features", run)
