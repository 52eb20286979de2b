"""probes.stream.ProbeClient's guards, offline: addresses, DTDs, size caps, malformed XML, and the
SCRAM speed-up that must give the same bytes."""

from __future__ import annotations

import asyncio
import hashlib

import pytest
from slixmpp.util.sasl.mechanisms import SCRAM

from probes.addresses import AddressRefused, NetworkPolicy
from probes.connect import tls_context
from probes.outcomes import ProtocolError
from probes.stream import PbkdfSCRAM, ProbeClient, _forbidden_markup

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


@pytest.mark.parametrize(
    ("data", "forbidden"),
    [
        (b"<!DOCTYPE x [<!ENTITY a 'b'>]>", True),
        (b"<message><!-- hi --></message>", True),
        (b"<body><![CDATA[x < y]]></body>", False),
        (b"<body>&lt;!DOCTYPE</body>", False),
        (b"<body>text<!", False),  # undecided until the next chunk
        (b"<!", False),
    ],
)
def test_it_spots_dtds_and_comments_but_not_cdata(data, forbidden):
    assert _forbidden_markup(data) is forbidden


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


def test_it_ends_the_stream_on_a_dtd_split_across_chunks():
    async def scenario():
        c = client()
        waiter = c.expect(lambda e: True)
        c.data_received(HEADER + b"<message><body>ok</body></message><")
        c.data_received(b"!DOCTYPE bomb>")
        assert isinstance(c.failure, ProtocolError)
        assert "RFC 6120 §11.1" in str(c.failure)
        assert c.transport.aborted
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
