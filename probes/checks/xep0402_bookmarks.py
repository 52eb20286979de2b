"""XEP-0402 (PEP Native Bookmarks) with the #compat conversion the 2022 suite asks of servers.

Entity: the account. The 2022/2023 suites: XEP-0402 "should only happen when
'urn:xmpp:bookmarks:1#compat' is exposed by the server". The probe publishes a bookmark for a room
that does not exist to urn:xmpp:bookmarks:1 with the publish-options XEP-0402 prescribes, reads it
back, checks that the #compat conversion shows it in XEP-0048 private storage, and retracts it
(also when the check fails). Pass: all of that. Fail: #compat not advertised, or the bookmark
missing from either view. Could not test: the publish-options are refused (the user's node
probably has another configuration).
"""

from functools import partial

from probes import pubsub
from probes.errors import CouldNotTest, StanzaError
from probes.helpers import feature_on_account
from probes.probe import Check, Context
from probes.xmpp import (
    BOOKMARKS,
    BOOKMARKS_COMPAT,
    BOOKMARKS_LEGACY,
    PRIVATE,
    child,
    children,
    el,
    tag,
    token,
)

OPTIONS = {
    "pubsub#persist_items": "true",
    "pubsub#max_items": "max",
    "pubsub#send_last_published_item": "never",
    "pubsub#access_model": "whitelist",
}


async def legacy_rooms(ctx: Context) -> set[str]:
    query = el(tag(PRIVATE, "query"), None, el(tag(BOOKMARKS_LEGACY, "storage")))
    reply = await ctx.iq("get", None, query, private=True)
    storage = child(child(reply, PRIVATE, "query"), BOOKMARKS_LEGACY, "storage")
    return {
        c.get("jid", "") for c in children(storage) if c.tag == tag(BOOKMARKS_LEGACY, "conference")
    }


async def run(ctx: Context):
    if not await feature_on_account(ctx, BOOKMARKS_COMPAT):
        return ctx.failed(f"The account does not advertise {BOOKMARKS_COMPAT}.")
    room = f"probe-{token()}@conference.invalid"
    bookmark = el(
        tag(BOOKMARKS, "conference"), {"name": "xmpp-compliance-probe", "autojoin": "false"}
    )
    retract = partial(pubsub.retract, ctx, BOOKMARKS, room)
    async with ctx.cleanup(f"retract the bookmark {room}", retract):
        try:
            await pubsub.publish(ctx, BOOKMARKS, room, bookmark, OPTIONS)
        except StanzaError as exc:
            if exc.condition == "conflict" or "precondition" in exc.xml:
                raise CouldNotTest(
                    f"The server refused the publish-options (<{exc.condition}/>): the account's "
                    "bookmarks node probably has another configuration."
                ) from exc
            raise
        native = await pubsub.items(ctx, BOOKMARKS, room)
        converted = room in await legacy_rooms(ctx)
    if not native:
        return ctx.failed("The published bookmark was not read back.")
    if not converted:
        return ctx.failed("The bookmark did not appear in XEP-0048 private storage.")
    return ctx.passed(
        f"{BOOKMARKS_COMPAT}: a native bookmark was read back, seen in private "
        "storage and retracted.",
        ctx.account,
    )


CHECK = Check(
    "xep0402-bookmarks", ("XEP-0402",), "PEP native bookmarks (#compat)", run, entity="account"
)
