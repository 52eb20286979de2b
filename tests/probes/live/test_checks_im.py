"""The IM checks' decisions where the probe opens real connections: fake streams for XMPP, a real
aiohttp server on loopback (tests/servers/http.py) for XEP-0363's uploads."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web

from probes.checks import xep0363_upload
from probes.xmpp import UPLOAD, el, tag
from tests.probes.fakes import FakeServer, payload_is, result, run, run_with
from tests.servers import closed_port
from tests.servers.http import serve


def upload_scenario(
    put_status: int = 201, same: bool = True, authorization: str = "Bearer t0ken", **extra
):
    stored: dict[str, bytes] = {}

    async def put(request):
        assert request.headers["Authorization"] == "Bearer t0ken"
        stored[request.path] = await request.read()
        return web.Response(status=put_status)

    async def get(request):
        body = stored.get(request.path, b"")
        return web.Response(body=body if same else b"other")

    async def scenario():
        async with serve([web.put("/f/{name}", put), web.get("/f/{name}", get)]) as site:
            base = site.url
            server = FakeServer().disco("upload.example.org", [("store", "file")], [UPLOAD])

            def slot(stanza):
                name = stanza.find(tag(UPLOAD, "request")).get("filename")
                put_ = el(
                    tag(UPLOAD, "put"),
                    {"url": f"{base}/f/{name}"},
                    el(tag(UPLOAD, "header"), {"name": "Authorization"}, text=authorization),
                    el(tag(UPLOAD, "header"), {"name": "X-Evil"}, text="no"),
                )
                return result(
                    stanza,
                    el(
                        tag(UPLOAD, "slot"),
                        None,
                        put_,
                        el(tag(UPLOAD, "get"), {"url": f"{base}/f/{name}"}),
                    ),
                )

            server.on(payload_is(UPLOAD, "request"), slot)
            options = {"allow_networks": ("127.0.0.0/8",)} | extra
            return await run_with(xep0363_upload.CHECK, server, **options)

    return asyncio.run(scenario())


def test_it_passes_an_upload_put_and_got_back_with_the_token_redacted():
    (outcome,) = upload_scenario()
    assert outcome.outcome == "pass"
    assert outcome.entity == "upload.example.org"
    texts = "\n".join(e.text for e in outcome.evidence)
    assert "t0ken" not in texts
    assert "X-Evil" not in texts.split("PUT http")[1]  # only the headers §5 allows are sent


@pytest.mark.parametrize(
    ("status", "same", "fragment"),
    [
        (500, True, "The PUT was answered HTTP 500."),
        (201, False, "The GET was answered HTTP 200 with other content."),
    ],
)
def test_it_fails_an_upload_that_does_not_round_trip(status, same, fragment):
    (outcome,) = upload_scenario(status, same)
    assert (outcome.outcome, outcome.detail) == ("fail", fragment)


def test_it_reports_a_line_break_in_a_slot_header_as_the_servers_protocol_error():
    (outcome,) = upload_scenario(authorization="Bearer t0ken\r\nX-Injected: 1")
    assert (outcome.outcome, outcome.error_kind) == ("error", "protocol")
    assert outcome.detail.startswith("The 'Authorization' header to send to http://127.0.0.1:")
    assert outcome.detail.endswith(
        "contains a line break or a NUL character, which no HTTP header can carry."
    )
    assert "t0ken" not in outcome.detail


def test_it_keeps_upload_tokens_out_of_the_evidence_and_the_detail():
    url = f"http://127.0.0.1:{closed_port()}/f/probe.txt?v=5ecre7"
    slot = el(
        tag(UPLOAD, "slot"),
        None,
        el(tag(UPLOAD, "put"), {"url": url}),
        el(tag(UPLOAD, "get"), {"url": url}),
    )
    server = FakeServer().disco("upload.example.org", [("store", "file")], [UPLOAD])
    server.on(payload_is(UPLOAD, "request"), lambda s: result(s, slot))
    (outcome,) = run(xep0363_upload.CHECK, server, allow_networks=("127.0.0.0/8",))
    assert (outcome.outcome, outcome.error_kind) == ("error", "network")
    assert "5ecre7" not in outcome.detail
    assert not [e.text for e in outcome.evidence if "5ecre7" in e.text]
    assert any("/f/probe.txt?[redacted]" in e.text for e in outcome.evidence)


def test_it_allows_an_explicit_host_for_xmpp_only_not_for_the_servers_urls():
    (outcome,) = upload_scenario(host="127.0.0.1", allow_networks=())
    assert outcome.outcome == "could_not_test"
    assert outcome.detail.startswith("Refused to connect to 127.0.0.1")
