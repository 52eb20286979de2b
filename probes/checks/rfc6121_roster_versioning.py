"""RFC 6121 §2.6 (Roster Versioning): advertised, and a versioned roster get returns a version.

Entity: the account. Pass: the stream feature <ver xmlns='urn:xmpp:features:rosterver'/> (its
stream feature) and a roster get with ver='' answered with a roster carrying a `ver` attribute (the
client request with ver). Fail: not advertised, or no version returned.
"""

from probes.helpers import main_session, stream_feature
from probes.probe import Check, Context
from probes.xmpp import ROSTER, ROSTERVER, child, el, tag


async def run(ctx: Context):
    await ctx.session()
    client = (await main_session(ctx)).client
    if stream_feature(client, ROSTERVER, "ver") is None:
        return ctx.failed("The stream features do not advertise roster versioning.")
    reply = await ctx.iq("get", None, el(tag(ROSTER, "query"), {"ver": ""}), private=True)
    query = child(reply, ROSTER, "query")
    if query is None or query.get("ver") is None:
        return ctx.failed("A roster get with ver='' returned no roster version.")
    return ctx.passed(f"Advertised; the roster came with version {query.get('ver')!r}.")


CHECK = Check(
    "rfc6121-roster-versioning", ("RFC 6121",), "Roster versioning", run, entity="account"
)
