"""XEP-0156 (Discovering Alternative XMPP Connection Methods): host-meta XRD and JRD.

Entity: the domain's web origin (--http-base, else https://<domain>). The HTTP lookup method: GET
/.well-known/host-meta (XRD) and /.well-known/host-meta.json (JRD); redirects are followed,
each hop checked. Pass: both answer 200, parse, and list at least one urn:xmpp:alt-connections
link. The CORS header is reported, not required. Fail: a document missing or invalid, or no
link, or nothing listens at the origin (the connection refused on every address: no host-meta
is offered). Error: the origin cannot be reached otherwise (a timeout, DNS).
"""

from probes.errors import NothingListens
from probes.outcomes import ERROR
from probes.probe import Check, Context
from probes.web import host_meta, nothing_listens


async def run(ctx: Context):
    meta = await host_meta(ctx)
    entity = f"{ctx.options.web_base}/.well-known/"
    answers = (meta.xrd, meta.jrd)
    if all(isinstance(answer, BaseException) for answer in answers):
        nothing = nothing_listens(list(answers), "host-meta")
        if nothing:
            return ctx.failed(nothing, entity)
        cause = next(answer for answer in answers if not isinstance(answer, NothingListens))
        outcome = ctx.from_exception(cause)
        if outcome.outcome == ERROR:
            return ctx.outcome(ERROR, f"host-meta: {cause}", entity, outcome.error_kind)
        return outcome
    links = {rel: hrefs for rel, hrefs in meta.links.items() if "alt-connections" in rel}
    if meta.problems:
        return ctx.failed("; ".join(meta.problems) + ".", entity)
    if not links:
        return ctx.failed("host-meta lists no urn:xmpp:alt-connections link.", entity)
    cors = meta.xrd.headers.get("access-control-allow-origin", "absent")
    found = "; ".join(f"{rel.rpartition(':')[2]}: {', '.join(h)}" for rel, h in links.items())
    return ctx.passed(f"XRD and JRD served ({found}); Access-Control-Allow-Origin: {cors}.", entity)


CHECK = Check("xep0156-host-meta", ("XEP-0156",), "Connection method discovery", run, entity="web")
