"""probes.connect.websocket against real HTTP servers on loopback: a handshake refused by HTTP is
an answer, not a network error; the guard applies; redirects are not followed."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web

from probes.connect.websocket import websocket
from probes.errors import AddressRefused, NothingListens, UpgradeRefused
from tests.servers import closed_port
from tests.servers.http import serve


def test_it_reports_a_websocket_refused_by_http_as_an_answer_not_a_network_error(resolver):
    async def scenario():
        async with (
            serve([]) as site,
            websocket(
                f"ws://example.test:{site.port}/ws", resolver=resolver(), timeout=2, max_bytes=1000
            ),
        ):
            pass

    with pytest.raises(UpgradeRefused) as refused:
        asyncio.run(scenario())
    assert refused.value.status == 404


def test_it_guards_websockets_too(resolver):
    async def scenario():
        async with websocket(
            "ws://private.example.test/ws", resolver=resolver(), timeout=2, max_bytes=1000
        ):
            pass

    with pytest.raises(AddressRefused):
        asyncio.run(scenario())


def test_it_does_not_follow_websocket_redirects(resolver):
    async def scenario():
        hits = []

        async def hop(request):
            raise web.HTTPFound(f"http://127.0.0.1:{port}/elsewhere")

        async def elsewhere(request):
            hits.append(request.path)
            return web.Response(text="followed")

        async with serve([web.get("/ws", hop), web.get("/elsewhere", elsewhere)]) as site:
            port = site.port
            with pytest.raises(UpgradeRefused) as refused:
                async with websocket(
                    f"ws://127.0.0.1:{port}/ws", resolver=resolver(), timeout=2, max_bytes=10
                ):
                    pass
        return refused.value, hits

    refused, hits = asyncio.run(scenario())
    assert refused.status == 302
    assert hits == []


def test_it_says_nothing_listens_at_a_websocket_origin_that_refuses(resolver):
    port = closed_port()

    async def scenario():
        url = f"wss://two.example.test:{port}/xmpp-websocket"
        async with websocket(url, resolver=resolver(), timeout=2, max_bytes=1000):
            pass

    with pytest.raises(NothingListens) as refused:
        asyncio.run(scenario())
    assert refused.value.origin == f"wss://two.example.test:{port}"
