"""XEP-0357 (Push Notifications): the account can enable and disable push.

Entity: the account's bare JID (the server advertises urn:xmpp:push:0 there; a server that
advertises it only on the domain fails, with that said). When advertised: enable push towards an
app server under the reserved .invalid domain and disable it again, also when the
check fails. Pass: advertised and both answered. Fail: not advertised, or refused.
"""

from functools import partial

from probes.helpers import advertised_on_account
from probes.outcomes import PASS
from probes.probe import Check, Context
from probes.xmpp import PUSH, el, tag, token


async def run(ctx: Context):
    advertised = await advertised_on_account(ctx, PUSH, "push notifications")
    if advertised.outcome != PASS:
        return advertised
    target = {"jid": f"push-{token()}.invalid", "node": token()}
    disable = partial(ctx.iq, "set", None, el(tag(PUSH, "disable"), target))
    async with ctx.cleanup("disable push towards the probe's app server", disable):
        await ctx.iq("set", None, el(tag(PUSH, "enable"), target))
    return ctx.passed(f"{PUSH} is advertised; push was enabled and disabled.")


CHECK = Check("xep0357-push", ("XEP-0357",), "Push notifications", run, entity="account")
