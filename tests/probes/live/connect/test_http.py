"""probes.connect.http against real HTTP servers on loopback: the guard on every redirect hop and
on every spelling of an address, credentials kept within their origin, no redirect from https to
http, capped bodies and bounded time, with URL tokens kept out of the messages."""

from __future__ import annotations

import asyncio
import ssl

import pytest
from aiohttp import web

from probes.addresses import NetworkPolicy
from probes.connect.http import http_request
from probes.connect.tls import tls_context
from probes.connect.websocket import websocket
from probes.errors import (
    AddressRefused,
    NetworkError,
    NetworkTimeout,
    NothingListens,
    ProtocolError,
)
from tests.servers import closed_port
from tests.servers.http import serve


def test_it_checks_every_redirect_hop_against_the_policy(resolver):
    async def scenario():
        async def hop(request):
            raise web.HTTPFound(f"http://127.0.0.2:{port}/private")

        only_first = NetworkPolicy.allowing(["127.0.0.1/32"])
        async with serve([web.get("/start", hop)]) as site:
            port = site.port
            with pytest.raises(AddressRefused, match="127.0.0.2"):
                await http_request(
                    "GET",
                    f"http://127.0.0.1:{port}/start",
                    resolver=resolver(only_first),
                    timeout=2,
                    max_bytes=1000,
                )

    asyncio.run(scenario())


def test_it_follows_allowed_redirects_and_records_them(resolver):
    async def scenario():
        async def hop(request):
            raise web.HTTPMovedPermanently("/end")

        async def end(request):
            return web.Response(text="here")

        async with serve([web.get("/start", hop), web.get("/end", end)]) as site:
            return await http_request(
                "GET",
                f"http://example.test:{site.port}/start",
                resolver=resolver(),
                timeout=2,
                max_bytes=1000,
            )

    response = asyncio.run(scenario())
    assert (response.status, response.body) == (200, b"here")
    assert response.redirects[0].endswith("/start")


@pytest.mark.parametrize("host", ["127.0.0.1", "１２７.０.０.１", "127。0。0。1"])
def test_it_refuses_ip_literals_however_the_url_spells_them(resolver, host):
    async def scenario():
        hits = []

        async def victim(request):
            hits.append(request.path)
            return web.Response(text="internal")

        strict = resolver(NetworkPolicy())
        async with serve([web.get("/{tail:.*}", victim)]) as site:
            port = site.port
            with pytest.raises(AddressRefused, match="Refused to connect to 127.0.0.1"):
                await http_request(
                    "GET", f"http://{host}:{port}/http", resolver=strict, timeout=2, max_bytes=10
                )
            with pytest.raises(AddressRefused, match="Refused to connect to 127.0.0.1"):
                async with websocket(
                    f"ws://{host}:{port}/ws", resolver=strict, timeout=2, max_bytes=10
                ):
                    pass
        return hits

    assert asyncio.run(scenario()) == []


def test_it_keeps_url_tokens_out_of_its_error_messages(resolver):
    async def scenario():
        async def large(request):
            return web.Response(body=b"x" * 100)

        async with serve([web.get("/large", large)]) as site:
            return [
                await failure(f"http://127.0.0.1:{site.port}/large?token=s3cret", max_bytes=10),
                await failure(f"http://127.0.0.1:{closed_port()}/f?v=s3cret"),
                await failure("ftp://127.0.0.1/f?v=s3cret"),
            ]

    async def failure(url, max_bytes=1000):
        try:
            await http_request("GET", url, resolver=resolver(), timeout=2, max_bytes=max_bytes)
        except Exception as exc:
            return str(exc)

    messages = asyncio.run(scenario())
    assert messages[0].endswith("/large?[redacted] is 100 bytes, more than the limit of 10 bytes.")
    assert messages[1].startswith("Could not connect to 127.0.0.1:")
    assert (
        messages[2]
        == "Only http and https URLs can be fetched, not 'ftp://127.0.0.1/f?[redacted]'."
    )
    assert not any("s3cret" in message for message in messages)


def test_it_keeps_url_tokens_out_of_a_timeout_message(resolver):
    import socket

    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/f?token=s3cret"
        with pytest.raises(NetworkTimeout) as timeout:
            asyncio.run(http_request("GET", url, resolver=resolver(), timeout=0.3, max_bytes=10))
    assert "s3cret" not in str(timeout.value)
    assert "/f?[redacted] did not finish within 0.3 s" in str(timeout.value)


def test_it_keeps_credentials_within_their_origin_across_redirects(resolver):
    credentials = {"Authorization": "Bearer t0ken", "Cookie": "s=1", "Content-Type": "text/plain"}

    async def scenario():
        seen = {}

        def record(name):
            async def handler(request):
                seen[name] = {k: request.headers.get(k) for k in credentials}
                if name == "same-origin":
                    raise web.HTTPTemporaryRedirect(f"http://127.0.0.1:{other}/other-origin")
                return web.Response(status=201)

            return handler

        async def start(request):
            raise web.HTTPTemporaryRedirect("/same-origin")

        routes = [web.put("/start", start), web.put("/same-origin", record("same-origin"))]
        async with (
            serve(routes) as first,
            serve([web.put("/other-origin", record("other-origin"))]) as second,
        ):
            other = second.port
            response = await http_request(
                "PUT",
                f"http://127.0.0.1:{first.port}/start",
                resolver=resolver(),
                timeout=2,
                max_bytes=100,
                headers=credentials,
                data=b"file",
            )
        return response, seen

    response, seen = asyncio.run(scenario())
    assert response.status == 201
    assert seen["same-origin"] == credentials
    assert seen["other-origin"] == {
        "Authorization": None,
        "Cookie": None,
        "Content-Type": "text/plain",
    }


def test_it_refuses_a_redirect_from_https_to_http(resolver, pki):
    certificate = pki.issue("loopback", ["127.0.0.1"])
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(certificate.certificate, certificate.key)

    async def scenario():
        hits = []

        async def downgrade(request):
            raise web.HTTPTemporaryRedirect(f"http://127.0.0.1:{plain_port}/plain?t=s3cret")

        async def plain(request):
            hits.append(request.path)
            return web.Response(text="plain")

        async with (
            serve([web.put("/upload", downgrade)], server_tls) as secure,
            serve([web.put("/plain", plain)]) as plain_server,
        ):
            port, plain_port = secure.port, plain_server.port
            with pytest.raises(ProtocolError) as refused:
                await http_request(
                    "PUT",
                    f"https://127.0.0.1:{port}/upload",
                    resolver=resolver(),
                    timeout=2,
                    max_bytes=100,
                    headers={"Authorization": "Bearer t0ken"},
                    data=b"file",
                    ssl_context=tls_context(str(pki.path)),
                )
        return str(refused.value), hits, port, plain_port

    message, hits, port, plain_port = asyncio.run(scenario())
    assert hits == []
    assert message == (
        f"https://127.0.0.1:{port}/upload redirected to http://127.0.0.1:{plain_port}/plain?"
        "[redacted]: the probe does not follow a redirect from https to http."
    )


@pytest.mark.parametrize(
    ("location", "fragment"),
    [
        ("http://[::1/elsewhere", "/hop redirected to a malformed URL"),
        ("/hop", "More than 5 redirects"),
    ],
)
def test_it_reports_bad_redirects_as_protocol_errors(resolver, location, fragment):
    async def scenario():
        async def hop(request):  # the header as sent (HTTPFound refuses a malformed one)
            return web.Response(status=302, headers={"Location": location})

        async with serve([web.get("/hop", hop)]) as site:
            await http_request(
                "GET",
                f"http://127.0.0.1:{site.port}/hop",
                resolver=resolver(),
                timeout=2,
                max_bytes=10,
            )

    with pytest.raises(ProtocolError, match=fragment):
        asyncio.run(scenario())


def test_it_names_the_url_asked_when_redirects_never_end(resolver):
    async def scenario():
        async def hop(request):  # /r/0 -> /r/1 -> ... for ever
            raise web.HTTPFound(f"/r/{int(request.match_info['n']) + 1}?sig=s3cret")

        async with serve([web.get("/r/{n}", hop)]) as site:
            base = site.url
            with pytest.raises(ProtocolError) as error:
                await http_request(
                    "GET", f"{base}/r/0?t=1", resolver=resolver(), timeout=2, max_bytes=10
                )
            return base, str(error.value)

    base, message = asyncio.run(scenario())
    assert message == (
        f"More than 5 redirects from {base}/r/0?[redacted] (the last from {base}/r/5?[redacted])."
    )


def test_it_says_nothing_listens_when_every_address_refuses(resolver):
    port = closed_port()
    url = f"http://two.example.test:{port}/.well-known/host-meta?token=s3cret"
    with pytest.raises(NothingListens) as refused:  # 127.0.0.2, then 127.0.0.1
        asyncio.run(http_request("GET", url, resolver=resolver(), timeout=2, max_bytes=10))
    assert refused.value.origin == f"http://two.example.test:{port}"
    assert str(refused.value).startswith(f"Could not connect to two.example.test:{port}: ")
    assert "s3cret" not in str(refused.value)


def test_it_says_nothing_listens_only_of_the_url_asked_not_of_a_redirect(resolver):
    async def scenario():
        async def away(request):
            raise web.HTTPFound(f"http://127.0.0.1:{closed_port()}/gone")

        async with serve([web.get("/away", away)]) as site:
            url = f"http://127.0.0.1:{site.port}/away"
            await http_request("GET", url, resolver=resolver(), timeout=2, max_bytes=10)

    with pytest.raises(NetworkError) as failed:
        asyncio.run(scenario())
    assert not isinstance(failed.value, NothingListens)  # the origin asked answered


def test_it_times_out_when_one_address_refuses_and_the_other_never_answers(resolver):
    import socket

    with socket.create_server(("127.0.0.1", 0)) as silent:  # 127.0.0.2 refuses, this accepts
        url = f"http://two.example.test:{silent.getsockname()[1]}/"
        with pytest.raises(NetworkTimeout):
            asyncio.run(http_request("GET", url, resolver=resolver(), timeout=0.5, max_bytes=10))
