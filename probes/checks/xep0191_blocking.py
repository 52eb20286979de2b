"""XEP-0191 (Blocking Command): advertised by the server, and the blocklist can be read.

Entity: the domain (the server advertises urn:xmpp:blocking). Pass: advertised, and a blocklist get
(retrieving the block list) is answered with a <blocklist/>. Its content is private: only its size
is recorded. Fail: not advertised, or the get refused.
"""

from probes.helpers import feature_on_domain
from probes.probe import Check, Context
from probes.xmpp import BLOCKING, child, el, tag


async def run(ctx: Context):
    if not await feature_on_domain(ctx, BLOCKING):
        return ctx.failed(f"The domain does not advertise {BLOCKING}.")
    reply = await ctx.iq("get", None, el(tag(BLOCKING, "blocklist")), private=True)
    blocklist = child(reply, BLOCKING, "blocklist")
    if blocklist is None:
        return ctx.failed("The blocklist get was answered without a <blocklist/>.")
    count = len(blocklist.findall(tag(BLOCKING, "item")))
    return ctx.passed(f"{BLOCKING} is advertised; the blocklist was returned ({count} items).")


CHECK = Check("xep0191-blocking", ("XEP-0191",), "Blocking command", run)
