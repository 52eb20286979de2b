"""XEP-0045 (Multi-User Chat): a MUC service is found, and a fresh room can be joined and left.

Entity: every MUC component (identity conference/text in disco#items, gateways skipped), and
the domain itself if it is one. Per service: join a room the probe names (§7.2, which creates
it, §10.1), configure it as an instant room, leave it (§7.14), and destroy it (§10.9). Pass:
joined and left. Could not test: the service refused to create the room. Fail: no MUC service.
"""

from probes import muc
from probes.helpers import on_each_service
from probes.probe import Check, Context


async def one(ctx: Context, service):
    async with muc.fresh_room(ctx, service.jid) as room:
        created = "created" if room.created else "joined (it existed)"
        await muc.leave(ctx, room)
    return ctx.passed(f"A fresh room was {created}, left and destroyed.")


async def run(ctx: Context):
    return await on_each_service(ctx, one, identity=muc.SERVICE, missing=muc.NO_SERVICE)


CHECK = Check("xep0045-muc", ("XEP-0045",), "Multi-user chat", run, entity="component")
