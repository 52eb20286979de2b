"""Offline decisions of the Mobile, A/V and Web checks (XEP-0198, -0352, -0357, -0215, RFC 7395,
XEP-0206, -0156): fake streams for XMPP, a real aiohttp server on loopback for HTTP."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from aiohttp import WSMsgType, web

import probes.probe
from probes.checks import (
    rfc7395_websocket,
    xep0156_host_meta,
    xep0198_sm,
    xep0206_bosh,
    xep0215_extdisco,
    xep0352_csi,
    xep0357_push,
)
from probes.xmpp import CSI, EXTDISCO, PING, PUSH, SM, el, tag
from tests.probes.fakes import (
    ACCOUNT,
    FakeServer,
    fake_session,
    features,
    one,
    payload_is,
    result,
    run_with,
)

SM_FEATURES = [features(el(tag(SM, "sm")))]


def sm_scenario(
    enable_answer: str = "enabled", resume_answer: str = "resumed", closed_after_ack: bool = False
):
    """Session A enables SM and acks (then the server closes it, if closed_after_ack); session B
    (new login) asks to resume."""
    sent: list[str] = []
    sessions: list = []

    def ack(stanza):
        if closed_after_ack:
            asyncio.get_running_loop().call_soon(setattr, sessions[0].client, "transport", None)
        return el(tag(SM, "a"), {"h": "0"})

    def nonza(name):
        return lambda s: s.tag == tag(SM, name)

    def answers(server: FakeServer) -> FakeServer:
        server.on(
            nonza("enable"), lambda s: el(tag(SM, enable_answer), {"id": "sm-1", "max": "300"})
        )
        server.on(nonza("r"), ack)
        server.on(
            nonza("resume"), lambda s: sent.append(s.get("previd")) or el(tag(SM, resume_answer))
        )
        return server

    def prepare(probe, session):
        async def open_session(ready=None, prepare=None):
            client_session = fake_session(probe, answers(FakeServer()), SM_FEATURES)
            sessions.append(client_session)
            if prepare is not None:  # session B: the stream features after SASL trigger resume
                prepare(client_session.client)
                client_session.client._session_started = False
                loop = asyncio.get_running_loop()
                loop.call_soon(client_session.client._deliver, SM_FEATURES[0])
            return client_session

        probe.open_session = open_session

    outcome = one(xep0198_sm.CHECK, FakeServer(), SM_FEATURES, prepare)
    return outcome, sent


def test_it_passes_stream_management_that_resumes_a_dropped_session():
    outcome, previds = sm_scenario()
    assert outcome.outcome == "pass"
    assert previds == ["sm-1"]
    assert outcome.detail.startswith("Enabled with resumption (max 300 s), acked, and resumed")


def test_it_resumes_a_session_the_server_closed_before_the_probe_dropped_it():
    outcome, previds = sm_scenario(closed_after_ack=True)
    assert outcome.outcome == "pass"
    assert previds == ["sm-1"]
    assert "Session A's connection was already closed by the server." in [
        e.text for e in outcome.evidence
    ]


def test_it_fails_stream_management_that_will_not_resume():
    outcome, _ = sm_scenario(resume_answer="failed")
    assert outcome.detail == "The server refused to resume the dropped session."


def test_it_fails_stream_management_that_is_not_enabled():
    outcome, _ = sm_scenario(enable_answer="failed")
    assert outcome.detail == "Stream management with resumption was not enabled."


def test_it_fails_csi_when_not_offered_and_passes_when_the_session_survives():
    server = FakeServer().on(payload_is(PING, "ping"), result)
    assert one(xep0352_csi.CHECK, server).outcome == "fail"
    outcome = one(xep0352_csi.CHECK, server, [features(el(tag(CSI, "csi")))])
    assert outcome.outcome == "pass"
    assert [s.tag for s in server.received[-3:]] == [
        tag(CSI, "inactive"),
        tag(CSI, "active"),
        tag("jabber:client", "iq"),
    ]


def test_it_enables_and_disables_push_when_the_account_advertises_it():
    server = FakeServer().disco(ACCOUNT, [("account", "registered")], [PUSH])
    server.on(payload_is(PUSH, "enable"), result).on(payload_is(PUSH, "disable"), result)
    assert one(xep0357_push.CHECK, server).outcome == "pass"
    enable, disable = server.received[-2:]
    assert enable.find(tag(PUSH, "enable")).get("jid").endswith(".invalid")
    assert disable.find(tag(PUSH, "disable")) is not None


def test_it_fails_push_advertised_only_on_the_domain():
    server = FakeServer().disco("example.org", [("server", "im")], [PUSH])
    outcome = one(xep0357_push.CHECK, server)
    assert outcome.outcome == "fail"
    assert outcome.detail.endswith("It is advertised on the domain instead.")


def test_it_lists_stun_and_turn_services_and_redacts_turn_passwords():
    services = el(
        tag(EXTDISCO, "services"),
        None,
        el(
            tag(EXTDISCO, "service"),
            {
                "type": "turn",
                "host": "turn.example.org",
                "port": "3478",
                "username": "u",
                "password": "hunter2",
            },
        ),
    )
    server = FakeServer().on(payload_is(EXTDISCO, "services"), lambda s: result(s, services))
    outcome = one(xep0215_extdisco.CHECK, server)
    assert outcome.detail == "Listed: turn:turn.example.org:3478."
    assert not any("hunter2" in e.text for e in outcome.evidence)


def test_it_fails_extdisco_without_stun_or_turn():
    empty = el(tag(EXTDISCO, "services"))
    server = FakeServer().on(payload_is(EXTDISCO, "services"), lambda s: result(s, empty))
    assert one(xep0215_extdisco.CHECK, server).detail == "No STUN or TURN service is listed."


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


@contextlib.asynccontextmanager
async def site(routes):
    app = web.Application()
    app.add_routes(routes)
    runner = web.AppRunner(app)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    try:
        yield f"http://127.0.0.1:{tcp._server.sockets[0].getsockname()[1]}"
    finally:
        await runner.cleanup()


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
        async with site(routes_for(handlers)) as base:
            base_holder["base"] = base
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


@pytest.mark.parametrize(
    "check", [rfc7395_websocket.CHECK, xep0206_bosh.CHECK, xep0156_host_meta.CHECK]
)
def test_it_reports_an_unreachable_web_origin_as_a_network_error(check):
    from tests.probes.conftest import closed_port

    async def scenario():
        base = f"http://127.0.0.1:{closed_port()}"
        return await run_with(check, FakeServer(), http_base=base, allow_networks=("127.0.0.0/8",))

    (outcome,) = asyncio.run(scenario())
    assert (outcome.outcome, outcome.error_kind) == ("error", "network")


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


def test_it_refuses_a_host_meta_on_a_private_address_unless_allowed():
    async def scenario():
        return await run_with(xep0156_host_meta.CHECK, FakeServer(), http_base="http://10.1.2.3")

    (outcome,) = asyncio.run(scenario())
    assert outcome.outcome == "could_not_test"
    assert outcome.detail.startswith("Refused to connect to 10.1.2.3")


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
        async with site(meta + routes) as base:
            bases["base"] = base
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
