"""RFC 6121 §2.2 (Roster get): the server returns the account's roster.

Entity: the account. Pass: a roster get is answered with a <query xmlns='jabber:iq:roster'/>
result. The roster's content is private: the evidence keeps only its size.
"""

from probes.helpers import count_items
from probes.probe import Check, Context
from probes.xmpp import ROSTER


async def run(ctx: Context):
    count = await count_items(ctx, ROSTER, "query")
    if count is None:
        return ctx.failed("The roster get was answered without a roster.")
    return ctx.passed(f"The roster was returned ({count} items).")


CHECK = Check("rfc6121-roster", ("RFC 6121",), "Roster", run, entity="account")
