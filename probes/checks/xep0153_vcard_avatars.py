"""XEP-0153 (vCard-Based Avatars) on the server side: avatar hashes added to the user's presence.

Entity: the account. What XEP-0153 asks of a server that takes part (as XEP-0398 servers do) is to
put <x xmlns='vcard-temp:x:update'><photo/></x> in the user's presence when the client did not (as
XEP-0398 describes). The probe sends presence, without that element, to its own full JID only (no
broadcast, no offline delivery) and reads what arrives. Pass: the server added it. Fail: it did
not. The presence is withdrawn afterwards.
"""

from probes.probe import Check, Context
from probes.xmpp import CLIENT, VCARD_UPDATE, el, tag


async def run(ctx: Context):
    client = await ctx.session()
    me = client.boundjid.full
    arrived = client.expect(
        lambda s: s.tag == tag(CLIENT, "presence") and s.get("from") == me and not s.get("type")
    )
    unavailable = el(tag(CLIENT, "presence"), {"to": me, "type": "unavailable"})
    async with ctx.cleanup("withdraw the probe's presence", lambda: ctx.send(unavailable)):
        await ctx.send(
            el(tag(CLIENT, "presence"), {"to": me}, el(tag(CLIENT, "priority"), text="-1"))
        )
        presence = await ctx.receive(arrived, "the presence sent to the probe itself")
    update = presence.find(tag(VCARD_UPDATE, "x"))
    if update is None or update.find(tag(VCARD_UPDATE, "photo")) is None:
        return ctx.failed("The server did not add a vCard avatar hash to presence.")
    return ctx.passed("The server added <x xmlns='vcard-temp:x:update'><photo/></x> to presence.")


CHECK = Check("xep0153-vcard-avatars", ("XEP-0153",), "vCard-based avatars", run, entity="account")
