"""XEP-0280 (Message Carbons): advertised by the server and enabled for the session.

Entity: the domain (the server advertises urn:xmpp:carbons:2). Pass: advertised, and the
enable request is answered with a result. Carbons are disabled again afterwards.
Fail: not advertised, or enable refused.
"""

from functools import partial

from probes.helpers import feature_on_domain
from probes.probe import Check, Context
from probes.xmpp import CARBONS, el, tag


async def run(ctx: Context):
    if not await feature_on_domain(ctx, CARBONS):
        return ctx.failed(f"The domain does not advertise {CARBONS}.")
    disable = partial(ctx.iq, "set", None, el(tag(CARBONS, "disable")))
    async with ctx.cleanup("disable carbons", disable):
        await ctx.iq("set", None, el(tag(CARBONS, "enable")))
    return ctx.passed(f"{CARBONS} is advertised and enabling carbons works.")


CHECK = Check("xep0280-carbons", ("XEP-0280",), "Message carbons", run)
