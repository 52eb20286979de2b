"""XEP-0206 (XMPP over BOSH): a BOSH session actually opens.

Entity: the BOSH endpoint: host-meta's urn:xmpp:alt-connections:xbosh links, or without them <web
base>/http-bind and /bosh. Per endpoint: a session request (XEP-0124 session creation request with
the XEP-0206 xmpp:version attribute) answered 200 with a `sid` and <stream:features/>, then
terminated (XEP-0124 terminating the session). Pass: one endpoint works. Fail: every endpoint
answered without a session, or nothing listens at any (the connection refused on every address
of each). Error: none could be reached otherwise (a timeout, DNS; also one refused and one not).
"""

import secrets
from xml.etree import ElementTree as ET

from probes.errors import NetworkError, NothingListens, ProtocolError
from probes.probe import Check, Context
from probes.web import BOSH_REL, endpoints, nothing_listens, parse_xml
from probes.xmpp import BOSH, STREAMS, XBOSH, tag

HEADERS = {"Content-Type": "text/xml; charset=utf-8"}


def body(attributes: str) -> bytes:
    return f"<body xmlns='{BOSH}' xmlns:xmpp='{XBOSH}' {attributes}/>".encode()


async def session_opens(ctx: Context, url: str) -> None:
    rid = secrets.randbelow(2**40)
    request = body(
        f"rid='{rid}' to='{ctx.domain}' xml:lang='en' wait='5' hold='1' ver='1.6' "
        "xmpp:version='1.0' content='text/xml; charset=utf-8'"
    )
    answer = await ctx.http("POST", url, headers=HEADERS, data=request, body_limit=2000)
    if answer.status != 200:
        raise ProtocolError(f"{url} answered HTTP {answer.status}.")
    root = parse_xml(answer.body, url)
    sid = root.get("sid")
    if root.tag != tag(BOSH, "body") or not sid:
        raise ProtocolError(f"{url} answered without a BOSH session id.")
    try:
        await features_then_terminate(ctx, url, root, rid, sid)
    except NothingListens as exc:  # it answered the session request: it is there, and failed
        raise NetworkError(str(exc)) from exc


async def features_then_terminate(
    ctx: Context, url: str, root: ET.Element, rid: int, sid: str
) -> None:
    if root.find(tag(STREAMS, "features")) is None:
        poll = await ctx.http(
            "POST", url, headers=HEADERS, data=body(f"rid='{rid + 1}' sid='{sid}'")
        )
        rid += 1
        if parse_xml(poll.body, url).find(tag(STREAMS, "features")) is None:
            raise ProtocolError(f"{url} opened a session but sent no stream features.")
    await ctx.http(
        "POST", url, headers=HEADERS, data=body(f"rid='{rid + 1}' sid='{sid}' type='terminate'")
    )


async def run(ctx: Context):
    failures, errors = [], []
    for url in await endpoints(ctx, BOSH_REL, {}):
        try:
            await session_opens(ctx, url)
            return ctx.passed("A BOSH session opened with stream features, then terminated.", url)
        except ProtocolError as exc:
            failures.append(str(exc))
        except NetworkError as exc:
            errors.append(exc)
    if failures:
        return ctx.failed(" ".join(failures), ctx.options.web_base)
    nothing = nothing_listens(errors, "BOSH")
    if nothing:
        return ctx.failed(nothing, ctx.options.web_base)
    raise next(exc for exc in errors if not isinstance(exc, NothingListens))


CHECK = Check("xep0206-bosh", ("XEP-0206",), "XMPP over BOSH", run, entity="web")
