"""XEP-0077 (In-Band Registration), informational: registration really offered.

A specification of note for public IM networks (2020–2023), not a requirement. Entity: the domain,
on a separate unauthenticated stream after STARTTLS. Pass: the stream feature <register
xmlns='http://jabber.org/features/iq-register'/> (stream feature) and a registration form asked for
with a get (entity registers with a host) that has username and password fields (plain or
XEP-0004). No account is created. Fail: not advertised, refused, or only a web page (<x
xmlns='jabber:x:oob'/>) offered.
"""

from probes.errors import StanzaError
from probes.helpers import stream_feature
from probes.probe import Check, Context
from probes.xmpp import (
    DATA_FORMS,
    OOB,
    REGISTER,
    REGISTER_FEATURE,
    child,
    children,
    el,
    parse_form,
    tag,
)


async def run(ctx: Context):
    async with ctx.extra_session(authenticate=False) as session:
        client = session.client
        if stream_feature(client, REGISTER_FEATURE, "register") is None:
            return ctx.failed("The stream features do not offer in-band registration.")
        try:
            reply = await ctx.iq("get", None, el(tag(REGISTER, "query")), client=client)
        except StanzaError as exc:
            return ctx.failed(f"Registration is advertised but refused (<{exc.condition}/>).")
    query = child(reply, REGISTER, "query")
    x = child(query, DATA_FORMS, "x")
    fields = (
        set(parse_form(x)[1])
        if x is not None
        else {c.tag.partition("}")[2] for c in children(query)}
    )
    if {"username", "password"} <= fields:
        return ctx.passed("Registration is offered in-band (username and password fields).")
    oob = child(query, OOB, "x")
    if oob is not None:
        return ctx.failed(f"Registration only via a web page: {oob.findtext(tag(OOB, 'url'))}.")
    return ctx.failed(f"The registration form has no username and password ({sorted(fields)}).")


CHECK = Check("xep0077-register", ("XEP-0077",), "In-band registration", run, informational=True)
