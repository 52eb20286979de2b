"""XEP-0049 (Private XML Storage): store a fragment in the probe's own namespace, read it back.

Entity: the account. Store, then retrieve: set <probe xmlns='urn:uuid:…'/> with a marker, get it
back, then store it empty again (XEP-0049 has no delete; an empty element is the cleanup). Pass:
the marker is read back. Fail: the set or get is refused, or the marker does not come back.
"""

from functools import partial

from probes.probe import Check, Context
from probes.xmpp import PRIVATE, PROBE, child, el, tag, token


def query(marker: str = ""):
    return el(tag(PRIVATE, "query"), None, el(tag(PROBE, "probe"), text=marker))


async def run(ctx: Context):
    marker = token()
    clear = partial(ctx.iq, "set", None, query())
    async with ctx.cleanup("empty the probe's private storage element", clear):
        await ctx.iq("set", None, query(marker))
        reply = await ctx.iq("get", None, query())
    stored = child(child(reply, PRIVATE, "query"), PROBE, "probe")
    if stored is None or stored.text != marker:
        return ctx.failed("The stored fragment was not read back.")
    return ctx.passed("A fragment was stored, read back and emptied.")


CHECK = Check("xep0049-private", ("XEP-0049",), "Private XML storage", run, entity="account")
