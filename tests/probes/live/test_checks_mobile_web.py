"""The Web checks' decisions (RFC 7395, XEP-0206, -0156) against a real aiohttp server on loopback
(tests/servers/http.py), with fake streams for XMPP."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import WSMsgType, web

import probes.probe
from probes.checks import rfc7395_websocket, xep0156_host_meta, xep0206_bosh
from tests.probes.fakes import FakeServer, run_with
from tests.servers import closed_port
from tests.servers.dns import LoopbackDNS, Zone
from tests.servers.hostile import HostileServer, silent
from tests.servers.http import serve

XRD = """<?xml version='1.0'?><XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'>
<Link rel='urn:xmpp:alt-connections:websocket' href='{ws}'/>
<Link rel='urn:xmpp:alt-connections:xbosh' href='{bosh}'/></XRD>"""
JRD = (
    '{{"links": [{{"rel": "urn:xmpp:alt-connections:websocket", "href": "{ws}"}}, '
    '{{"rel": "urn:xmpp:alt-connections:xbosh", "href": "{bosh}"}}]}}'
)
FEATURES = "<stream:features xmlns:stream='http://etherx.jabber.org/streams'/>"


async def websocket_handler(request):
    ws = web.WebSocketResponse(protocols=("xmpp",))
    await ws.prepare(request)
    message = await ws.receive()
    if message.type == WSMsgType.TEXT and "<open" in message.data:
        await ws.send_str("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' version='1.0'/>")
        await ws.send_str(FEATURES)
        await ws.receive()
    await ws.close()
    return ws


async def bosh_handler(request):
    body = await request.text()
    if "type='terminate'" in body:
        return web.Response(
            text="<body xmlns='http://jabber.org/protocol/httpbind' type='terminate'/>"
        )
    return web.Response(
        text=f"<body xmlns='http://jabber.org/protocol/httpbind' sid='s1'>{FEATURES}</body>"
    )


def web_run(check, routes_for):
    """Run a web check against a loopback site whose routes may name its own base URL."""

    async def scenario():
        base_holder: dict[str, str] = {}

        async def host_meta(request):
            base = base_holder["base"]
            links = {
                "ws": base.replace("http", "ws") + "/xmpp-websocket",
                "bosh": base + "/http-bind",
            }
            return web.Response(
                text=XRD.format(**links), headers={"Access-Control-Allow-Origin": "*"}
            )

        async def host_meta_json(request):
            base = base_holder["base"]
            links = {
                "ws": base.replace("http", "ws") + "/xmpp-websocket",
                "bosh": base + "/http-bind",
            }
            return web.Response(text=JRD.format(**links))

        handlers = {"host-meta": host_meta, "host-meta.json": host_meta_json}
        async with serve(routes_for(handlers)) as site:
            base = base_holder["base"] = site.url
            return await run_with(
                check, FakeServer(), http_base=base, allow_networks=("127.0.0.0/8",)
            )

    (outcome,) = asyncio.run(scenario())
    return outcome


def everything(handlers):
    return [
        web.get("/.well-known/host-meta", handlers["host-meta"]),
        web.get("/.well-known/host-meta.json", handlers["host-meta.json"]),
        web.get("/xmpp-websocket", websocket_handler),
        web.post("/http-bind", bosh_handler),
    ]


def no_host_meta(handlers):
    return [web.get("/ws", websocket_handler), web.post("/bosh", bosh_handler)]


@pytest.mark.parametrize(
    ("check", "detail"),
    [
        (xep0156_host_meta.CHECK, "Access-Control-Allow-Origin: *."),
        (rfc7395_websocket.CHECK, "An XMPP stream opened over WebSocket."),
        (xep0206_bosh.CHECK, "A BOSH session opened with stream features, then terminated."),
    ],
)
def test_it_passes_the_web_checks_at_the_host_meta_links(check, detail):
    outcome = web_run(check, everything)
    assert outcome.outcome == "pass"
    assert outcome.detail.endswith(detail)


@pytest.mark.parametrize(
    ("check", "entity_path"),
    [(rfc7395_websocket.CHECK, "/ws"), (xep0206_bosh.CHECK, "/bosh")],
)
def test_it_tries_the_conventional_paths_without_host_meta(check, entity_path):
    outcome = web_run(check, no_host_meta)
    assert outcome.outcome == "pass"
    assert outcome.entity.endswith(entity_path)
    assert outcome.entity.startswith("ws://" if check is rfc7395_websocket.CHECK else "http://")


def test_it_fails_host_meta_that_is_missing():
    outcome = web_run(xep0156_host_meta.CHECK, no_host_meta)
    assert outcome.outcome == "fail"
    assert outcome.detail == "host-meta: HTTP 404; host-meta.json: HTTP 404."


@pytest.mark.parametrize("check", [rfc7395_websocket.CHECK, xep0206_bosh.CHECK])
def test_it_fails_web_endpoints_that_answer_without_xmpp(check):
    outcome = web_run(check, lambda handlers: [])
    assert outcome.outcome == "fail"
    assert "404" in outcome.detail


WEB_CHECKS = [
    (xep0156_host_meta.CHECK, "http", "host-meta", "/.well-known/"),
    (xep0206_bosh.CHECK, "http", "BOSH", ""),
    (rfc7395_websocket.CHECK, "ws", "WebSocket", ""),
]


def run_at(check, base, **extra):
    async def scenario():
        return await run_with(
            check, FakeServer(), http_base=base, allow_networks=("127.0.0.0/8",), **extra
        )

    (outcome,) = asyncio.run(scenario())
    return outcome


@pytest.mark.parametrize(("check", "scheme", "offers", "path"), WEB_CHECKS)
def test_it_fails_a_web_check_when_nothing_listens_at_its_origin(check, scheme, offers, path):
    port = closed_port()
    outcome = run_at(check, f"http://127.0.0.1:{port}")
    assert (outcome.outcome, outcome.entity) == ("fail", f"http://127.0.0.1:{port}{path}")
    assert outcome.detail == (
        f"Nothing listens at {scheme}://127.0.0.1:{port} (connection refused on every address): "
        f"the server offers no {offers}."
    )


@pytest.mark.parametrize(("check", "scheme", "offers", "path"), WEB_CHECKS)
def test_it_reports_a_web_origin_that_never_answers_as_a_timeout(check, scheme, offers, path):
    with HostileServer(silent) as server:  # accepts every connection, never says a word
        outcome = run_at(check, f"http://127.0.0.1:{server.port}")
    assert (outcome.outcome, outcome.error_kind) == ("error", "timeout")
    assert "within 0.5 s" in outcome.detail


@pytest.mark.parametrize(("check", "scheme", "offers", "path"), WEB_CHECKS)
def test_it_reports_a_web_origin_whose_name_does_not_resolve_as_a_network_error(
    check, scheme, offers, path
):
    with LoopbackDNS(Zone()) as dns:  # NXDOMAIN for every name
        outcome = run_at(check, "http://nowhere.probe.test", nameserver=dns.nameserver)
    assert (outcome.outcome, outcome.error_kind) == ("error", "network")
    assert "The name nowhere.probe.test does not resolve to any address." in outcome.detail


def test_it_reports_a_probe_bug_while_fetching_host_meta_as_one_not_as_a_fail(monkeypatch):
    real = probes.probe.http_request

    async def broken_for_json(method, url, **kwargs):
        if url.endswith(".json"):
            raise RuntimeError("a bug")
        return await real(method, url, **kwargs)

    monkeypatch.setattr(probes.probe, "http_request", broken_for_json)
    outcome = web_run(xep0156_host_meta.CHECK, everything)
    assert (outcome.outcome, outcome.error_kind) == ("error", "internal")
    assert outcome.detail == "Probe bug: RuntimeError: a bug"


def linked_run(check, links, routes):
    """Run a web check against a loopback site whose host-meta (XRD and JRD) lists these (rel,
    href) links; in an href, {base} is the site's base URL and {ws} the same as ws://."""

    async def scenario():
        bases: dict[str, str] = {}

        def hrefs():
            ws = bases["base"].replace("http", "ws", 1)
            return [(rel, href.format(base=bases["base"], ws=ws)) for rel, href in links]

        async def xrd(request):
            body = "".join(f"<Link rel='{rel}' href='{href}'/>" for rel, href in hrefs())
            return web.Response(
                text=f"<XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'>{body}</XRD>"
            )

        async def jrd(request):
            return web.json_response({"links": [{"rel": r, "href": h} for r, h in hrefs()]})

        meta = [web.get("/.well-known/host-meta", xrd), web.get("/.well-known/host-meta.json", jrd)]
        async with serve(meta + routes) as site:
            base = bases["base"] = site.url
            return await run_with(
                check, FakeServer(), http_base=base, allow_networks=("127.0.0.0/8",)
            )

    (outcome,) = asyncio.run(scenario())
    return outcome


async def not_xml_websocket(request):
    ws = web.WebSocketResponse(protocols=("xmpp",))
    await ws.prepare(request)
    await ws.receive()
    await ws.send_str("this is not XML")
    await ws.close()
    return ws


async def bosh_with_an_entity(request):
    return web.Response(
        text="<!DOCTYPE body [<!ENTITY x 'y'>]>"
        "<body xmlns='http://jabber.org/protocol/httpbind' sid='&x;'/>"
    )


WS, BOSH = "urn:xmpp:alt-connections:websocket", "urn:xmpp:alt-connections:xbosh"
BAD_ENDPOINTS = [
    (
        rfc7395_websocket.CHECK,
        (WS, "{ws}/broken"),
        web.get("/broken", not_xml_websocket),
        "/broken sent 'this is not XML', which is not well-formed XML",
    ),
    (
        xep0206_bosh.CHECK,
        (BOSH, "{base}/broken"),
        web.post("/broken", bosh_with_an_entity),
        "/broken sent XML with a DTD or an entity declaration",
    ),
    (
        rfc7395_websocket.CHECK,
        (WS, "ws://[::1/xmpp-websocket"),
        None,
        "'ws://[::1/xmpp-websocket' is not a valid URL (Invalid IPv6 URL).",
    ),
]


@pytest.mark.parametrize(("check", "link", "route", "fragment"), BAD_ENDPOINTS)
def test_it_fails_a_web_endpoint_that_sends_bad_xml_or_has_a_bad_url(check, link, route, fragment):
    outcome = linked_run(check, [link], [route] if route else [])
    assert outcome.outcome == "fail"
    assert fragment in outcome.detail


@pytest.mark.parametrize(("check", "link", "route", "fragment"), BAD_ENDPOINTS)
def test_it_tries_the_next_web_endpoint_after_a_bad_one(check, link, route, fragment):
    good = (
        (WS, "{ws}/xmpp-websocket") if check is rfc7395_websocket.CHECK else (BOSH, "{base}/bosh")
    )
    routes = [web.get("/xmpp-websocket", websocket_handler), web.post("/bosh", bosh_handler)]
    outcome = linked_run(check, [link, good], routes + ([route] if route else []))
    assert outcome.outcome == "pass"
    assert outcome.entity.endswith(("/xmpp-websocket", "/bosh"))


@pytest.mark.parametrize(
    ("check", "rel", "scheme"),
    [(xep0206_bosh.CHECK, BOSH, "http"), (rfc7395_websocket.CHECK, WS, "ws")],
)
def test_it_reports_one_origin_refusing_and_another_never_answering_as_a_timeout(
    check, rel, scheme
):
    with HostileServer(silent) as server:
        links = [
            (rel, f"{scheme}://127.0.0.1:{closed_port()}/xmpp"),
            (rel, f"{scheme}://127.0.0.1:{server.port}/xmpp"),
        ]
        outcome = linked_run(check, links, [])
    assert (outcome.outcome, outcome.error_kind) == ("error", "timeout")
    assert f"127.0.0.1:{server.port}" in outcome.detail
