"""XEP-0054 (vcard-temp): the account's own vCard can be set and read back.

Entity: the account (retrieving and updating one's own vCard): the probe reads the vCard, sets it
again with one marker field (DESC) changed, reads it back, and restores the original exactly (also
when the check fails). The vCard's content is private: the evidence keeps only its shape. Pass: the
marker is read back (in any field: servers that store vCard 4 internally return DESC as NOTE).
Fail: the set or get is refused, or the marker does not come back. vCards carry photos: they are
read and written on a session of the check's own, so that one larger than the stanza cap ends
that session (a protocol error of this check), not the main one every other check shares; the
original is restored over the main session (small answer; it lasts until the final sweep).
"""

import copy
from functools import partial

from probes.errors import StanzaError
from probes.probe import Check, Context
from probes.stream import ProbeClient
from probes.xmpp import VCARD, child, el, tag, token


async def current(ctx: Context, client: ProbeClient):
    try:
        reply = await ctx.iq("get", None, el(tag(VCARD, "vCard")), private=True, client=client)
    except StanzaError as exc:
        if exc.condition != "item-not-found":  # no vCard yet
            raise
        return el(tag(VCARD, "vCard"))
    vcard = child(reply, VCARD, "vCard")
    return el(tag(VCARD, "vCard")) if vcard is None else vcard


async def run(ctx: Context):
    await ctx.session()  # no account, no login: said like every account check says it
    async with ctx.extra_session() as own:
        original = await current(ctx, own.client)
        marked, marker = copy.deepcopy(original), f"xmpp-compliance-probe {token()}"
        for desc in marked.findall(tag(VCARD, "DESC")):
            marked.remove(desc)
        marked.append(el(tag(VCARD, "DESC"), text=marker))
        restore = partial(ctx.iq, "set", None, original, private=True)
        async with ctx.cleanup("restore the original vCard", restore):
            await ctx.iq("set", None, marked, private=True, client=own.client)
            read = await current(ctx, own.client)
    if marker not in "".join(read.itertext()):  # servers may move DESC to NOTE (vcard4 mapping)
        return ctx.failed("The vCard was accepted but not read back with the change.")
    return ctx.passed("The vCard was set, read back and restored.")


CHECK = Check("xep0054-vcard", ("XEP-0054",), "vcard-temp", run, entity="account")
