"""The state of one probe run, and the context each check works through.

`Probe` owns everything shared: the options, the guarded resolvers, the TLS contexts, the logged-in
main session (opened once, used concurrently by every check), memoized discovery answers, every
stream it opened (all closed at the end) and the side effects still to undo. `Context` is what a
check sees: requests that record their evidence, outcome builders, and `cleanup()` for side
effects.
"""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree as ET

from probes import xmpp
from probes.addresses import NetworkPolicy
from probes.connect.dns import Resolver
from probes.connect.http import HttpResponse, http_request
from probes.connect.tls import load_tls_context, tls_context
from probes.connect.xmpp import Endpoint, open_xmpp, xmpp_endpoints
from probes.errors import (
    AddressRefused,
    AuthenticationFailed,
    CouldNotTest,
    NetworkError,
    NetworkTimeout,
    ProtocolError,
    ResponseTooLarge,
    StanzaError,
    TlsFailure,
    UpgradeRefused,
)
from probes.evidence import http_text, listed, redact, summarized, xml_text
from probes.options import Options
from probes.outcomes import (
    COULD_NOT_TEST,
    ERROR,
    FAIL,
    INTERNAL,
    NETWORK,
    PASS,
    PROTOCOL,
    TIMEOUT,
    Evidence,
    Outcome,
)
from probes.stream import ProbeClient
from probes.xmpp import DiscoInfo

# Stanza errors that say "not now" or "not reachable" rather than "no" (RFC 6120 §8.3: type
# 'wait', and the remote-server conditions): errors of the moment, not verdicts.
TRANSIENT = {"remote-server-not-found", "remote-server-timeout", "resource-constraint"}
NO_ACCOUNT = "Needs a test account (--jid and --password-env), so it was not tested."
# The run's TLS contexts (Probe.tls): XMPP streams match the certificate against the XMPP domain
# themselves (probes.certificates), HTTPS and WebSocket connections check the host name.
TLS_KINDS: dict[str, dict[str, Any]] = {
    "xmpp": {"check_hostname": False},  # STARTTLS
    "direct": {"alpn": ("xmpp-client",), "check_hostname": False},  # Direct TLS (XEP-0368)
    "http": {},
}


@dataclass
class Session:
    """The result of opening a stream: a ready client, or the error and what was learnt."""

    client: ProbeClient | None
    endpoint: Endpoint | None
    notes: list[str] = field(default_factory=list)
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.client is not None

    def lookup_evidence(self) -> list[Evidence]:
        """How the endpoint was looked up: SRV answers as DNS evidence, the rest as notes."""
        return [Evidence("dns" if n.startswith("SRV") else "note", n) for n in self.notes]


@dataclass(frozen=True)
class Check:
    """A registered check: its id (stable: it is the key of stored results), specs and test."""

    id: str
    specs: tuple[str, ...]
    title: str
    run: Callable[[Context], Awaitable[Outcome | list[Outcome]]]
    informational: bool = False
    entity: str = "domain"  # what it queries: "domain", "account", "component" (each) or "web"


class Probe:
    def __init__(self, options: Options) -> None:
        self.options = options
        self.resolver = Resolver(  # for every connection but XMPP's
            policy=NetworkPolicy.allowing(options.allow_networks),
            nameserver=options.nameserver,
            timeout=options.request_timeout,
        )
        self.xmpp_resolver = self.resolver  # for the XMPP endpoints (see prepare)
        self.clients: list[ProbeClient] = []
        self.pending_cleanups: list[tuple[str, Callable[[], Awaitable[Any]]]] = []
        self.undoing: list[tuple[tuple, asyncio.Event]] = []  # cleanups running, and their end
        self.reached = False
        self.connections = 0  # XMPP connection attempts so far (options.max_connections)
        self.unqueried_items = 0  # disco#items entries beyond options.max_components
        self._memo: dict[Any, asyncio.Future] = {}
        self._tls: dict[str, asyncio.Future] = {}  # TLS contexts by kind, asked for (tls)
        self.account = options.jid.split("/")[0] if options.has_account else None

    def tls(self, kind: str) -> Awaitable[ssl.SSLContext]:
        """The run's TLS context of a kind (TLS_KINDS), built at its first use and once per
        process, off the event loop (probes.connect.tls.load_tls_context)."""
        return asyncio.shield(self._tls_future(kind))

    def _tls_future(self, kind: str) -> asyncio.Future:
        if kind not in self._tls:
            self._tls[kind] = load_tls_context(self.options.ca_file, **TLS_KINDS[kind])
            self._tls[kind].add_done_callback(lambda f: f.cancelled() or f.exception())
        return self._tls[kind]

    async def prepare(self) -> None:
        """An explicit --host counts as allowed for the XMPP endpoints only: the URLs a server
        hands out (upload slots, host-meta links, redirects) cannot reach any port of it."""
        host = self.options.host
        if host:
            addresses = await self.resolver.addresses(host)
            extra = tuple(ipaddress.ip_network(a) for a in addresses)
            policy = NetworkPolicy(self.resolver.policy.allowed_networks + extra)
            self.xmpp_resolver = dataclasses.replace(self.resolver, policy=policy)

    def memo(self, key: Any, factory: Callable[[], Awaitable[Any]]) -> Awaitable[Any]:
        """One shared answer per key, computed once however many checks ask, never cancelled."""
        if key not in self._memo:
            self._memo[key] = asyncio.ensure_future(factory())
            self._memo[key].add_done_callback(lambda f: f.cancelled() or f.exception())
        return asyncio.shield(self._memo[key])

    # -- streams -----------------------------------------------------------------------------

    def new_client(self, *, authenticate: bool, direct_tls: bool) -> ProbeClient:
        options = self.options
        if authenticate:
            jid, password = f"{self.account}/probe-{xmpp.token()}", options.password
        else:
            jid, password = options.domain, ""
        client = ProbeClient(
            jid,
            password or "",
            policy=self.xmpp_resolver.policy,
            # built already when open_session awaited self.tls(...): this is the cached one
            ssl_context=tls_context(
                options.ca_file, **TLS_KINDS["direct" if direct_tls else "xmpp"]
            ),
            authenticate=authenticate,
            max_stanza_bytes=options.max_stanza_bytes,
            secrets=[options.password or ""],
        )
        self.clients.append(client)
        return client

    async def open_session(
        self,
        *,
        direct_tls: bool = False,
        authenticate: bool | None = None,
        ready: str | None = None,
        prepare: Callable[[ProbeClient], None] | None = None,
    ) -> Session:
        """Open a stream to the first endpoint that answers, logged in when there is an account.

        The next endpoint is tried only when no XMPP stream could be opened at all (RFC 6120
        §3.2.1); once a server has spoken, its answer counts. A run makes at most
        options.max_connections attempts, whatever the number of endpoints and streams.
        """
        options = self.options
        authenticate = options.has_account if authenticate is None else authenticate
        ready = ready or ("session_start" if authenticate else "stream_negotiated")
        port = options.directtls_port if direct_tls else options.port
        host = options.host if (options.host and (port or not direct_tls)) else None
        try:
            (endpoints, notes), _ = await asyncio.gather(
                self.endpoints(direct_tls, host, port), self.tls("direct" if direct_tls else "xmpp")
            )
        except (AddressRefused, NetworkError) as exc:  # the lookup's end is its evidence
            return Session(None, None, [str(exc)], exc)
        session = Session(None, None, list(notes))
        for tried, endpoint in enumerate(endpoints):
            if self.connections >= options.max_connections:
                left = len(endpoints) - tried
                limit = NetworkError(
                    f"The probe's limit of {options.max_connections} connection attempts per run "
                    f"was reached; {left} endpoint{'s' if left > 1 else ''} not tried."
                )
                session.notes.append(str(limit))
                session.error = session.error or limit  # an endpoint's own failure comes first
                break
            self.connections += 1
            client = self.new_client(authenticate=authenticate, direct_tls=direct_tls)
            if prepare:
                prepare(client)
            session.client, session.endpoint = client, endpoint
            limit = options.connect_timeout  # for the whole login on this endpoint
            deadline = time.monotonic() + limit
            try:
                await open_xmpp(client, endpoint, limit)
                for stage in ("stream_opened", ready):
                    await client.milestone(stage, deadline - time.monotonic(), limit)
                self.reached = True
                session.error = None
                return session
            except (NetworkError, ProtocolError, AuthenticationFailed) as exc:
                self.reached = self.reached or bool(client.header)
                session.error = exc
                session.notes.append(f"{endpoint}: {exc}")
                await client.close()
                if client.header or isinstance(exc, TlsFailure):
                    break
        return session

    def endpoints(
        self, direct_tls: bool, host: str | None, port: int | None
    ) -> Awaitable[tuple[list[Endpoint], list[str]]]:
        """Where streams of this kind go, looked up once per run (each stream of a run goes the
        same way, and a server's DNS answer of thousands of records is parsed once)."""
        options = self.options
        return self.memo(
            ("endpoints", direct_tls, host, port),
            lambda: xmpp_endpoints(
                self.xmpp_resolver,
                options.domain,
                direct_tls=direct_tls,
                host=host,
                port=port,
                max_targets=options.max_srv_targets,
                max_endpoints=options.max_endpoints,
            ),
        )

    def main(self) -> Awaitable[Session]:
        """The main session: logged in with the test account if there is one. Its TLS context
        is asked for before any other (its login is what most checks wait for)."""
        self._tls_future("xmpp")
        return self.memo("main", self.open_session)

    async def close(self) -> None:
        """Close every stream the run opened, and drop shared answers nobody waits for."""
        for future in self._memo.values():
            future.cancel()
        await asyncio.gather(*(client.close() for client in self.clients))

    # -- side effects --------------------------------------------------------------------------

    async def undo(self, entry: tuple[str, Callable[[], Awaitable[Any]]]) -> str:
        """Run one cleanup, bounded and never raising; a cleanup the network or a timeout
        interrupted stays pending for the final sweep, any other ends here."""
        running = (entry, asyncio.Event())
        self.undoing.append(running)
        try:
            return await self._undo(entry)
        finally:
            self.undoing.remove(running)
            running[1].set()

    async def _undo(self, entry: tuple[str, Callable[[], Awaitable[Any]]]) -> str:
        description, action = entry
        try:
            async with asyncio.timeout(self.options.request_timeout):
                await action()
        except StanzaError as exc:
            result = f"Cleanup: {description}: the server answered <{exc.condition}/>."
        except CouldNotTest:
            result = f"Cleanup not needed: {description} (nothing was done)."
        except (NetworkError, ProtocolError, TimeoutError) as exc:
            if entry in self.pending_cleanups:
                return f"Cleanup failed, retried at the end of the run: {description}: {exc}"
            return f"Cleanup failed: {description}: {exc}"
        except Exception as exc:  # a cleanup must never take the run down
            result = f"Cleanup failed: {description}: {type(exc).__name__}: {exc}"
        else:
            result = f"Cleanup done: {description}."
        if entry in self.pending_cleanups:
            self.pending_cleanups.remove(entry)
        return result

    async def sweep(self) -> list[str]:
        """Undo whatever a check could not (it timed out or was cancelled mid-way). A cancelled
        check may still be undoing its side effect as the sweep runs: the sweep waits for it, and
        tries again only if it failed; nothing is undone twice at once."""
        notes = []
        for entry in list(self.pending_cleanups):
            for running, finished in list(self.undoing):
                if running == entry:
                    await finished.wait()
            if entry in self.pending_cleanups:  # not undone meanwhile
                self.pending_cleanups.remove(entry)
                notes.append(await self.undo(entry))
        return notes


class Context:
    """What one check (for one entity) works through; collects its evidence."""

    def __init__(self, probe: Probe, check: Check, entity: str = "") -> None:
        self.probe, self.check = probe, check
        self.options = probe.options
        self.domain = probe.options.domain
        self.account = probe.account
        defaults = {"account": probe.account, "web": probe.options.web_base}
        self.entity = entity or defaults.get(check.entity) or self.domain
        self.evidence: list[Evidence] = []

    def sub(self, entity: str) -> Context:
        return Context(self.probe, self.check, entity)

    def note(self, text: str) -> None:
        self.evidence.append(Evidence("note", text))

    # -- outcomes -------------------------------------------------------------------------------

    def outcome(self, outcome: str, detail: str, entity: str | None = None, kind=None) -> Outcome:
        return Outcome(
            check=self.check.id,
            specs=self.check.specs,
            outcome=outcome,
            entity=entity or self.entity,
            detail=detail,
            error_kind=kind,
            evidence=tuple(self.evidence),
            informational=self.check.informational,
        )

    def passed(self, detail: str, entity: str | None = None) -> Outcome:
        return self.outcome(PASS, detail, entity)

    def failed(self, detail: str, entity: str | None = None) -> Outcome:
        return self.outcome(FAIL, detail, entity)

    def could_not_test(self, detail: str, entity: str | None = None) -> Outcome:
        return self.outcome(COULD_NOT_TEST, detail, entity)

    def from_exception(self, exc: BaseException) -> Outcome:
        """The outcome an exception stands for: a network error is never a fail."""
        if isinstance(exc, CouldNotTest | AuthenticationFailed):
            return self.could_not_test(str(exc))
        if isinstance(exc, AddressRefused):
            return self.could_not_test(f"{exc} (--allow-network permits a network.)")
        if isinstance(exc, StanzaError):
            text = f": {exc.text}" if exc.text else "."
            answer = f"The server answered {exc.request} with <{exc.condition}/>{text}"
            if exc.error_type == "wait" or exc.condition in TRANSIENT:
                return self.outcome(ERROR, f"{answer} (a temporary condition)", kind=NETWORK)
            return self.failed(answer)
        if isinstance(exc, UpgradeRefused):
            return self.failed(str(exc))
        if isinstance(exc, NetworkTimeout):
            return self.outcome(ERROR, str(exc), kind=TIMEOUT)
        if isinstance(exc, TimeoutError):
            return self.outcome(
                ERROR, f"Did not finish within {self.options.check_timeout:g} s.", kind=TIMEOUT
            )
        if isinstance(exc, NetworkError):
            return self.outcome(ERROR, str(exc), kind=NETWORK)
        if isinstance(exc, ProtocolError | ResponseTooLarge):
            return self.outcome(ERROR, str(exc), kind=PROTOCOL)
        return self.outcome(ERROR, f"Probe bug: {type(exc).__name__}: {exc}", kind=INTERNAL)

    # -- the main session ------------------------------------------------------------------------

    async def session(self) -> ProbeClient:
        """The logged-in main session, or the reason there is none as an exception."""
        if not self.account:
            raise CouldNotTest(NO_ACCOUNT)
        session = await self.probe.main()
        if session.ok:
            return session.client
        error = session.error
        if isinstance(error, AuthenticationFailed | AddressRefused):
            raise CouldNotTest(f"Could not log in: {error}")
        raise type(error)(f"Could not log in, so this was not tested: {error}")

    @asynccontextmanager
    async def extra_session(
        self, *, allow_failure: bool = False, **how: Any
    ) -> AsyncIterator[Session]:
        """A stream of the check's own besides the main session, opened as Probe.open_session
        is told by `how` (direct_tls, authenticate, ready, prepare), and closed on the way out
        whatever happens. One that could not be opened raises its error, unless allow_failure
        (the check judges session.error itself)."""
        session = await self.probe.open_session(**how)
        try:
            if not (session.ok or allow_failure):
                raise session.error
            yield session
        finally:
            if session.client is not None:
                await session.client.close()

    async def iq(
        self,
        kind: str,
        to: str | None,
        payload: ET.Element,
        *,
        private: bool = False,
        client: ProbeClient | None = None,
    ) -> ET.Element:
        """An IQ on the main session (or `client`), recorded; private answers are summarized."""
        client = client or await self.session()
        stanza = xmpp.iq(kind, to, payload)
        sent = summarized(stanza) if private else xml_text(stanza, client.secrets)
        self.evidence.append(Evidence("sent", sent))
        what = f"the {xmpp_name(payload)} {kind} to {to or 'the account'}"
        try:
            reply = await client.iq(stanza, self.options.request_timeout, what)
        except StanzaError as exc:  # an error may echo the request: private data, credentials
            if private:
                text = f"an error <{exc.condition}/>  (private content not recorded)"
            else:
                text = redact(exc.xml or str(exc), client.secrets)
            self.evidence.append(Evidence("received", text))
            exc.request = what
            raise
        text = summarized(reply) if private else xml_text(reply, client.secrets)
        self.evidence.append(Evidence("received", text))
        return reply

    async def send(self, stanza: ET.Element, client: ProbeClient | None = None) -> None:
        client = client or await self.session()
        self.evidence.append(Evidence("sent", xml_text(stanza, client.secrets)))
        client.send_element(stanza)

    async def receive(
        self, future: asyncio.Future, what: str, client: ProbeClient | None = None
    ) -> ET.Element:
        client = client or await self.session()
        stanza = await client.wait_for(future, self.options.request_timeout, what)
        self.evidence.append(Evidence("received", xml_text(stanza, client.secrets)))
        return stanza

    # -- discovery (memoized per run) --------------------------------------------------------

    async def disco_info(self, jid: str) -> DiscoInfo:
        async def query() -> tuple[DiscoInfo, list[Evidence]]:
            sub = self.sub(jid)
            reply = await sub.iq("get", jid, xmpp.el(xmpp.tag(xmpp.DISCO_INFO, "query")))
            return xmpp.parse_disco_info(jid, reply), sub.evidence

        await self.session()
        info, evidence = await self.probe.memo(("disco#info", jid), query)
        self.evidence += evidence
        return info

    async def components(self) -> list[DiscoInfo]:
        """The items of the domain's disco#items with their disco#info, gateways skipped.

        Bounded whatever the server lists: the first options.max_components items (in JID order)
        are asked, at once (so that a silent one holds up no other), each within the request
        timeout; the evidence names the items skipped."""

        async def walk() -> tuple[list[DiscoInfo], list[Evidence]]:
            sub = self.sub(self.domain)
            reply = await sub.iq("get", self.domain, xmpp.el(xmpp.tag(xmpp.DISCO_ITEMS, "query")))
            jids = sorted({jid for jid, node in xmpp.parse_disco_items(reply) if jid and not node})
            limit = self.options.max_components
            if len(jids) > limit:
                self.probe.unqueried_items = len(jids) - limit
                sub.note(
                    f"disco#items lists {len(jids)} items: the first {limit} were queried (the "
                    f"probe's limit), {len(jids) - limit} skipped: {listed(jids[limit:])}."
                )
                jids = jids[:limit]
            infos = (sub.disco_info(jid) for jid in jids)
            answers = await asyncio.gather(*infos, return_exceptions=True)
            found = []
            for jid, answer in zip(jids, answers, strict=True):
                if isinstance(answer, BaseException):
                    sub.note(f"Component {jid} skipped: its disco#info failed ({answer}).")
                elif answer.is_gateway:
                    sub.note(f"Component {jid} skipped: it is a gateway ({answer.describe()}).")
                else:
                    found.append(answer)
            return found, sub.evidence

        await self.session()
        found, evidence = await self.probe.memo("components", walk)
        self.evidence += evidence
        return found

    # -- HTTP ----------------------------------------------------------------------------------

    async def http(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        data: bytes | None = None,
        body_limit: int = 600,
    ) -> HttpResponse:
        """One guarded HTTP exchange, recorded (credentials redacted)."""
        options = self.options
        try:
            response = await http_request(
                method,
                url,
                resolver=self.probe.resolver,
                timeout=options.request_timeout,
                max_bytes=options.max_http_bytes,
                headers=headers,
                data=data,
                ssl_context=await self.probe.tls("http"),
            )
        except Exception as exc:
            request = http_text(method, url, headers, None)
            self.evidence.append(Evidence("http", f"{request}\n-> {exc}"))
            raise
        self.evidence.append(
            Evidence(
                "http",
                http_text(
                    method,
                    url,
                    headers,
                    response.status,
                    response.headers,
                    response.body,
                    body_limit=body_limit,
                    redirects=response.redirects,
                ),
            )
        )
        return response

    # -- side effects ----------------------------------------------------------------------------

    @asynccontextmanager
    async def cleanup(self, description: str, action: Callable[[], Awaitable[Any]]):
        """Undo a side effect on the way out, even when the check fails, errs or times out."""
        entry = (description, action)
        self.probe.pending_cleanups.append(entry)
        try:
            yield
        finally:
            self.note(await self.probe.undo(entry))


def xmpp_name(payload: ET.Element) -> str:
    namespace, _, name = payload.tag[1:].partition("}")
    return f"{namespace} {name}"


def elapsed(start: float) -> float:
    return time.monotonic() - start
