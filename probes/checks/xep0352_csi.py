"""XEP-0352 (Client State Indication): advertised, and the inactive/active pair is accepted.

Entity: the account's session. The stream features carry <csi xmlns='urn:xmpp:csi:0'/>;
the probe sends <inactive/> then <active/> (no answer is defined) and checks with a ping
(XEP-0199) that the session is still served. Pass: advertised and the session alive. Fail: not
advertised, or the session ended.
"""

from probes.helpers import main_session, stream_feature
from probes.probe import Check, Context
from probes.xmpp import CSI, PING, el, tag


async def run(ctx: Context):
    client = await ctx.session()
    await main_session(ctx)
    if stream_feature(client, CSI, "csi") is None:
        return ctx.failed(f"The stream features do not offer <csi xmlns='{CSI}'/>.")
    for state in ("inactive", "active"):
        await ctx.send(el(tag(CSI, state)))
    await ctx.iq("get", ctx.domain, el(tag(PING, "ping")))
    return ctx.passed("CSI is advertised; <inactive/> and <active/> were accepted.")


CHECK = Check("xep0352-csi", ("XEP-0352",), "Client state indication", run, entity="account")
