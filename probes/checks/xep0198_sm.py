"""XEP-0198 (Stream Management): enable with resumption, an ack, and a real resume.

Entity: the account, on two sessions of the probe's own (the main one stays untouched). Session A:
<sm xmlns='urn:xmpp:sm:3'/> advertised, <enable resume='true'/> answered <enabled/> with an id
(Enabling Stream Management), <r/> answered <a h=…/> (Acks). Its TCP connection is then dropped
without closing the stream. Session B logs in and, instead of binding, sends <resume previd=…/>
(Resumption). Pass: <resumed/>. Fail: not advertised, <failed/>, or no resumption id. Session B
closes the stream properly.
"""

from probes.helpers import stream_feature
from probes.probe import Check, Context
from probes.xmpp import SM, tag


def answer(client, *names: str):
    return client.expect(lambda e: e.tag in {tag(SM, n) for n in names})


async def send(ctx: Context, client, xml: str) -> None:
    ctx.note(f"sent: {xml}")
    client.send_raw(xml)


async def run(ctx: Context):
    await ctx.session()
    async with ctx.extra_session() as first:
        a = first.client
        if stream_feature(a, SM, "sm") is None:
            return ctx.failed(f"The stream features do not offer <sm xmlns='{SM}'/>.")
        enabled = answer(a, "enabled", "failed")
        await send(ctx, a, f"<enable xmlns='{SM}' resume='true'/>")
        reply = await ctx.receive(enabled, "<enable/>", a)
        if reply.tag != tag(SM, "enabled") or not reply.get("id"):
            return ctx.failed("Stream management with resumption was not enabled.")
        counted, acked = a.stanzas_received, answer(a, "a")
        await send(ctx, a, f"<r xmlns='{SM}'/>")
        await ctx.receive(acked, "the ack request <r/>", a)
        handled = a.stanzas_received - counted
        a.closing = True
        if a.transport is None:
            ctx.note("Session A's connection was already closed by the server.")
        else:
            a.transport.abort()
            ctx.note("Dropped session A's TCP connection without closing its stream.")

    def resume_instead_of_binding(client) -> None:
        resume = f"<resume xmlns='{SM}' previd='{reply.get('id')}' h='{handled}'/>"
        client.register_feature("sm", lambda _: client.send_raw(resume) or True, True, 9500)

    async with ctx.extra_session(ready="auth_success", prepare=resume_instead_of_binding) as second:
        b = second.client
        result = await ctx.receive(answer(b, "resumed", "failed"), "<resume/>", b)
    if result.tag != tag(SM, "resumed"):
        return ctx.failed("The server refused to resume the dropped session.")
    return ctx.passed(
        f"Enabled with resumption (max {reply.get('max', '?')} s), acked, and "
        "resumed after the connection was dropped.",
        ctx.account,
    )


CHECK = Check("xep0198-sm", ("XEP-0198",), "Stream management", run, entity="account")
