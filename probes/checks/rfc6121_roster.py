"""RFC 6121 §2.2 (Roster get): the server returns the account's roster.

Entity: the account. Pass: a roster get is answered with a <query xmlns='jabber:iq:roster'/>
result. The roster's content is private: the evidence keeps only its size.
"""

from probes.probe import Check, Context
from probes.xmpp import ROSTER, child, el, tag


async def run(ctx: Context):
    reply = await ctx.iq("get", None, el(tag(ROSTER, "query")), private=True)
    query = child(reply, ROSTER, "query")
    if query is None:
        return ctx.failed("The roster get was answered without a roster.")
    count = len(query.findall(tag(ROSTER, "item")))
    return ctx.passed(f"The roster was returned ({count} items).")


CHECK = Check("rfc6121-roster", ("RFC 6121",), "Roster", run, entity="account")
