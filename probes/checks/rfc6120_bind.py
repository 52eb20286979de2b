"""RFC 6120 §7 (Resource Binding): the server binds a resource for the test account.

Entity: the account. Pass: the bind IQ returns a full JID of the account. Fail: binding answered
with an error. Could not test: no test account (or its credentials were refused).
"""

from probes.helpers import main_session
from probes.probe import NO_ACCOUNT, Check, Context
from probes.xmpp import error_condition


async def run(ctx: Context):
    if not ctx.account:
        return ctx.could_not_test(NO_ACCOUNT)
    session = await main_session(ctx)
    client = session.client
    if session.ok:
        bound = client.boundjid
        if bound.bare != ctx.account or not bound.resource:
            return ctx.failed(f"Bound {bound.full}, not a full JID of {ctx.account}.")
        return ctx.passed(f"Bound the full JID {bound.full}.")
    errors = [e for e in client.login_errors if e.tag.endswith("}iq")] if client else []
    if client is not None and client.phase == "bind" and errors:
        condition = error_condition(errors[-1])
        return ctx.failed(f"Resource binding was answered with <{condition}/>.")
    raise session.error


CHECK = Check("rfc6120-bind", ("RFC 6120",), "Resource binding", run, entity="account")
