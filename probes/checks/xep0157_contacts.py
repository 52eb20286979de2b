"""XEP-0157 (Contact Addresses for XMPP Services), informational: at least one address.

A specification of note for public IM networks (2020–2023). Entity: the domain. A
http://jabber.org/network/serverinfo form in the domain's disco#info. Pass: any *-addresses field
(abuse, admin, feedback, sales, security, support, …) holds at least one address. Fail: no form,
or no address in it.
"""

from probes.helpers import domain_info
from probes.probe import Check, Context
from probes.xmpp import SERVERINFO


async def run(ctx: Context):
    form = (await domain_info(ctx)).form(SERVERINFO)
    if form is None:
        return ctx.failed(f"The domain's disco#info has no {SERVERINFO} form.")
    found = {var: values for var, values in form.items() if var.endswith("-addresses") and values}
    if not found:
        return ctx.failed("The contact form lists no address.")
    listed = "; ".join(f"{var}: {', '.join(values)}" for var, values in sorted(found.items()))
    return ctx.passed(f"Contact addresses: {listed}.")


CHECK = Check("xep0157-contacts", ("XEP-0157",), "Contact addresses", run, informational=True)
