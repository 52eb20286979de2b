"""XEP-0398 (User Avatar to vCard-Based Avatars Conversion): advertised by the server.

Entity: the account. The server advertises urn:xmpp:pep-vcard-conversion:0 on the account's
bare JID. Advertisement only: a behaviour test would replace the user's avatar. Pass: advertised.
Fail: not advertised.
"""

from probes.helpers import advertised_on_account
from probes.probe import Check, Context
from probes.xmpp import PEP_VCARD_CONVERSION


async def run(ctx: Context):
    return await advertised_on_account(ctx, PEP_VCARD_CONVERSION, "avatar conversion")


CHECK = Check(
    "xep0398-avatar-conversion", ("XEP-0398",), "Avatar conversion", run, entity="account"
)
