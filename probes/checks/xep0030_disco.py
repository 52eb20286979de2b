"""XEP-0030 (Service Discovery): the domain answers disco#info and disco#items.

Entity: the domain. Pass: disco#info lists at least one identity and the feature
`http://jabber.org/protocol/disco#info` (§3.1), and disco#items answers (§4.1). Fail: an error
answer or a disco#info without identity or feature.
"""

from probes.helpers import domain_info
from probes.probe import Check, Context
from probes.xmpp import DISCO_INFO


async def run(ctx: Context):
    info = await domain_info(ctx)
    if not info.identities:
        return ctx.failed("The domain's disco#info lists no identity.")
    if DISCO_INFO not in info.features:
        return ctx.failed(f"The domain's disco#info does not list {DISCO_INFO}.")
    components = await ctx.components()
    more = ctx.probe.unqueried_items
    skipped = f" ({more} more items not queried)" if more else ""
    return ctx.passed(
        f"disco#info: {info.describe()}; disco#items: {len(components)} non-gateway "
        f"components{skipped}."
    )


CHECK = Check("xep0030-disco", ("XEP-0030",), "Service discovery", run)
