"""XEP-0215 (External Service Discovery): STUN/TURN services are listed.

Entity: the domain. A <services xmlns='urn:xmpp:extdisco:2'/> get to the server. Pass: at
least one service of type stun, stuns, turn or turns with a host (the suites' "STUN/TURN server
discovery"). The services are not contacted. TURN credentials are redacted from the evidence.
Fail: the request refused, or no STUN/TURN service listed.
"""

from probes.probe import Check, Context
from probes.xmpp import EXTDISCO, child, children, el, tag

KINDS = {"stun", "stuns", "turn", "turns"}


async def run(ctx: Context):
    reply = await ctx.iq("get", ctx.domain, el(tag(EXTDISCO, "services")))
    listed = child(reply, EXTDISCO, "services")
    found = [s for s in children(listed) if s.get("type") in KINDS and s.get("host")]
    if not found:
        return ctx.failed("No STUN or TURN service is listed.")
    names = ", ".join(f"{s.get('type')}:{s.get('host')}:{s.get('port', '?')}" for s in found)
    return ctx.passed(f"Listed: {names}.")


CHECK = Check("xep0215-extdisco", ("XEP-0215",), "STUN/TURN discovery", run)
