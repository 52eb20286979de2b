"""RFC 7395 (XMPP over WebSocket): a WebSocket XMPP stream actually opens.

Entity: the WebSocket endpoint: host-meta's urn:xmpp:alt-connections:websocket links, or without
them wss://<web base>/xmpp-websocket and /ws. Per endpoint: the handshake with sub-protocol `xmpp`
(WebSocket handshake), an <open/> frame (stream initiation) answered by <open/> and
<stream:features/>, then <close/>. Pass: one endpoint works. Fail: every endpoint answered HTTP
without upgrading, or spoke something else, or nothing listens at any (the connection refused on
every address of each). Error: none could be reached otherwise (a timeout, DNS; also one refused
and one not).
"""

from probes.connect.websocket import websocket
from probes.errors import NetworkError, NothingListens, ProtocolError, UpgradeRefused
from probes.outcomes import Evidence
from probes.probe import Check, Context
from probes.web import WEBSOCKET_REL, endpoints, nothing_listens, parse_xml
from probes.xmpp import FRAMING, STREAMS, tag


async def stream_opens(ctx: Context, url: str) -> str:
    options = ctx.options
    async with websocket(
        url,
        resolver=ctx.probe.resolver,
        timeout=options.request_timeout,
        max_bytes=options.max_stanza_bytes,
        ssl_context=await ctx.probe.tls("http"),
    ) as ws:
        if ws.protocol != "xmpp":
            raise ProtocolError(f"{url} did not agree to the 'xmpp' sub-protocol.")
        frames = [f"<open xmlns='{FRAMING}' to='{ctx.domain}' version='1.0'/>"]
        await ws.send(frames[0])
        for expected in (tag(FRAMING, "open"), tag(STREAMS, "features")):
            frame = await ws.receive(options.request_timeout)
            ctx.evidence.append(Evidence("received", frame[:2000]))
            if parse_xml(frame, url).tag != expected:
                raise ProtocolError(f"{url} sent {frame[:80]!r} where {expected} was due.")
        await ws.send(f"<close xmlns='{FRAMING}'/>")
    return url


async def run(ctx: Context):
    failures, errors = [], []
    for url in await endpoints(ctx, WEBSOCKET_REL, {"https://": "wss://", "http://": "ws://"}):
        ctx.evidence.append(Evidence("note", f"WebSocket {url}"))
        try:
            await stream_opens(ctx, url)
            return ctx.passed("An XMPP stream opened over WebSocket.", url)
        except (UpgradeRefused, ProtocolError) as exc:
            failures.append(str(exc))
        except NetworkError as exc:
            errors.append(exc)
        ctx.note(str((failures + errors)[-1]))
    if failures:
        return ctx.failed(" ".join(failures), ctx.options.web_base)
    nothing = nothing_listens(errors, "WebSocket")
    if nothing:
        return ctx.failed(nothing, ctx.options.web_base)
    raise next(exc for exc in errors if not isinstance(exc, NothingListens))


CHECK = Check("rfc7395-websocket", ("RFC 7395",), "XMPP over WebSocket", run, entity="web")
