"""The probe's XMPP stream: slixmpp's client, made safe to point at an unknown server.

slixmpp negotiates STARTTLS, SASL and resource binding; this module adapts it (SCRAM's Hi() in C,
XEP-0198's stream feature) and its subclass adds what a probe needs:
- it never resolves or chooses an address itself (probes.connect.xmpp hands it a checked IP) and
  never reconnects on its own;
- the server certificate is checked against the XMPP domain by probes.certificates (DNS-ID,
  SRV-ID, XmppAddr) and its facts recorded;
- incoming XML is read as UTF-8 and capped per stanza, per session and in depth, and a DTD,
  comment or entity declaration (forbidden by RFC 6120 §11.1; the vehicle of entity-expansion
  bombs) ends the stream at once, whatever the encoding;
- every failure becomes one exception with a plain-language cause (`failure`), and every waiter
  (`expect`, `iq`, `milestone`) is released with it;
- until the session starts, the exchange is recorded (its first MAX_TRANSCRIPT entries), with
  SASL payloads redacted.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import ssl
import uuid
from collections.abc import Callable, Iterable
from xml.etree import ElementTree as ET

from slixmpp import ClientXMPP
from slixmpp.plugins.xep_0198.stanza import StreamManagement
from slixmpp.stanza import StreamFeatures
from slixmpp.util.sasl.client import sasl_mech
from slixmpp.util.sasl.mechanisms import SCRAM
from slixmpp.xmlstream import register_stanza_plugin, tostring
from slixmpp.xmlstream.xmlstream import NotConnectedError

from probes.addresses import NetworkPolicy
from probes.connect.dns import is_ip_literal
from probes.connect.tls import TlsFacts, tls_facts
from probes.errors import (
    AddressRefused,
    AuthenticationFailed,
    NetworkError,
    NetworkTimeout,
    ProtocolError,
    SaslUnusable,
    StanzaError,
    TlsFailure,
)
from probes.evidence import redact
from probes.outcomes import Evidence
from probes.xmpp import CLIENT, STANZAS, STREAMS, child, error_condition, tag

FEATURES = tag(STREAMS, "features")
STANZA_TAGS = {tag(CLIENT, name) for name in ("iq", "message", "presence")}
IQ = tag(CLIENT, "iq")

MAX_STANZA_BYTES = 512 * 1024
MAX_SESSION_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64  # levels of elements, the stream's included (slixmpp recurses through them)
MAX_TRANSCRIPT = 100  # entries of the login's transcript (a login takes about 20)
FORBIDDEN_MARKUP = (
    "The server sent a DTD, comment or entity declaration, which XMPP forbids (RFC 6120 §11.1); "
    "such markup is how entity-expansion bombs are delivered."
)

PHASES = {  # where a stream stands, in words: "The server closed the connection <phase>."
    "tcp": "while connecting",
    "stream": "after the stream header was sent",
    "starttls": "during STARTTLS",
    "features": "during stream negotiation",
    "sasl": "during SASL authentication",
    "bind": "during resource binding",
    "ready": "during the session",
}


class StreamClosed(NetworkError, NotConnectedError):
    """Sending on a closed stream: a NetworkError to the checks, and to slixmpp the error it
    expects (and ignores) when it closes a stream that is already gone. (Here, not in
    probes.errors, which imports no library.)"""


@sasl_mech(SCRAM.score)
class PbkdfSCRAM(SCRAM):
    """slixmpp's SCRAM with Hi() from hashlib.pbkdf2_hmac: the same bytes (RFC 5802 §2.2 defines
    Hi as PBKDF2), computed in C instead of a Python loop of 4096+ HMACs that blocks the event
    loop for ~70 ms per login. Registered under the same mechanism names, replacing the original.
    """

    name = "SCRAM"

    def Hi(self, text, salt: bytes, iterations: int) -> bytes:
        password = text.encode() if isinstance(text, str) else bytes(text)
        return hashlib.pbkdf2_hmac(self.hash().name, password, salt, iterations)


# slixmpp lists <sm/> among the stream features only with XEP-0198's stanza plugin; without it, a
# feature handler registered as "sm" (how the XEP-0198 check resumes a session) never runs.
register_stanza_plugin(StreamFeatures, StreamManagement)


class StreamParser(ET.TreeBuilder):
    """What slixmpp reads a stream with (feed, then read_events), with the guards in the parser
    itself, so that no encoding can hide what they look for: the document is read as UTF-8 whatever
    its declaration says (RFC 6120 §11.6); a DTD ends the stream as soon as it starts, before
    expat reads any declaration in it (no entity is ever declared, so none is expanded), and so
    does a comment; elements nested deeper than MAX_DEPTH end it too."""

    def __init__(self) -> None:
        super().__init__()
        self._events: list[tuple[str, ET.Element]] = []
        self._depth = 0
        self._parser = ET.XMLParser(target=self, encoding="utf-8")

    def feed(self, data: bytes) -> None:
        self._parser.feed(data)

    def read_events(self) -> list[tuple[str, ET.Element]]:
        events, self._events = self._events, []
        return events

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise ProtocolError(
                f"The server nested elements more than {MAX_DEPTH} levels deep (the probe's limit)."
            )
        element = super().start(tag, attrs)
        self._events.append(("start", element))
        return element

    def end(self, tag: str) -> ET.Element:
        self._depth -= 1
        element = super().end(tag)
        self._events.append(("end", element))
        return element

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise ProtocolError(FORBIDDEN_MARKUP)

    def comment(self, text: str) -> None:
        raise ProtocolError(FORBIDDEN_MARKUP)


class ProbeClient(ClientXMPP):
    """One XMPP client stream of a probe (see the module docstring)."""

    def __init__(
        self,
        jid: str,
        password: str,
        *,
        policy: NetworkPolicy,
        ssl_context: ssl.SSLContext,
        authenticate: bool = True,
        max_stanza_bytes: int = MAX_STANZA_BYTES,
        secrets: Iterable[str] = (),
    ) -> None:
        super().__init__(jid, password, lang="en", ssl_context=ssl_context)
        self.policy = policy
        self.enable_plaintext = False
        self.whitespace_keepalive = False
        self.auto_authorize = None  # never answer subscription requests on the user's behalf
        self.auto_subscribe = False
        self.max_stanza_bytes = max_stanza_bytes
        self.secrets = tuple(s for s in secrets if s)
        self.failure: BaseException | None = None
        self.closing = False
        self.phase = "tcp"
        self.header: dict[str, str] = {}
        self.feature_sets: list[ET.Element] = []
        self.tls: TlsFacts | None = None
        self.sasl_condition = ""
        self.transcript: list[Evidence] = []
        self.recording = True
        self.login_errors: list[ET.Element] = []  # error stanzas and nonzas before the session
        self.stanzas_received = 0
        self._pending_bytes = 0
        self._total_bytes = 0
        self._waiters: list[tuple[Callable[[ET.Element], bool], asyncio.Future]] = []
        self._iq_waiters: dict[str, asyncio.Future] = {}  # by id: one lookup per stanza
        self._collectors: list[tuple[Callable[[ET.Element], bool], list[ET.Element]]] = []
        self._milestones: dict[str, asyncio.Future] = {}
        if not authenticate:
            self.unregister_feature("mechanisms", 100)
        for event, handler in {
            "connected": self._on_connected,
            "connection_failed": self._on_connection_failed,
            "ssl_invalid_chain": self._on_invalid_chain,
            "stream_error": self._on_stream_error,
            "disconnected": self._on_disconnected,
            "failed_auth": self._on_failed_auth,
            "failed_all_auth": self._on_failed_all_auth,
            "auth_success": lambda _: self._reach("auth_success", "bind"),
            "session_bind": lambda _: self._reach("session_bind", "ready"),
            "session_start": self._on_session_start,
            "stream_negotiated": lambda _: self._reach("stream_negotiated"),
        }.items():
            self.add_event_handler(event, handler)

    # -- connecting: only to an address probes.connect.xmpp checked --------------------------

    def connect(self, host: str | None = None, port: int | None = None) -> asyncio.Future:
        if not is_ip_literal(host or ""):
            raise AddressRefused(f"ProbeClient connects to IP addresses only, not {host!r}")
        self.policy.check(host)
        return super().connect(host, port)

    async def get_dns_records(self, domain: str, port: int | None = None) -> list:
        raise AddressRefused("ProbeClient never resolves names itself: use probes.connect")

    def reschedule_connection_attempt(self) -> None:
        self._current_connection_attempt = None  # one attempt: the probe decides what is next
        return None

    def connection_made(self, transport, send_event: bool = True) -> None:
        ssl_object = transport.get_extra_info("ssl_object")
        if ssl_object is not None:
            self.tls = tls_facts(ssl_object, self.default_domain)
            if not self.tls.name_matched:
                self.fail(
                    TlsFailure(
                        f"TLS: the certificate is not valid for {self.default_domain}: it names "
                        f"{', '.join(self.tls.names) or 'nothing'}.",
                        self.tls,
                    )
                )
                transport.abort()
                return
            self.phase = "features"
        super().connection_made(transport, send_event)

    # -- receiving: capped, DTD-free, recorded -----------------------------------------------

    def init_parser(self) -> None:
        self.xml_depth, self.xml_root, self.parser = 0, None, StreamParser()

    def data_received(self, data: bytes) -> None:
        if self.failure is not None or self.parser is None:
            return
        self._total_bytes += len(data)
        completed = False
        try:
            self.parser.feed(data)
            for event, xml in self.parser.read_events():
                if event == "start":
                    if self.xml_depth == 0:
                        self._stream_opened(xml)
                    self.xml_depth += 1
                elif event == "end":
                    self.xml_depth -= 1
                    if self.xml_depth == 0:
                        self._record("received", "</stream:stream>")
                        self.disconnect_reason = "End of stream"
                        self.abort()
                        return
                    if self.xml_depth == 1:
                        completed = True
                        self._deliver(xml)
                        if self.xml_root is not None:
                            self.xml_root.clear()
        except ProtocolError as exc:
            self.fail(exc)
            return
        except ET.ParseError as exc:
            self.fail(ProtocolError(f"The server sent XML that is not well-formed: {exc}."))
            return
        except Exception as exc:  # slixmpp could not handle what the server sent
            self.fail(
                ProtocolError(
                    f"What the server sent could not be processed ({type(exc).__name__}: {exc})."
                )
            )
            return
        self._pending_bytes = 0 if completed else self._pending_bytes + len(data)
        if self._pending_bytes > self.max_stanza_bytes:
            self.fail(
                ProtocolError(
                    f"The server sent more than {self.max_stanza_bytes} bytes without completing "
                    "a stanza (the probe's stanza size cap)."
                )
            )
        elif self._total_bytes > MAX_SESSION_BYTES:
            self.fail(ProtocolError(f"The server sent more than {MAX_SESSION_BYTES} bytes."))

    def _stream_opened(self, xml: ET.Element) -> None:
        self.xml_root = xml
        self.header = dict(xml.attrib)
        self._record("received", tostring(xml, stream=self, top_level=True, open_only=True))
        self.start_stream_handler(xml)
        self._reach("stream_opened")

    def _deliver(self, xml: ET.Element) -> None:
        if self.recording and len(self.transcript) <= MAX_TRANSCRIPT:  # for the transcript only
            self._record("received", tostring(xml, xmlns=CLIENT, stream=self, top_level=True))
        if xml.tag in STANZA_TAGS:
            self.stanzas_received += 1
        if self.recording and (xml.get("type") == "error" or xml.tag.endswith("}failure")):
            self.login_errors.append(xml)
        elif xml.tag == FEATURES:
            self.feature_sets.append(xml)
        for predicate, found in self._collectors:
            if predicate(xml):
                found.append(xml)
        if xml.tag == IQ and xml.get("type") in ("result", "error"):
            answered = self._iq_waiters.pop(xml.get("id", ""), None)
            if answered is not None and not answered.done():
                answered.set_result(xml)
        for waiter in list(self._waiters):
            predicate, future = waiter
            if not future.done() and predicate(xml):
                future.set_result(xml)
                self._waiters.remove(waiter)
        self._spawn_event(xml)

    # -- sending: recorded with SASL payloads redacted -----------------------------------------

    def send_raw(self, data: str | bytes) -> None:
        text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
        if "<auth " in text or "<auth>" in text:
            self.phase = "sasl"
        elif "urn:ietf:params:xml:ns:xmpp-tls" in text:
            self.phase = "starttls"
        self._record("sent", text)
        if self.transport is None:
            raise StreamClosed(f"The connection to {self.default_domain} is closed.")
        super().send_raw(data)

    def send_element(self, element: ET.Element) -> None:
        self.send_raw(tostring(element, xmlns=CLIENT, stream=self, top_level=True))

    def _record(self, kind: str, text: str) -> None:
        recorded = len(self.transcript)
        if not self.recording or recorded > MAX_TRANSCRIPT:
            return
        if recorded == MAX_TRANSCRIPT:
            kind, text = "note", f"Transcript cut at {MAX_TRANSCRIPT} entries."
        self.transcript.append(Evidence(kind, redact(text, self.secrets)))

    # -- waiting ----------------------------------------------------------------------------

    def expect(self, predicate: Callable[[ET.Element], bool]) -> asyncio.Future:
        """A future for the next top-level element matching predicate (or the stream's failure)."""
        future = self._future()
        if not future.done():
            self._waiters.append((predicate, future))
        return future

    def expect_iq(self, stanza_id: str) -> asyncio.Future:
        """A future for the result or error answering the IQ with this id, found by its id (a
        dictionary lookup per stanza, however many IQs are waiting)."""
        future = self._future()
        if not future.done():
            if stanza_id in self._iq_waiters:
                raise ValueError(f"An IQ with the id {stanza_id!r} is already waiting.")
            self._iq_waiters[stanza_id] = future
        return future

    def _future(self) -> asyncio.Future:
        """A new waiter's future: failed already when the stream has."""
        future = asyncio.get_running_loop().create_future()
        future.add_done_callback(_consume)
        if self.failure is not None:
            future.set_exception(self.failure)
        return future

    @contextlib.contextmanager
    def collect(self, predicate: Callable[[ET.Element], bool]):
        """Gather every top-level element matching predicate while the block runs."""
        entry: tuple[Callable[[ET.Element], bool], list[ET.Element]] = (predicate, [])
        self._collectors.append(entry)
        try:
            yield entry[1]
        finally:
            self._collectors.remove(entry)

    async def wait_for(self, future: asyncio.Future, timeout: float, what: str) -> ET.Element:
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout)
        except TimeoutError as exc:
            future.cancel()
            self._waiters = [w for w in self._waiters if w[1] is not future]
            raise NetworkTimeout(f"No answer to {what} within {timeout:g} s.") from exc

    async def milestone(self, name: str, timeout: float, stated: float | None = None) -> None:
        """Wait for a stage of the stream (connected, stream_opened, session_start...).

        `stated` is the limit to name in the error when `timeout` is what remains of it."""
        future = self._milestone(name)
        try:
            await asyncio.wait_for(asyncio.shield(future), max(timeout, 0.001))
        except TimeoutError as exc:
            limit = stated or timeout
            raise NetworkTimeout(
                f"The server did not answer {PHASES[self.phase]} within {limit:g} s."
            ) from exc

    async def iq(self, element: ET.Element, timeout: float, what: str = "") -> ET.Element:
        """Send an IQ and return the result; StanzaError for an error reply."""
        stanza_id = element.get("id") or uuid.uuid4().hex[:12]
        element.set("id", stanza_id)
        future = self.expect_iq(stanza_id)
        try:
            self.send_element(element)
            reply = await self.wait_for(future, timeout, what or f"the IQ {stanza_id}")
        finally:
            if self._iq_waiters.get(stanza_id) is future:  # unanswered: no longer awaited
                del self._iq_waiters[stanza_id]
        if reply.get("type") == "error":
            raise stanza_error(reply)
        return reply

    def _milestone(self, name: str) -> asyncio.Future:
        if name not in self._milestones:
            future = asyncio.get_running_loop().create_future()
            future.add_done_callback(_consume)
            if self.failure is not None:
                future.set_exception(self.failure)
            self._milestones[name] = future
        return self._milestones[name]

    def _reach(self, name: str, phase: str | None = None) -> None:
        if phase:
            self.phase = phase
        future = self._milestone(name)
        if not future.done():
            future.set_result(None)

    # -- failing and closing ------------------------------------------------------------------

    def fail(self, exc: BaseException) -> None:
        """Record the first failure, release every waiter with it and drop the connection."""
        if self.failure is None and not self.closing:
            self.failure = exc
            for future in [*(f for _, f in self._waiters), *self._iq_waiters.values()]:
                if not future.done():
                    future.set_exception(exc)
            self._waiters.clear()
            self._iq_waiters.clear()
            for future in self._milestones.values():
                if not future.done():
                    future.set_exception(exc)
        if self.transport is not None:
            self.transport.abort()

    def _on_connected(self, _event) -> None:
        self.phase = "features" if self.tls else "stream"
        self._reach("connected")

    def _on_connection_failed(self, exc) -> None:
        self.fail(describe_connect_error(exc, self.default_domain))

    def _on_invalid_chain(self, exc) -> None:
        self.fail(describe_connect_error(exc, self.default_domain))

    def _handle_stream_error(self, error) -> None:
        """slixmpp's handler, without following see-other-host: the probe never reconnects by
        itself, let alone to a host the server names."""
        self.event("stream_error", error)

    def _on_stream_error(self, stanza) -> None:
        text = stanza["text"]
        self.fail(
            ProtocolError(
                f"The server closed the stream {PHASES[self.phase]} with the stream error "
                f"<{stanza['condition']}/>" + (f": {text}" if text else ".")
            )
        )

    def _on_disconnected(self, _reason) -> None:
        # Deferred by two loop turns: when a TLS handshake fails, asyncio reports the lost
        # connection before slixmpp reports the certificate error, which is the real cause.
        error = NetworkError(f"The server closed the connection {PHASES[self.phase]}.")
        loop = asyncio.get_running_loop()
        loop.call_soon(loop.call_soon, self.fail, error)

    def _on_failed_auth(self, stanza) -> None:
        self.sasl_condition = stanza["condition"] or "failure"

    def _on_failed_all_auth(self, _event) -> None:
        if self.sasl_condition:  # a <failure/> answered the credentials
            condition = self.sasl_condition
            message = f"The server refused the test account's credentials (<{condition}/>)."
            self.fail(AuthenticationFailed(message))
            return
        offered = ", ".join(sorted(self.plugin["feature_mechanisms"].mech_list)) or "none"
        if self.tls is None:
            message = (
                f"The server offered SASL without TLS ({offered}); the probe authenticates over "
                "TLS only."
            )
        else:
            message = (
                f"No SASL mechanism the probe may use over TLS was offered (offered: {offered})."
            )
        self.fail(SaslUnusable(message))

    def _on_session_start(self, _event) -> None:
        self.recording = False
        self._reach("session_start", "ready")

    async def close(self, timeout: float = 1.0) -> None:
        """Close a healthy stream politely (bounded), any other at once."""
        polite = self.failure is None and bool(self.header) and not self.closing
        self.closing = True
        if polite and self.transport is not None:
            with contextlib.suppress(Exception):  # closing must not raise
                await asyncio.wait_for(self.disconnect(wait=timeout), timeout + 0.5)
        if self.transport is not None:
            self.transport.abort()
        self.cancel_connection_attempt()
        if self._run_out_filters is not None:
            self._run_out_filters.cancel()


def _consume(future: asyncio.Future) -> None:
    """Mark a future's exception as retrieved: waiters nobody awaits any more stay quiet."""
    if not future.cancelled():
        future.exception()


def stanza_error(reply: ET.Element) -> StanzaError:
    error = child(reply, CLIENT, "error")
    return StanzaError(
        error_condition(reply) or "undefined-condition",
        "" if error is None else error.get("type", ""),
        "" if error is None else error.findtext(tag(STANZAS, "text"), ""),
        tostring(reply, xmlns=CLIENT),
    )


# Errors asyncio raises without a message: an end of file during the TLS handshake (Direct TLS)
# is a bare ConnectionResetError.
WITHOUT_REASON = {
    ConnectionResetError: "the server closed the connection before TLS was established",
    ConnectionAbortedError: "the connection was aborted",
    BrokenPipeError: "the server closed the connection",
}


def describe_connect_error(exc, domain: str) -> NetworkError:
    """A connection error in words; certificate and handshake problems are TlsFailure."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return TlsFailure(f"TLS: the certificate was not accepted: {exc.verify_message}.")
    if isinstance(exc, ssl.SSLError):
        return TlsFailure(f"TLS: the handshake failed: {exc.reason or exc}.")
    if isinstance(exc, ConnectionRefusedError):
        return NetworkError("The connection was refused (nothing listens on that port).")
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc) or WITHOUT_REASON.get(type(exc)) or type(exc).__name__
        return NetworkError(f"Could not connect: {reason}.")
    return NetworkError(f"Could not connect to {domain}: {exc}.")
