"""Hostile XMPP servers on loopback, for the probe's robustness tests.

Each behaviour is a coroutine serving one connection; HostileServer runs it on an ephemeral port
of 127.0.0.1 in a thread of the test process and cuts everything on exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import threading
from collections.abc import Awaitable, Callable

from tests.servers.pki import CertFiles

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
SCRAM_AND_PLAIN = (
    "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
    "<mechanism>SCRAM-SHA-1</mechanism><mechanism>PLAIN</mechanism></mechanisms></stream:features>"
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


def answers(data: bytes) -> Behaviour:
    """Answers the stream header with these bytes, then listens until the client leaves."""

    async def behaviour(reader, writer) -> None:
        await _until(reader, b"<stream:stream")
        writer.write(data)
        await writer.drain()
        while await reader.read(4096):
            pass

    return behaviour


entity_bomb = answers(BOMB.encode())  # a DTD declaring a billion laughs
entity_bomb_utf16 = answers(b"\xff\xfe" + BOMB.encode("utf-16-le"))  # the same, in UTF-16
see_other_host = answers(  # slixmpp would reconnect by itself, and to the host named
    (
        HEADER + "<stream:error><see-other-host xmlns='urn:ietf:params:xml:ns:xmpp-streams'>"
        "elsewhere.test:5222</see-other-host></stream:error>"
    ).encode()
)
deeply_nested = answers(
    (HEADER + "<stream:features>" + "<a>" * 3000 + "</a>" * 3000 + "</stream:features>").encode()
)


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


def sasl_without_tls(received: list[bytes]) -> Behaviour:
    """Offers SCRAM and PLAIN on a connection without TLS (no STARTTLS); keeps what it receives."""

    async def behaviour(reader, writer) -> None:
        await _until(reader, b"<stream:stream")
        writer.write((HEADER + SCRAM_AND_PLAIN).encode())
        while data := await reader.read(4096):
            received.append(data)

    return behaviour


async def features_then_silence(reader, writer) -> None:
    """After TLS: offers PLAIN; used with a certificate the probe must refuse."""
    await _until(reader, b"<stream:stream")
    writer.write((HEADER + MECHANISMS).encode())
    await writer.drain()
    while await reader.read(4096):
        pass


class HostileServer:
    """The behaviour served on 127.0.0.1 from a thread with its own event loop (so that the probe
    under test can run in asyncio.run or the CLI). Every connection is cut on exit."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.writers: list[asyncio.StreamWriter] = []
        self.port = 0

    async def _handle(self, reader, writer) -> None:
        self.writers.append(writer)
        with contextlib.suppress(ConnectionError, ssl.SSLError, OSError):
            await self.behaviour(reader, writer)
        writer.transport.abort()

    def __enter__(self) -> HostileServer:
        self.thread.start()
        started = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._handle, "127.0.0.1", 0), self.loop
        )
        self.server = started.result(5)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    def __exit__(self, *exc_info) -> None:
        async def stop() -> None:
            self.server.close()
            for writer in self.writers:
                writer.transport.abort()
            for task in asyncio.all_tasks() - {asyncio.current_task()}:
                task.cancel()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()
