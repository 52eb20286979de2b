"""XEP-0223 (Persistent Storage of Private Data via PubSub): private, persistent PEP items.

Entity: the account's bare JID. The account advertises
`http://jabber.org/protocol/pubsub#publish-options`, and a publish with publish-options
`pubsub#persist_items=true` and `pubsub#access_model=whitelist` succeeds, leaving a node that is
configured so. Pass: all of that. The node is deleted afterwards. Fail: not advertised, the
publish is refused, or the node is not whitelist/persistent.
"""

from probes import pubsub
from probes.helpers import feature_on_account
from probes.probe import Check, Context
from probes.xmpp import PROBE, PUBLISH_OPTIONS, el, tag, token

PRIVATE = {"pubsub#persist_items": "true", "pubsub#access_model": "whitelist"}


async def run(ctx: Context):
    if not await feature_on_account(ctx, PUBLISH_OPTIONS):
        return ctx.failed(f"The account does not advertise {PUBLISH_OPTIONS}.")
    node = f"{PROBE}:private:{token()}"
    async with ctx.cleanup(f"delete the PEP node {node}", lambda: pubsub.delete_node(ctx, node)):
        await pubsub.publish(ctx, node, "current", el(tag(PROBE, "private")), PRIVATE)
        config = await pubsub.node_config(ctx, node)
    got = {var: (config.get(var) or [""])[0] for var in PRIVATE}
    if got["pubsub#access_model"] != "whitelist" or got["pubsub#persist_items"] not in (
        "1",
        "true",
    ):
        return ctx.failed(f"Published with publish-options, but the node is {got}.")
    return ctx.passed("Published with publish-options; the node is whitelist and persistent.")


CHECK = Check(
    "xep0223-publish-options", ("XEP-0223",), "Private PEP storage", run, entity="account"
)
