"""XEP-0163 (Personal Eventing Protocol): the account is a PEP service that stores items.

Entity: the account's bare JID. Pass: its disco#info has the identity pubsub/pep (account owner
discovery), and an item published to a fresh node (XEP-0060 §7.1, auto-create) is read back (§6.5).
The node is deleted afterwards (§8.4), also when the check fails. Fail: no identity, or the item is
not read back.
"""

from probes import pubsub
from probes.helpers import account_info
from probes.probe import Check, Context
from probes.xmpp import PROBE, el, tag, token


async def run(ctx: Context):
    info = await account_info(ctx)
    if not info.has_identity("pubsub", "pep"):
        return ctx.failed("The account's disco#info has no pubsub/pep identity.")
    node, marker = f"{PROBE}:pep:{token()}", token()
    async with ctx.cleanup(f"delete the PEP node {node}", lambda: pubsub.delete_node(ctx, node)):
        await pubsub.publish(ctx, node, "probe", el(tag(PROBE, "probe"), text=marker))
        found = await pubsub.items(ctx, node)
        if not any(item.findtext(tag(PROBE, "probe")) == marker for item in found):
            return ctx.failed("The published item was not read back.")
    return ctx.passed("pubsub/pep identity; an item was published, read back and deleted.")


CHECK = Check("xep0163-pep", ("XEP-0163",), "Personal eventing (PEP)", run, entity="account")
