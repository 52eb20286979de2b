"""Fake streams for offline tests of each check's decision.

A FakeServer answers the stanzas a real ProbeClient writes (through a fake transport, no
network): disco#info/#items from a table, anything else from handlers a test registers, and
`service-unavailable` for the rest, as RFC 6120 §8.4 says of unknown IQs. The check runs through
the real Probe, Context and runner.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from xml.etree import ElementTree as ET

from probes.connect.tls import TlsFacts
from probes.connect.xmpp import Endpoint
from probes.options import Options
from probes.outcomes import Outcome
from probes.probe import Check, Probe, Session
from probes.runner import run_check
from probes.stream import ProbeClient
from probes.xmpp import (
    BIND,
    CLIENT,
    DATA_FORMS,
    DISCO_INFO,
    DISCO_ITEMS,
    MAM,
    MUC,
    MUC_OWNER,
    MUC_USER,
    PING,
    RSM,
    SASL,
    SERVERINFO,
    STANZAS,
    STREAMS,
    TLS,
    el,
    form,
    tag,
)

DOMAIN, ACCOUNT = "example.org", "tester@example.org"
TLS13 = TlsFacts(
    "TLSv1.3",
    "TLS_AES_256_GCM_SHA384",
    None,
    "2030-01-01T00:00:00+00:00",
    1000,
    ("DNS:example.org",),
    True,
)

Reply = ET.Element | list[ET.Element] | None


def result(stanza: ET.Element, *payload: ET.Element) -> ET.Element:
    reply = el(
        tag(CLIENT, "iq"),
        {"type": "result", "id": stanza.get("id"), "from": stanza.get("to") or ACCOUNT},
    )
    reply.extend(payload)
    return reply


def error(stanza: ET.Element, condition: str, kind: str = "cancel") -> ET.Element:
    reply = el(
        stanza.tag, {"type": "error", "id": stanza.get("id"), "from": stanza.get("to") or ACCOUNT}
    )
    reply.append(el(tag(CLIENT, "error"), {"type": kind}, el(tag(STANZAS, condition))))
    return reply


def payload_is(namespace: str, name: str, kind: str | None = None) -> Callable[[ET.Element], bool]:
    def match(stanza: ET.Element) -> bool:
        return (kind is None or stanza.get("type") == kind) and stanza.find(
            tag(namespace, name)
        ) is not None

    return match


def features(*children: ET.Element) -> ET.Element:
    return el(tag(STREAMS, "features"), None, *children)


# The stream features of a login: STARTTLS (required), SCRAM-SHA-1, then resource binding.
STARTTLS = features(el(tag(TLS, "starttls"), None, el(tag(TLS, "required"))))
MECHANISMS = features(
    el(tag(SASL, "mechanisms"), None, el(tag(SASL, "mechanism"), text="SCRAM-SHA-1"))
)
BOUND = features(el(tag(BIND, "bind")))
LOGIN = (STARTTLS, MECHANISMS, BOUND)


class FakeServer:
    def __init__(self) -> None:
        self.info: dict[str, ET.Element] = {}
        self.items: dict[str, list[str]] = {DOMAIN: []}
        self.handlers: list[tuple[Callable[[ET.Element], bool], Callable[..., Reply]]] = []
        self.received: list[ET.Element] = []
        self.disco(DOMAIN, [("server", "im")], [DISCO_INFO, DISCO_ITEMS])
        self.disco(ACCOUNT, [("account", "registered")], [])

    def disco(self, jid: str, identities=(), features=(), forms=()) -> FakeServer:
        query = el(tag(DISCO_INFO, "query"))
        for category, kind in identities:
            query.append(el(tag(DISCO_INFO, "identity"), {"category": category, "type": kind}))
        for var in features:
            query.append(el(tag(DISCO_INFO, "feature"), {"var": var}))
        query.extend(forms)
        self.info[jid] = query
        if jid not in (DOMAIN, ACCOUNT) and jid not in self.items[DOMAIN] and "@" not in jid:
            self.items[DOMAIN].append(jid)
        return self

    def on(self, match: Callable[[ET.Element], bool], answer: Callable[..., Reply]) -> FakeServer:
        """Answer stanzas that match; later registrations win."""
        self.handlers.insert(0, (match, answer))
        return self

    def answer(self, stanza: ET.Element) -> list[ET.Element]:
        self.received.append(stanza)
        for match, answer in self.handlers:
            if match(stanza):
                reply = answer(stanza)
                return [] if reply is None else reply if isinstance(reply, list) else [reply]
        if stanza.tag != tag(CLIENT, "iq") or stanza.get("type") not in ("get", "set"):
            return []
        to = stanza.get("to") or ACCOUNT
        if stanza.find(tag(DISCO_INFO, "query")) is not None:
            return [
                result(stanza, self.info[to])
                if to in self.info
                else error(stanza, "item-not-found")
            ]
        if stanza.find(tag(DISCO_ITEMS, "query")) is not None:
            items = el(tag(DISCO_ITEMS, "query"))
            for jid in self.items.get(to, []):
                items.append(el(tag(DISCO_ITEMS, "item"), {"jid": jid}))
            return [result(stanza, items)]
        return [error(stanza, "service-unavailable")]


class FakeTransport(asyncio.Transport):
    """What the client writes goes to the FakeServer; its answers come back on the next turn."""

    def __init__(self, client: ProbeClient, server: FakeServer) -> None:
        super().__init__()
        self.client, self.server, self.closed = client, server, False

    def write(self, data: bytes) -> None:
        text = data.decode()
        if self.closed:
            return
        if text.startswith("</stream:stream"):  # the server closes its side too
            self.closed = True
            asyncio.get_running_loop().call_soon(self.client.connection_lost, None)
            return
        for stanza in ET.fromstring(f"<w xmlns='{CLIENT}'>{text}</w>"):
            for reply in self.server.answer(stanza):
                asyncio.get_running_loop().call_soon(self.client._deliver, reply)

    def abort(self) -> None:
        self.closed = True

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name, default=None):
        return default


def fake_client(probe: Probe, server: FakeServer, stream_features=()) -> ProbeClient:
    """A logged-in ProbeClient wired to the FakeServer."""
    client = probe.new_client(authenticate=True, direct_tls=False)
    client.transport = FakeTransport(client, server)
    client.header = {"version": "1.0", "id": "fake", "from": DOMAIN}
    client.feature_sets = list(stream_features)
    client.tls, client.phase, client.recording = TLS13, "ready", False
    client._session_started = True
    return client


def fake_session(probe: Probe, server: FakeServer, stream_features=()) -> Session:
    endpoint = Endpoint(f"xmpp.{DOMAIN}", 5222, "192.0.2.1", False, "SRV _xmpp-client._tcp")
    return Session(fake_client(probe, server, stream_features), endpoint, [])


def options(**extra) -> Options:
    values = {
        "domain": DOMAIN,
        "jid": ACCOUNT,
        "password": "pw",
        "request_timeout": 0.5,
        "connect_timeout": 0.5,
        "check_timeout": 3.0,
        "run_timeout": 5.0,
    }
    return Options(**(values | extra))


async def run_with(
    check: Check, server: FakeServer, stream_features=(), prepare=None, **extra
) -> list[Outcome]:
    """Run one check against the FakeServer; `prepare(probe, session)` may change the login (and
    probe.open_session, which gives a check's own sessions)."""
    probe = Probe(options(**extra))
    await probe.prepare()
    session = fake_session(probe, server, stream_features)

    async def open_session(**kwargs) -> Session:  # a check's own sessions: more of the same
        return fake_session(probe, server, stream_features)

    probe.open_session = open_session
    if prepare is not None:
        prepare(probe, session)

    async def main() -> Session:
        return session

    probe.memo("main", main)
    try:
        return await run_check(probe, check)
    finally:
        await probe.close()


def run(check: Check, server: FakeServer, stream_features=(), prepare=None, **extra):
    return asyncio.run(run_with(check, server, stream_features, prepare, **extra))


def one(check: Check, server: FakeServer, stream_features=(), prepare=None, **extra) -> Outcome:
    (outcome,) = run(check, server, stream_features, prepare, **extra)
    return outcome


def serverinfo_form(**fields: list[str]) -> ET.Element:
    x = form(SERVERINFO, {k.replace("_", "-"): v for k, v in fields.items()}, kind="result")
    assert x.tag == tag(DATA_FORMS, "x")
    return x


def presence(frm: str, kind: str | None = None, *children: ET.Element) -> ET.Element:
    return el(tag(CLIENT, "presence"), {"from": frm, "type": kind}, *children)


class FakeMuc:
    """A MUC service on the FakeServer: rooms are created on join, destroyed on request."""

    def __init__(
        self,
        server: FakeServer,
        service: str,
        *,
        refuse: str = "",
        room_features=(),
        archive: bool = True,
        self_ping: str = "result",
        archive_field: str = "",
    ) -> None:
        self.server, self.service, self.refuse = server, service, refuse
        self.rooms: set[str] = set()
        self.archived: dict[str, list[ET.Element]] = {}
        self.room_features, self.archive, self.self_ping = list(room_features), archive, self_ping
        self.archive_field = archive_field
        self.ns = (MUC, MUC_OWNER, MUC_USER, PING)
        server.disco(service, [("conference", "text")], [MUC])
        server.on(self._mine, self._answer)

    def _mine(self, stanza: ET.Element) -> bool:
        return stanza.get("to", "").split("/")[0].endswith("@" + self.service)

    def _answer(self, stanza: ET.Element) -> Reply:
        muc, owner, user, ping = self.ns
        to = stanza.get("to", "")
        room, _, nick = to.partition("/")
        kind = stanza.get("type")
        if stanza.tag == tag(CLIENT, "presence") and kind is None:
            if self.refuse:
                return error(stanza, self.refuse)
            created = room not in self.rooms
            self.rooms.add(room)
            x = el(tag(user, "x"), None, el(tag(user, "status"), {"code": "110"}))
            if created:
                x.append(el(tag(user, "status"), {"code": "201"}))
            return presence(to, None, x)
        if stanza.tag == tag(CLIENT, "presence") and kind == "unavailable":
            x = el(tag(user, "x"), None, el(tag(user, "status"), {"code": "110"}))
            return presence(to, "unavailable", x)
        if stanza.tag == tag(CLIENT, "message"):
            body = stanza.findtext(tag(CLIENT, "body"))
            echo = el(
                tag(CLIENT, "message"),
                {"from": f"{room}/probe", "type": "groupchat"},
                el(tag(CLIENT, "body"), text=body),
            )
            if self.archive:
                self.archived.setdefault(room, []).append(echo)
            return echo
        if stanza.find(tag(DISCO_INFO, "query")) is not None:
            info = el(
                tag(DISCO_INFO, "query"),
                None,
                el(tag(DISCO_INFO, "identity"), {"category": "conference", "type": "text"}),
            )
            for var in self.room_features:
                info.append(el(tag(DISCO_INFO, "feature"), {"var": var}))
            return result(stanza, info) if room in self.rooms else error(stanza, "item-not-found")
        if stanza.find(tag(owner, "query")) is not None:
            if kind == "get":
                fields = {self.archive_field: "0"} if self.archive_field else {}
                config = form("http://jabber.org/protocol/muc#roomconfig", fields, kind="form")
                return result(stanza, el(tag(owner, "query"), None, config))
            submitted = stanza.find(f".//{{{DATA_FORMS}}}field[@var='{self.archive_field}']")
            if self.archive_field and submitted is not None:
                self.room_features.append(MAM)
            if stanza.find(f"{{{owner}}}query/{{{owner}}}destroy") is not None:
                if room not in self.rooms:
                    return error(stanza, "item-not-found")
                self.rooms.discard(room)
            return result(stanza)
        if stanza.find(tag(ping, "ping")) is not None:
            return result(stanza) if self.self_ping == "result" else error(stanza, self.self_ping)
        if stanza.find(tag(MAM, "query")) is not None:
            query_id = stanza.find(tag(MAM, "query")).get("queryid")
            replies = []
            for message in self.archived.get(room, []):
                wrapped = el(
                    tag(CLIENT, "message"),
                    {"from": room},
                    el(tag(MAM, "result"), {"queryid": query_id}, message),
                )
                replies.append(wrapped)
            fin = el(tag(MAM, "fin"), {"complete": "true"}, el(tag(RSM, "set")))
            return [*replies, result(stanza, fin)]
        return error(stanza, "feature-not-implemented")
