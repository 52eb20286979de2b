"""Hostile XMPP servers on loopback, for the probe's robustness tests.

Each behaviour is a coroutine serving one connection; HostileServer runs it on an ephemeral port
of 127.0.0.1 in a thread of the test process and cuts everything on exit. `logged_in(answer,
certificate)` is a server that lets any account in (STARTTLS, SASL PLAIN, resource binding) and
then sends back what `answer(stanza)` returns for each stanza: `ManyComponents` (a domain listing
thousands of MUC and upload components) and `huge_feature` are such answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import threading
from collections.abc import Awaitable, Callable
from xml.etree import ElementTree as ET

from slixmpp.xmlstream import tostring

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

BIND_FEATURES = (
    "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>"
)

Behaviour = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
Answer = Callable[[ET.Element], list[ET.Element]]


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


async def hang_up(reader, writer) -> None:
    """Reads what the client sends first (a stream header, a TLS ClientHello), then closes the
    connection cleanly: the client sees its end (FIN), not a reset (unread data would make one)."""
    await reader.read(4096)
    writer.close()
    await writer.wait_closed()


async def features_then_silence(reader, writer) -> None:
    """After TLS: offers PLAIN; used with a certificate the probe must refuse."""
    await _until(reader, b"<stream:stream")
    writer.write((HEADER + MECHANISMS).encode())
    await writer.drain()
    while await reader.read(4096):
        pass


# -- a server that logs any account in, then answers stanza by stanza ---------------------------

CLIENT, STANZAS = "jabber:client", "urn:ietf:params:xml:ns:xmpp-stanzas"
DISCO_INFO = "http://jabber.org/protocol/disco#info"
DISCO_ITEMS = "http://jabber.org/protocol/disco#items"
MUC, MUC_USER = "http://jabber.org/protocol/muc", "http://jabber.org/protocol/muc#user"
MUC_OWNER, UPLOAD = "http://jabber.org/protocol/muc#owner", "urn:xmpp:http:upload:0"
BIND = "urn:ietf:params:xml:ns:xmpp-bind"


def _el(name: str, ns: str, attrs: dict | None = None, *children: ET.Element, text: str = ""):
    element = ET.Element(f"{{{ns}}}{name}", attrs or {})
    element.extend(children)
    element.text = text or None
    return element


def result(stanza: ET.Element, *payload: ET.Element) -> ET.Element:
    attrs = {"type": "result", "id": stanza.get("id", ""), "from": stanza.get("to", "probe.test")}
    return _el("iq", CLIENT, attrs, *payload)


def error(stanza: ET.Element, condition: str = "service-unavailable") -> ET.Element:
    attrs = {"type": "error", "id": stanza.get("id", ""), "from": stanza.get("to", "probe.test")}
    name = stanza.tag.rpartition("}")[2]
    return _el(
        name, CLIENT, attrs, _el("error", CLIENT, {"type": "cancel"}, _el(condition, STANZAS))
    )


def _bound(stanza: ET.Element) -> ET.Element:
    resource = stanza.findtext(f"{{{BIND}}}bind/{{{BIND}}}resource") or "probe"
    jid = _el("jid", BIND, text=f"tester@probe.test/{resource}")
    return result(stanza, _el("bind", BIND, None, jid))


def logged_in(answer: Answer, certificate: CertFiles, header: str = HEADER) -> Behaviour:
    """STARTTLS with the certificate, SASL PLAIN accepting any credentials, resource binding;
    then each stanza the client sends gets the elements answer(stanza) returns, until the client
    closes its stream."""
    return starttls_then(_authenticated(answer, header), certificate)


def _authenticated(answer: Answer, header: str) -> Behaviour:
    async def behaviour(reader, writer) -> None:
        await _until(reader, b"<stream:stream")
        writer.write((header + MECHANISMS).encode())
        await _until(reader, b"</auth>")
        writer.write(b"<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>")
        parser, depth = ET.XMLPullParser(events=("start", "end")), 0
        while data := await reader.read(65536):
            parser.feed(data)
            for event, element in parser.read_events():
                depth += 1 if event == "start" else -1
                if event == "start" and depth == 1:  # the client's stream header, after SASL
                    writer.write((header + BIND_FEATURES).encode())
                elif event == "end" and depth == 0:
                    writer.write(b"</stream:stream>")
                    return
                elif event == "end" and depth == 1:
                    binding = element.find(f"{{{BIND}}}bind") is not None
                    for reply in [_bound(element)] if binding else answer(element):
                        writer.write(tostring(reply, xmlns=CLIENT, top_level=True).encode())
                    element.clear()
            await writer.drain()

    return behaviour


def _query(stanza: ET.Element, ns: str, name: str = "query") -> ET.Element | None:
    return stanza.find(f"{{{ns}}}{name}") if stanza.tag == f"{{{CLIENT}}}iq" else None


def _disco(stanza: ET.Element, identities, features) -> ET.Element:
    query = _el("query", DISCO_INFO)
    for category, kind in identities:
        query.append(_el("identity", DISCO_INFO, {"category": category, "type": kind}))
    for var in features:
        query.append(_el("feature", DISCO_INFO, {"var": var}))
    return result(stanza, query)


def huge_feature(size: int) -> Answer:
    """The domain's disco#info lists one feature of `size` characters of 'a.a.a.', its
    disco#items nothing; every other IQ is answered service-unavailable."""
    feature = ("a." * size)[:size]

    def answer(stanza: ET.Element) -> list[ET.Element]:
        if _query(stanza, DISCO_INFO) is not None and stanza.get("to") == "probe.test":
            return [_disco(stanza, [("server", "im")], [DISCO_INFO, DISCO_ITEMS, feature])]
        if _query(stanza, DISCO_ITEMS) is not None and stanza.get("to") == "probe.test":
            return [result(stanza, _el("query", DISCO_ITEMS))]
        return [error(stanza)] if stanza.get("type") in ("get", "set") else []

    return answer


class ManyComponents:
    """A domain whose disco#items lists `count` components, c0000.probe.test and on, each a MUC
    service and an upload service: rooms are created on join and destroyed on request, upload
    slots point at `upload_base`. Counts the IQs it was sent, and keeps the rooms that exist."""

    def __init__(self, count: int, upload_base: str) -> None:
        self.jids = [f"c{i:04}.probe.test" for i in range(count)]
        self.upload_base = upload_base
        self.iqs = 0
        self.created: set[str] = set()
        self.rooms: set[str] = set()  # created and not destroyed
        self.lock = threading.Lock()

    def __call__(self, stanza: ET.Element) -> list[ET.Element]:
        with self.lock:
            self.iqs += stanza.tag == f"{{{CLIENT}}}iq"
            return self._answer(stanza)

    def _answer(self, stanza: ET.Element) -> list[ET.Element]:
        to = stanza.get("to", "")
        room, _, nick = to.partition("/")
        in_room = nick and room.partition("@")[2] != "probe.test"  # not the account's own JID
        if stanza.tag == f"{{{CLIENT}}}presence" and in_room:
            return [self._presence(to, room, stanza.get("type"))]
        if _query(stanza, DISCO_ITEMS) is not None and to == "probe.test":
            items = _el("query", DISCO_ITEMS)
            items.extend(_el("item", DISCO_ITEMS, {"jid": jid}) for jid in self.jids)
            return [result(stanza, items)]
        if _query(stanza, DISCO_INFO) is not None:
            if to == "probe.test":
                return [_disco(stanza, [("server", "im")], [DISCO_INFO, DISCO_ITEMS])]
            if "@" in to:
                room_disco = _disco(stanza, [("conference", "text")], [MUC])
                return [room_disco if to in self.rooms else error(stanza, "item-not-found")]
            identities = [("conference", "text"), ("store", "file")]
            return [_disco(stanza, identities, [DISCO_INFO, MUC, UPLOAD])]
        owner = _query(stanza, MUC_OWNER)
        if owner is not None:
            if owner.find(f"{{{MUC_OWNER}}}destroy") is not None:
                self.rooms.discard(room)
            return [
                result(stanza, _el("query", MUC_OWNER))
                if stanza.get("type") == "get"
                else result(stanza)
            ]
        request = _query(stanza, UPLOAD, "request")
        if request is not None:
            url = f"{self.upload_base}/{to}/{request.get('filename')}"
            slot = _el(
                "slot",
                UPLOAD,
                None,
                _el("put", UPLOAD, {"url": url}),
                _el("get", UPLOAD, {"url": url}),
            )
            return [result(stanza, slot)]
        return [error(stanza)] if stanza.get("type") in ("get", "set") else []

    def _presence(self, occupant: str, room: str, kind: str | None) -> ET.Element:
        statuses = [_el("status", MUC_USER, {"code": "110"})]
        if kind is None and room not in self.rooms:
            self.rooms.add(room)
            self.created.add(room)
            statuses.append(_el("status", MUC_USER, {"code": "201"}))
        attrs = {"from": occupant} | ({"type": kind} if kind else {})
        return _el("presence", CLIENT, attrs, _el("x", MUC_USER, None, *statuses))


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
