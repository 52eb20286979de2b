"""XEP-0411 (Bookmarks Conversion), as the 2020 and 2021 suites require it of servers.

Entity: the account. The server advertises urn:xmpp:bookmarks-conversion:0 on the account's
bare JID. Advertisement only: a behaviour test would write the user's legacy bookmark list,
which XEP-0048 stores as one document (the xep0402-bookmarks check exercises the conversion on
a single item). Pass: advertised. Fail: not advertised.
"""

from probes.helpers import advertised_on_account
from probes.probe import Check, Context
from probes.xmpp import BOOKMARKS_CONVERSION


async def run(ctx: Context):
    return await advertised_on_account(ctx, BOOKMARKS_CONVERSION, "bookmarks conversion")


CHECK = Check(
    "xep0411-bookmarks-conversion", ("XEP-0411",), "Bookmarks conversion", run, entity="account"
)
