"""XEP-0363 (HTTP File Upload): a service is found, a slot granted, a file PUT and GOT back.

Entity: every upload service (urn:xmpp:http:upload:0 on the domain or a non-gateway component). Per
service: a slot for a small text file, a PUT with only the headers the slot allows (Authorization,
Cookie, Expires), and a GET that returns the same bytes. Pass: all of that. Fail: no service, the
slot refused, or the PUT/GET not answered 2xx with the same content. XEP-0363 has no way to delete
a file: the probe's 40-byte file stays until the service expires it.
"""

from probes.helpers import on_each_service
from probes.probe import Check, Context
from probes.xmpp import UPLOAD, child, el, tag, token

ALLOWED_HEADERS = {"authorization", "cookie", "expires"}


async def one(ctx: Context, service):
    data = f"xmpp-compliance-probe {token()}\n".encode()
    request = {
        "filename": f"probe-{token()}.txt",
        "size": str(len(data)),
        "content-type": "text/plain",
    }
    reply = await ctx.iq("get", service.jid, el(tag(UPLOAD, "request"), request))
    put, get = (
        child(child(reply, UPLOAD, "slot"), UPLOAD, "put"),
        child(child(reply, UPLOAD, "slot"), UPLOAD, "get"),
    )
    if put is None or get is None or not put.get("url") or not get.get("url"):
        return ctx.failed("The slot lacks a PUT or GET URL.")
    headers = {"Content-Type": "text/plain"}
    for header in put.findall(tag(UPLOAD, "header")):
        if header.get("name", "").lower() in ALLOWED_HEADERS:
            headers[header.get("name")] = header.text or ""
    stored = await ctx.http("PUT", put.get("url"), headers=headers, data=data)
    if stored.status not in (200, 201):
        return ctx.failed(f"The PUT was answered HTTP {stored.status}.")
    fetched = await ctx.http("GET", get.get("url"))
    if fetched.status != 200 or fetched.body != data:
        return ctx.failed(f"The GET was answered HTTP {fetched.status} with other content.")
    return ctx.passed(f"Slot granted, {len(data)} bytes PUT (HTTP {stored.status}) and GOT back.")


async def run(ctx: Context):
    missing = f"No service advertises {UPLOAD} (domain and components)."
    return await on_each_service(ctx, one, feature=UPLOAD, missing=missing)


CHECK = Check("xep0363-upload", ("XEP-0363",), "HTTP file upload", run, entity="component")
