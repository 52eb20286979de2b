"""XEP-0313 (MAM) on a room's archive, as the Advanced Group Chat row asks.

Entity: every MUC component. Per service: in a fresh room, the room advertises urn:xmpp:mam:2
(determining support) — if it does not, the probe switches archiving on in the room's
configuration form when it has a field for it, as an owner may, and asks again —, a groupchat
message is sent, and a query to the room's archive returns it and ends with <fin/>. Pass: all of
that. Fail: not advertised (even after enabling), no fin, or the message not archived. The room
is destroyed afterwards.
"""

from functools import partial

from probes import muc, xmpp
from probes.helpers import on_each_service
from probes.probe import Check, Context
from probes.xmpp import CLIENT, DISCO_INFO, MAM, child, el, tag, token


def from_archive(room: str, stanza) -> bool:
    return child(stanza, MAM, "result") is not None and stanza.get("from") == room


async def archived(ctx: Context, room: str) -> bool:
    reply = await ctx.iq("get", room, el(tag(DISCO_INFO, "query")))
    return MAM in xmpp.parse_disco_info(room, reply).features


async def one(ctx: Context, service):
    async with muc.fresh_room(ctx, service.jid) as room:
        enabled = ""
        if not await archived(ctx, room.jid):
            enabled = await muc.enable_archiving(ctx, room)
            if not enabled or not await archived(ctx, room.jid):
                return ctx.failed(
                    f"A fresh room does not advertise {MAM}"
                    + (f", even with {enabled} switched on." if enabled else ".")
                )
        client, marker, query_id = await ctx.session(), f"probe {token()}", token()
        echo = client.expect(
            lambda s: s.tag == tag(CLIENT, "message") and s.findtext(tag(CLIENT, "body")) == marker
        )
        body = el(tag(CLIENT, "body"), text=marker)
        await ctx.send(el(tag(CLIENT, "message"), {"to": room.jid, "type": "groupchat"}, body))
        await ctx.receive(echo, "the room's echo of the probe's message")
        with client.collect(partial(from_archive, room.jid)) as found:
            reply = await ctx.iq("set", room.jid, el(tag(MAM, "query"), {"queryid": query_id}))
    if child(reply, MAM, "fin") is None:
        return ctx.failed("The room archive query was answered without <fin/>.")
    if not any(marker in "".join(m.itertext()) for m in found):
        return ctx.failed("The room archive did not return the message just sent.")
    how = f" (after switching {enabled} on)" if enabled else ""
    return ctx.passed(f"The room archive{how} returned the message and ended with <fin/>.")


async def run(ctx: Context):
    return await on_each_service(ctx, one, identity=muc.SERVICE, missing=muc.NO_SERVICE)


CHECK = Check("xep0313-mam-muc", ("XEP-0313",), "Message archive (rooms)", run, entity="component")
