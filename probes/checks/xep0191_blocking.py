"""XEP-0191 (Blocking Command): advertised by the server, and the blocklist can be read.

Entity: the domain (the server advertises urn:xmpp:blocking). Pass: advertised, and a blocklist get
(retrieving the block list) is answered with a <blocklist/>. Its content is private: only its size
is recorded. Fail: not advertised, or the get refused.
"""

from probes.helpers import count_items, feature_on_domain
from probes.probe import Check, Context
from probes.xmpp import BLOCKING


async def run(ctx: Context):
    if not await feature_on_domain(ctx, BLOCKING):
        return ctx.failed(f"The domain does not advertise {BLOCKING}.")
    count = await count_items(ctx, BLOCKING, "blocklist")
    if count is None:
        return ctx.failed("The blocklist get was answered without a <blocklist/>.")
    return ctx.passed(f"{BLOCKING} is advertised; the blocklist was returned ({count} items).")


CHECK = Check("xep0191-blocking", ("XEP-0191",), "Blocking command", run)
