"""probes.stream.ProbeClient's guards, offline: addresses, DTDs, size caps, malformed XML, and the
SCRAM speed-up that must give the same bytes."""

from __future__ import annotations

import asyncio
import hashlib
import subprocess
import sys
import time
from pathlib import Path

import pytest
from slixmpp.util.sasl.mechanisms import SCRAM

from probes.addresses import NetworkPolicy
from probes.connect.tls import tls_context
from probes.errors import AddressRefused, ProtocolError
from probes.outcomes import Evidence
from probes.stream import PbkdfSCRAM, ProbeClient
from probes.xmpp import CLIENT, el, tag

HEADER = (
    b"<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
    b"id='s1' version='1.0'>"
)


class NullTransport:
    def __init__(self) -> None:
        self.written, self.aborted = [], False

    def write(self, data) -> None:
        self.written.append(data)

    def abort(self) -> None:
        self.aborted = True

    def close(self) -> None:
        self.aborted = True

    def get_extra_info(self, name, default=None):
        return default


def client(max_stanza_bytes: int = 1000) -> ProbeClient:
    c = ProbeClient(
        "tester@example.org/p",
        "pw",
        policy=NetworkPolicy(),
        ssl_context=tls_context(),
        max_stanza_bytes=max_stanza_bytes,
    )
    c.transport = NullTransport()
    c.init_parser()
    return c


def fed(*chunks: bytes, prepare=None) -> ProbeClient:
    """A client that was fed these chunks from the server (prepare(client) first)."""

    async def scenario() -> ProbeClient:
        c = client()
        if prepare is not None:
            prepare(c)
        for chunk in chunks:
            c.data_received(chunk)
        return c

    return asyncio.run(scenario())


UTF16_DTD = "<?xml version='1.0' encoding='UTF-16'?><!DOCTYPE s [<!ENTITY a 'x'>]>"


@pytest.mark.parametrize(
    "chunks",
    [
        [b"<?xml version='1.0'?><!DOCTYPE s [<!ENTITY a 'b'>]>" + HEADER],
        [b"\xff\xfe" + (UTF16_DTD + HEADER.decode()).encode("utf-16-le")],  # from the BOM
        [(UTF16_DTD + HEADER.decode()).encode("utf-16-be")],  # detected without a BOM
        [HEADER + b"<message><!-- hi --></message>"],
        [HEADER + b"<message><body>ok</body></message><!-", b"- split -->"],
    ],
)
def test_it_ends_the_stream_on_a_dtd_or_comment_in_any_encoding(chunks):
    c = fed(*chunks)
    assert isinstance(c.failure, ProtocolError)
    assert "RFC 6120 §11.1" in str(c.failure)
    assert c.transport.aborted


@pytest.mark.parametrize(
    "body", [b"<body><![CDATA[x < y <!-- z]]></body>", b"<body>&lt;!DOCTYPE &#x3c;!--</body>"]
)
def test_it_lets_cdata_and_escaped_markup_through(body):
    c = fed(HEADER + b"<message>" + body + b"</message>")
    assert c.failure is None
    assert c.stanzas_received == 1


def test_it_reads_the_stream_as_utf8_whatever_its_declaration_says():
    latin1 = b"<?xml version='1.0' encoding='ISO-8859-1'?>" + HEADER + b"<message>\xe9</message>"
    c = fed(latin1)
    assert str(c.failure).startswith("The server sent XML that is not well-formed")


@pytest.mark.parametrize("depth", [100, 3000])
def test_it_ends_the_stream_on_elements_nested_too_deep(depth):
    nested = b"<a>" * depth + b"</a>" * depth
    c = fed(HEADER + b"<stream:features>" + nested + b"</stream:features>")
    assert isinstance(c.failure, ProtocolError)
    assert (
        str(c.failure) == "The server nested elements more than 64 levels deep (the probe's limit)."
    )


def test_it_lets_64_levels_through():
    nested = b"<a>" * 62 + b"</a>" * 62  # in a stanza, in the stream: 64 levels
    c = fed(HEADER + b"<message>" + nested + b"</message>")
    assert c.failure is None


def test_it_ends_the_stream_when_what_the_server_sent_breaks_the_client():
    def broken(xml):
        raise KeyError("what slixmpp could not make of it")

    c = fed(HEADER + b"<message/>", prepare=lambda c: setattr(c, "_spawn_event", broken))
    assert isinstance(c.failure, ProtocolError)
    assert "KeyError" in str(c.failure)


def test_it_only_connects_to_ip_addresses_the_policy_permits():
    async def scenario():
        probe_client = client()
        with pytest.raises(AddressRefused, match="IP addresses only"):
            probe_client.connect("example.org", 5222)
        with pytest.raises(AddressRefused, match="Refused to connect to 10.0.0.1"):
            probe_client.connect("10.0.0.1", 5222)
        with pytest.raises(AddressRefused):
            await probe_client.get_dns_records("example.org")

    asyncio.run(scenario())


def test_it_delivers_what_came_before_a_forbidden_comment_and_fails_every_later_waiter():
    async def scenario():
        c = client()
        waiter = c.expect(lambda e: True)
        c.data_received(HEADER + b"<message><body>ok</body></message><")
        c.data_received(b"!-- hi -->")
        assert isinstance(c.failure, ProtocolError)
        assert (await waiter).tag == "{jabber:client}message"
        with pytest.raises(ProtocolError):
            await c.expect(lambda e: True)

    asyncio.run(scenario())


def test_it_caps_an_unterminated_stanza():
    async def scenario():
        c = client(max_stanza_bytes=1000)
        c.data_received(HEADER + b"<message><body>")
        for _ in range(3):
            c.data_received(b"x" * 400)
        assert "more than 1000 bytes without completing a stanza" in str(c.failure)

    asyncio.run(scenario())


def test_it_lets_many_small_stanzas_through():
    async def scenario():
        c = client(max_stanza_bytes=1000)
        c.data_received(HEADER)
        for i in range(50):
            c.data_received(f"<presence from='a@b/{i}'/>".encode() * 10)
        assert c.failure is None
        assert c.stanzas_received == 500

    asyncio.run(scenario())


def test_it_records_the_login_up_to_a_limit():
    c = fed(HEADER + b"<presence/>" * 500)
    assert c.failure is None
    assert len(c.transcript) == 101
    assert c.transcript[-1] == Evidence("note", "Transcript cut at 100 entries.")


def test_it_never_goes_where_see_other_host_says():
    redirect = (
        b"<stream:error><see-other-host xmlns='urn:ietf:params:xml:ns:xmpp-streams'>"
        b"elsewhere.test:5222</see-other-host></stream:error>"
    )
    c = fed(HEADER + redirect)
    assert str(c.failure).endswith("with the stream error <see-other-host/>.")
    assert c.default_domain == "example.org"


def test_it_reports_malformed_xml_as_a_protocol_error():
    async def scenario():
        c = client()
        c.data_received(HEADER + b"<message><body></message>")
        assert isinstance(c.failure, ProtocolError)
        assert str(c.failure).startswith("The server sent XML that is not well-formed")

    asyncio.run(scenario())


def test_it_computes_scram_hi_exactly_like_slixmpp():
    for name in ("sha1", "sha256"):
        original, fast = object.__new__(SCRAM), object.__new__(PbkdfSCRAM)
        original.hash = fast.hash = getattr(hashlib, name)
        salt = b"salty-salt"
        expected = SCRAM.Hi(original, b"pencil", salt, 4096)
        assert PbkdfSCRAM.Hi(fast, b"pencil", salt, 4096) == expected
        assert PbkdfSCRAM.Hi(fast, "pencil", salt, 4096) == expected


def test_it_registers_the_slixmpp_stanza_plugins_it_relies_on_by_itself():
    """slixmpp sees <sm/> among the stream features (and runs a feature handler registered for it,
    as the XEP-0198 check does) only with XEP-0198's stanza plugin registered. probes.stream does
    that on import; a fresh interpreter shows no check module needs to be imported first."""
    code = (
        "import probes.stream\n"
        "from xml.etree import ElementTree as ET\n"
        "from slixmpp.stanza import StreamFeatures\n"
        "xml = ET.fromstring(\"<features xmlns='http://etherx.jabber.org/streams'>"
        "<sm xmlns='urn:xmpp:sm:3'/></features>\")\n"
        "print(list(StreamFeatures(xml=xml)['features']))\n"
    )
    root = Path(__file__).resolve().parents[2]
    found = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "['sm']"


def test_it_finds_the_waiter_of_each_of_thousands_of_iqs_by_its_id():
    """5,000 IQs waiting at once, answered in reverse order: each gets its own answer, found by its
    id (scanning every waiter for every stanza took 11.7 M predicate calls for 5,031 stanzas)."""

    async def scenario():
        c = client()
        c.recording = False  # a session: nothing is transcribed
        waiting = [
            asyncio.ensure_future(c.iq(el(tag(CLIENT, "iq"), {"type": "get", "id": f"q{i}"}), 5))
            for i in range(5000)
        ]
        await asyncio.sleep(0)  # every IQ sent, and waiting
        start = time.monotonic()
        c._deliver(el(tag(CLIENT, "iq"), {"type": "get", "id": "q0"}))  # a request, not an answer
        c._deliver(el(tag(CLIENT, "iq"), {"type": "result", "id": "unknown"}))
        for i in reversed(range(5000)):
            c._deliver(el(tag(CLIENT, "iq"), {"type": "result", "id": f"q{i}", "n": str(i)}))
        elapsed = time.monotonic() - start
        return elapsed, await asyncio.gather(*waiting), c._iq_waiters

    elapsed, replies, left = asyncio.run(scenario())
    assert [reply.get("n") for reply in replies] == [str(i) for i in range(5000)]
    assert left == {}
    assert elapsed < 2.0
