"""XEP-0114 (Jabber Component Protocol): cannot be tested from outside.

The Server Extensibility row (Core, both server levels) is about the protocol external components
use to connect to the server, on a port that is meant for those components only and usually not
reachable, with a shared secret the probe does not have. A client probe cannot observe it, so
this check always says so: it is could-not-test, never pass or fail. A claim (DOAP or the
vendor's form) is the only evidence for this row.
"""

from probes.probe import Check, Context


async def run(ctx: Context):
    return ctx.could_not_test(
        "XEP-0114 is spoken between a server and its components, on a port a client cannot be "
        "expected to reach and with a secret it does not have: it cannot be probed from outside."
    )


CHECK = Check("xep0114-component", ("XEP-0114",), "Component protocol", run)
