"""XEP-0313 (Message Archive Management) on the account: a query ends with a <fin/>.

Entity: the account's bare JID. It advertises urn:xmpp:mam:2 (determining support); a query for at
most one message (RSM max=1) is answered by an IQ result carrying <fin xmlns='urn:xmpp:mam:2'/>.
Archived messages are private: they are counted, never recorded. Pass: advertised and a fin.
Fail: not advertised, or no fin.
"""

from probes.helpers import feature_on_account
from probes.probe import Check, Context
from probes.xmpp import CLIENT, MAM, RSM, child, el, tag, token


def is_result(stanza) -> bool:
    return stanza.tag == tag(CLIENT, "message") and child(stanza, MAM, "result") is not None


async def run(ctx: Context):
    if not await feature_on_account(ctx, MAM):
        return ctx.failed(f"The account does not advertise {MAM}.")
    client, query_id = await ctx.session(), token()
    query = el(
        tag(MAM, "query"),
        {"queryid": query_id},
        el(tag(RSM, "set"), None, el(tag(RSM, "max"), text="1")),
    )
    with client.collect(is_result) as found:
        reply = await ctx.iq("set", ctx.account, query, private=True)
    if child(reply, MAM, "fin") is None:
        return ctx.failed("The archive query was answered without <fin/>.")
    return ctx.passed(
        f"{MAM}: a query ended with <fin/> ({len(found)} message(s) returned, not recorded).",
        ctx.account,
    )


CHECK = Check("xep0313-mam", ("XEP-0313",), "Message archive (account)", run, entity="account")
