"""Hostile XMPP servers on loopback, for the probe's robustness tests.

Each behaviour is a coroutine serving one connection; `serve()` runs it on an ephemeral port of
127.0.0.1 inside the test's event loop and closes everything on exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable

from tests.probes.servers.pki import CertFiles

HEADER = (
    "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
    "xmlns:stream='http://etherx.jabber.org/streams' from='probe.test' id='hostile' "
    "version='1.0'>"
)
STARTTLS = (
    "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
    "</stream:features>"
)
MECHANISMS = (
    "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
    "<mechanism>PLAIN</mechanism></mechanisms></stream:features>"
)
BOMB = (
    "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>"
    + "".join(f"<!ENTITY lol{i} '{('&lol' + str(i - 1) + ';') * 10}'>" for i in range(2, 10))
    + "]><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
    "version='1.0' id='&lol9;'>"
)

Behaviour = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def _until(reader: asyncio.StreamReader, marker: bytes) -> None:
    seen = b""
    while marker not in seen:
        chunk = await reader.read(4096)
        if not chunk:
            raise ConnectionError("the client went away")
        seen = seen[-4096:] + chunk


async def silent(reader, writer) -> None:
    """Accepts the TCP connection and never says a word."""
    while await reader.read(4096):
        pass


async def endless(reader, writer) -> None:
    """Opens a stream, then sends one element that never ends."""
    await _until(reader, b"<stream:stream")
    writer.write((HEADER + "<message><body>").encode())
    chunk = b"x" * 65536
    while True:
        writer.write(chunk)
        await writer.drain()


async def entity_bomb(reader, writer) -> None:
    """Answers the stream header with a DTD declaring a billion laughs."""
    await _until(reader, b"<stream:stream")
    writer.write(BOMB.encode())
    await writer.drain()
    await reader.read(4096)


def starttls_then(after_tls: Behaviour, certificate: CertFiles) -> Behaviour:
    """A server doing STARTTLS properly with the given certificate, then `after_tls`."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate.certificate, certificate.key)

    async def behaviour(reader, writer) -> None:
        await _until(reader, b"<stream:stream")
        writer.write((HEADER + STARTTLS).encode())
        await _until(reader, b"<starttls")
        writer.write(b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
        await writer.drain()
        await writer.start_tls(context)
        await after_tls(reader, writer)

    return behaviour


async def close_during_sasl(reader, writer) -> None:
    """After TLS: offers PLAIN, and hangs up when the client authenticates."""
    await _until(reader, b"<stream:stream")
    writer.write((HEADER + MECHANISMS).encode())
    await _until(reader, b"<auth")
    writer.transport.abort()


async def features_then_silence(reader, writer) -> None:
    """After TLS: offers PLAIN; used with a certificate the probe must refuse."""
    await _until(reader, b"<stream:stream")
    writer.write((HEADER + MECHANISMS).encode())
    await writer.drain()
    while await reader.read(4096):
        pass


@contextlib.asynccontextmanager
async def serve(behaviour: Behaviour) -> AsyncIterator[int]:
    """Serve the behaviour on 127.0.0.1; yields the port. Connections are cut on exit."""
    writers: list[asyncio.StreamWriter] = []

    async def handle(reader, writer) -> None:
        writers.append(writer)
        with contextlib.suppress(ConnectionError, ssl.SSLError, OSError, asyncio.CancelledError):
            await behaviour(reader, writer)
        writer.transport.abort()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        for writer in writers:
            writer.transport.abort()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(server.wait_closed(), 2)
