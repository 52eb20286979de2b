"""XEP-0249 (Direct MUC Invitations): the server routes an invitation intact.

Entity: the account. The suites list XEP-0249 for servers without saying what server support
means (see the 2022 suite's doubt); what a server does is route the <message/> with its
<x xmlns='jabber:x:conference'/> payload. The probe sends an invitation to its own full JID
(so nobody else receives it) and waits for it. Pass: it arrives with the room JID intact.
"""

from probes.probe import Check, Context
from probes.xmpp import CLIENT, CONFERENCE, el, tag, token


async def run(ctx: Context):
    client = await ctx.session()
    room = f"probe-{token()}@conference.{ctx.domain}"
    arrived = client.expect(
        lambda s: (
            s.tag == tag(CLIENT, "message")
            and s.find(tag(CONFERENCE, "x")) is not None
            and s.find(tag(CONFERENCE, "x")).get("jid") == room
        )
    )
    invite = el(tag(CONFERENCE, "x"), {"jid": room, "reason": "xmpp-compliance-probe"})
    await ctx.send(el(tag(CLIENT, "message"), {"to": client.boundjid.full}, invite))
    message = await ctx.receive(arrived, "the direct invitation sent to the probe itself")
    if message.get("type") == "error":
        return ctx.failed("The invitation came back as an error.")
    return ctx.passed("A direct MUC invitation was routed with its payload intact.")


CHECK = Check("xep0249-invitations", ("XEP-0249",), "Direct MUC invitations", run, entity="account")
