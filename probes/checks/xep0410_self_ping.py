"""XEP-0410 (MUC Self-Ping): a joined occupant's self-ping says it is still joined.

Entity: every MUC component. Per service: in a fresh room, the probe pings its own occupant JID.
Pass: a result, or an error the MUC relayed from the client (service-unavailable or
feature-not-implemented: "still joined"). Fail: not-acceptable, item-not-found or another error
while joined. The detail says whether the service does the server optimization (answering
self-pings itself).
"""

from probes import muc
from probes.errors import StanzaError
from probes.helpers import on_each_service
from probes.probe import Check, Context
from probes.xmpp import PING, SELF_PING, el, tag

STILL_JOINED = {"service-unavailable", "feature-not-implemented"}


async def one(ctx: Context, service):
    async with muc.fresh_room(ctx, service.jid) as room:
        optimized = SELF_PING in (await ctx.disco_info(room.jid)).features
        try:
            await ctx.iq("get", room.occupant, el(tag(PING, "ping")))
            answer = "a result"
        except StanzaError as exc:
            if exc.condition not in STILL_JOINED:
                return ctx.failed(f"A joined occupant's self-ping was answered <{exc.condition}/>.")
            answer = f"<{exc.condition}/> (relayed: still joined)"
    how = "answers self-pings itself" if optimized else "relays self-pings"
    return ctx.passed(f"Self-ping answered with {answer}; the service {how}.")


async def run(ctx: Context):
    return await on_each_service(ctx, one, identity=muc.SERVICE, missing=muc.NO_SERVICE)


CHECK = Check("xep0410-self-ping", ("XEP-0410",), "MUC self-ping", run, entity="component")
