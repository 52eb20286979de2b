"""XEP-0048 (Bookmarks): the account's bookmarks can be read from private XML storage.

Entity: the account. XEP-0048 stores bookmarks (private XML storage variant) as <storage
xmlns='storage:bookmarks'/> in XEP-0049 private storage. The probe only reads them: writing would
replace the user's whole list. Pass: a get returns a <storage/> element (empty or not). Its content
is private: only its size is recorded. Fail: the get is refused.
"""

from probes.probe import Check, Context
from probes.xmpp import BOOKMARKS_LEGACY, PRIVATE, child, el, tag


async def run(ctx: Context):
    query = el(tag(PRIVATE, "query"), None, el(tag(BOOKMARKS_LEGACY, "storage")))
    reply = await ctx.iq("get", None, query, private=True)
    storage = child(child(reply, PRIVATE, "query"), BOOKMARKS_LEGACY, "storage")
    if storage is None:
        return ctx.failed("The bookmarks get was answered without <storage/>.")
    count = len(storage.findall(tag(BOOKMARKS_LEGACY, "conference")))
    return ctx.passed(f"Bookmarks read from private storage ({count} rooms).")


CHECK = Check("xep0048-bookmarks", ("XEP-0048",), "Bookmarks", run, entity="account")
