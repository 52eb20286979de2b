"""probes.connect: one guarded resolver (real DNS server on loopback), SRV order and fallback,
explicit overrides, and the guard on every HTTP hop and WebSocket (real loopback servers)."""

from __future__ import annotations

import asyncio
import ssl

import pytest
from aiohttp import web

from probes.addresses import NetworkPolicy
from probes.connect import Resolver, http_request, tls_context, websocket, xmpp_endpoints
from probes.errors import (
    AddressRefused,
    NetworkError,
    NetworkTimeout,
    NoEndpoint,
    ProtocolError,
    UpgradeRefused,
)
from tests.probes.conftest import closed_port
from tests.probes.servers.dns import LoopbackDNS, Zone

LOOPBACK = NetworkPolicy.allowing(["127.0.0.0/8"])


@pytest.fixture(scope="module")
def dns():
    zone = (
        Zone()
        .address("example.test", "127.0.0.1")
        .address("a.example.test", "127.0.0.2")
        .address("b.example.test", "127.0.0.3")
        .address("c.example.test", "127.0.0.4")
        .address("private.example.test", "10.0.0.7")
        .address("v6.example.test", "::1")
        .srv("_xmpp-client._tcp.example.test", "b.example.test", 5222, priority=10, weight=5)
        .srv("_xmpp-client._tcp.example.test", "a.example.test", 5222, priority=10, weight=50)
        .srv("_xmpp-client._tcp.example.test", "c.example.test", 5223, priority=5)
        .srv("_xmpps-client._tcp.example.test", "private.example.test", 5223)
        .srv("_xmpp-client._tcp.none.test", ".", 0)
        .address("none.test", "127.0.0.5")
        .srv("_xmpps-client._tcp.unresolvable.test", "nowhere.unresolvable.test", 5223)
        .srv("_xmpps-client._tcp.slow.test", "silent.slow.test", 5223)
        .silent("silent.slow.test")
    )
    with LoopbackDNS(zone) as server:
        yield server


def resolver(dns, policy=LOOPBACK, timeout=2.0) -> Resolver:
    return Resolver(policy=policy, nameserver=dns.nameserver, timeout=timeout)


def endpoints(dns, domain, **kwargs):
    return asyncio.run(xmpp_endpoints(resolver(dns), domain, **kwargs))


def test_it_orders_srv_targets_by_priority_then_weight(dns):
    found, notes = endpoints(dns, "example.test", direct_tls=False)
    assert [(e.host, e.address, e.port) for e in found] == [
        ("c.example.test", "127.0.0.4", 5223),
        ("a.example.test", "127.0.0.2", 5222),
        ("b.example.test", "127.0.0.3", 5222),
    ]
    assert notes[0].startswith("SRV _xmpp-client._tcp.example.test: c.example.test:5223")
    assert {e.source for e in found} == {"SRV _xmpp-client._tcp"}


def test_it_falls_back_to_the_domain_on_5222_without_srv(dns):
    found, _ = endpoints(dns, "a.example.test", direct_tls=False)
    assert [(e.host, e.port, e.source) for e in found] == [
        ("a.example.test", 5222, "the domain on port 5222 (no SRV record)")
    ]


def test_it_has_no_direct_tls_fallback_and_honours_a_dot_target(dns):
    with pytest.raises(NoEndpoint, match=r"_xmpps-client\._tcp\.a\.example\.test: no record"):
        endpoints(dns, "a.example.test", direct_tls=True)
    with pytest.raises(NoEndpoint, match="none.test: '.' \\(decidedly not available\\)"):
        endpoints(dns, "none.test", direct_tls=False)  # none.test has an address: not tried


def test_it_tells_srv_targets_that_do_not_resolve_from_no_srv_record(dns):
    with pytest.raises(NetworkError) as unresolvable:
        endpoints(dns, "unresolvable.test", direct_tls=True)
    assert not isinstance(unresolvable.value, NoEndpoint)
    assert str(unresolvable.value) == (
        "No address to connect to: SRV _xmpps-client._tcp.unresolvable.test: "
        "nowhere.unresolvable.test:5223 (priority 0, weight 0); nowhere.unresolvable.test: "
        "The name nowhere.unresolvable.test does not resolve to any address."
    )
    quick = resolver(dns, timeout=0.3)
    with pytest.raises(NetworkTimeout, match=r"silent\.slow\.test \(AAAA\) timed out"):
        asyncio.run(xmpp_endpoints(quick, "slow.test", direct_tls=True))


def test_it_uses_an_explicit_host_and_port(dns):
    found, _ = endpoints(dns, "example.test", direct_tls=False, host="b.example.test", port=5999)
    assert [(e.address, e.port, e.source) for e in found] == [("127.0.0.3", 5999, "--host/--port")]


def test_it_refuses_srv_targets_on_private_addresses(dns):
    with pytest.raises(AddressRefused, match=r"private\.example\.test \(10\.0\.0\.7\)"):
        endpoints(dns, "example.test", direct_tls=True)


def test_it_refuses_loopback_unless_allowed(dns):
    with pytest.raises(AddressRefused):
        asyncio.run(Resolver(nameserver=dns.nameserver).allowed_addresses("v6.example.test"))
    assert asyncio.run(resolver(dns).allowed_addresses("example.test")) == ["127.0.0.1"]


def test_it_reports_a_silent_nameserver_as_a_timeout():
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{silent.getsockname()[1]}"
        quick = Resolver(policy=LOOPBACK, nameserver=address, timeout=0.3)
        with pytest.raises(NetworkTimeout, match="timed out"):
            asyncio.run(quick.srv("xmpp-client", "example.test"))


async def serve(routes, ssl_context=None):
    app = web.Application()
    app.add_routes(routes)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=ssl_context)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]


def test_it_checks_every_redirect_hop_against_the_policy(dns):
    async def scenario():
        async def hop(request):
            raise web.HTTPFound(f"http://127.0.0.2:{port}/private")

        runner, port = await serve([web.get("/start", hop)])
        only_first = NetworkPolicy.allowing(["127.0.0.1/32"])
        try:
            with pytest.raises(AddressRefused, match="127.0.0.2"):
                await http_request(
                    "GET",
                    f"http://127.0.0.1:{port}/start",
                    resolver=resolver(dns, only_first),
                    timeout=2,
                    max_bytes=1000,
                )
        finally:
            await runner.cleanup()

    asyncio.run(scenario())


def test_it_follows_allowed_redirects_and_records_them(dns):
    async def scenario():
        async def hop(request):
            raise web.HTTPMovedPermanently("/end")

        async def end(request):
            return web.Response(text="here")

        runner, port = await serve([web.get("/start", hop), web.get("/end", end)])
        try:
            return await http_request(
                "GET",
                f"http://example.test:{port}/start",
                resolver=resolver(dns),
                timeout=2,
                max_bytes=1000,
            )
        finally:
            await runner.cleanup()

    response = asyncio.run(scenario())
    assert (response.status, response.body) == (200, b"here")
    assert response.redirects[0].endswith("/start")


def test_it_reports_a_websocket_refused_by_http_as_an_answer_not_a_network_error(dns):
    async def scenario():
        runner, port = await serve([])
        try:
            async with websocket(
                f"ws://example.test:{port}/ws", resolver=resolver(dns), timeout=2, max_bytes=1000
            ):
                pass
        finally:
            await runner.cleanup()

    with pytest.raises(UpgradeRefused) as refused:
        asyncio.run(scenario())
    assert refused.value.status == 404


def test_it_guards_websockets_too(dns):
    async def scenario():
        async with websocket(
            "ws://private.example.test/ws", resolver=resolver(dns), timeout=2, max_bytes=1000
        ):
            pass

    with pytest.raises(AddressRefused):
        asyncio.run(scenario())


def test_it_refuses_other_schemes(dns):
    with pytest.raises(ProtocolError, match="Only http and https"):
        asyncio.run(
            http_request(
                "GET", "file:///etc/passwd", resolver=resolver(dns), timeout=1, max_bytes=10
            )
        )


@pytest.mark.parametrize("host", ["127.0.0.1", "１２７.０.０.１", "127。0。0。1"])
def test_it_refuses_ip_literals_however_the_url_spells_them(dns, host):
    async def scenario():
        hits = []

        async def victim(request):
            hits.append(request.path)
            return web.Response(text="internal")

        runner, port = await serve([web.get("/{tail:.*}", victim)])
        strict = resolver(dns, NetworkPolicy())
        try:
            with pytest.raises(AddressRefused, match="Refused to connect to 127.0.0.1"):
                await http_request(
                    "GET", f"http://{host}:{port}/http", resolver=strict, timeout=2, max_bytes=10
                )
            with pytest.raises(AddressRefused, match="Refused to connect to 127.0.0.1"):
                async with websocket(
                    f"ws://{host}:{port}/ws", resolver=strict, timeout=2, max_bytes=10
                ):
                    pass
        finally:
            await runner.cleanup()
        return hits

    assert asyncio.run(scenario()) == []


def test_it_does_not_follow_websocket_redirects(dns):
    async def scenario():
        hits = []

        async def hop(request):
            raise web.HTTPFound(f"http://127.0.0.1:{port}/elsewhere")

        async def elsewhere(request):
            hits.append(request.path)
            return web.Response(text="followed")

        runner, port = await serve([web.get("/ws", hop), web.get("/elsewhere", elsewhere)])
        try:
            with pytest.raises(UpgradeRefused) as refused:
                async with websocket(
                    f"ws://127.0.0.1:{port}/ws", resolver=resolver(dns), timeout=2, max_bytes=10
                ):
                    pass
        finally:
            await runner.cleanup()
        return refused.value, hits

    refused, hits = asyncio.run(scenario())
    assert refused.status == 302
    assert hits == []


def test_it_keeps_url_tokens_out_of_its_error_messages(dns):
    async def scenario():
        async def large(request):
            return web.Response(body=b"x" * 100)

        runner, port = await serve([web.get("/large", large)])
        try:
            return [
                await failure(f"http://127.0.0.1:{port}/large?token=s3cret", max_bytes=10),
                await failure(f"http://127.0.0.1:{closed_port()}/f?v=s3cret"),
                await failure("ftp://127.0.0.1/f?v=s3cret"),
            ]
        finally:
            await runner.cleanup()

    async def failure(url, max_bytes=1000):
        try:
            await http_request("GET", url, resolver=resolver(dns), timeout=2, max_bytes=max_bytes)
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


def test_it_keeps_url_tokens_out_of_a_timeout_message(dns):
    import socket

    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/f?token=s3cret"
        with pytest.raises(NetworkTimeout) as timeout:
            asyncio.run(http_request("GET", url, resolver=resolver(dns), timeout=0.3, max_bytes=10))
    assert "s3cret" not in str(timeout.value)
    assert "/f?[redacted] did not finish within 0.3 s" in str(timeout.value)


def test_it_keeps_credentials_within_their_origin_across_redirects(dns):
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

        first, port = await serve(
            [web.put("/start", start), web.put("/same-origin", record("same-origin"))]
        )
        second, other = await serve([web.put("/other-origin", record("other-origin"))])
        try:
            response = await http_request(
                "PUT",
                f"http://127.0.0.1:{port}/start",
                resolver=resolver(dns),
                timeout=2,
                max_bytes=100,
                headers=credentials,
                data=b"file",
            )
        finally:
            await first.cleanup()
            await second.cleanup()
        return response, seen

    response, seen = asyncio.run(scenario())
    assert response.status == 201
    assert seen["same-origin"] == credentials
    assert seen["other-origin"] == {
        "Authorization": None,
        "Cookie": None,
        "Content-Type": "text/plain",
    }


def test_it_refuses_a_redirect_from_https_to_http(dns, pki):
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

        secure, port = await serve([web.put("/upload", downgrade)], server_tls)
        plain_server, plain_port = await serve([web.put("/plain", plain)])
        try:
            with pytest.raises(ProtocolError) as refused:
                await http_request(
                    "PUT",
                    f"https://127.0.0.1:{port}/upload",
                    resolver=resolver(dns),
                    timeout=2,
                    max_bytes=100,
                    headers={"Authorization": "Bearer t0ken"},
                    data=b"file",
                    ssl_context=tls_context(str(pki.path)),
                )
        finally:
            await secure.cleanup()
            await plain_server.cleanup()
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
def test_it_reports_bad_redirects_as_protocol_errors(dns, location, fragment):
    async def scenario():
        async def hop(request):  # the header as sent (HTTPFound refuses a malformed one)
            return web.Response(status=302, headers={"Location": location})

        runner, port = await serve([web.get("/hop", hop)])
        try:
            await http_request(
                "GET",
                f"http://127.0.0.1:{port}/hop",
                resolver=resolver(dns),
                timeout=2,
                max_bytes=10,
            )
        finally:
            await runner.cleanup()

    with pytest.raises(ProtocolError, match=fragment):
        asyncio.run(scenario())
