"""Offline decisions of the Mobile and A/V checks (XEP-0198, -0352, -0357, -0215), on fake
streams, what the Web checks refuse before connecting, and how host-meta reads its two fetches
failing. The Web checks against real HTTP servers on loopback (refusing, hanging, unresolvable
origins included): tests/probes/live/test_checks_mobile_web.py."""

from __future__ import annotations

import asyncio

import probes.probe
from probes.checks import (
    xep0156_host_meta,
    xep0198_sm,
    xep0215_extdisco,
    xep0352_csi,
    xep0357_push,
)
from probes.errors import NetworkTimeout, NothingListens
from probes.xmpp import CSI, EXTDISCO, PING, PUSH, SM, el, tag
from tests.probes.fakes import (
    ACCOUNT,
    FakeServer,
    fake_session,
    features,
    one,
    payload_is,
    result,
    run_with,
)

SM_FEATURES = [features(el(tag(SM, "sm")))]


def sm_scenario(
    enable_answer: str = "enabled", resume_answer: str = "resumed", closed_after_ack: bool = False
):
    """Session A enables SM and acks (then the server closes it, if closed_after_ack); session B
    (new login) asks to resume."""
    sent: list[str] = []
    sessions: list = []

    def ack(stanza):
        if closed_after_ack:
            asyncio.get_running_loop().call_soon(setattr, sessions[0].client, "transport", None)
        return el(tag(SM, "a"), {"h": "0"})

    def nonza(name):
        return lambda s: s.tag == tag(SM, name)

    def answers(server: FakeServer) -> FakeServer:
        server.on(
            nonza("enable"), lambda s: el(tag(SM, enable_answer), {"id": "sm-1", "max": "300"})
        )
        server.on(nonza("r"), ack)
        server.on(
            nonza("resume"), lambda s: sent.append(s.get("previd")) or el(tag(SM, resume_answer))
        )
        return server

    def prepare(probe, session):
        async def open_session(ready=None, prepare=None):
            client_session = fake_session(probe, answers(FakeServer()), SM_FEATURES)
            sessions.append(client_session)
            if prepare is not None:  # session B: the stream features after SASL trigger resume
                prepare(client_session.client)
                client_session.client._session_started = False
                loop = asyncio.get_running_loop()
                loop.call_soon(client_session.client._deliver, SM_FEATURES[0])
            return client_session

        probe.open_session = open_session

    outcome = one(xep0198_sm.CHECK, FakeServer(), SM_FEATURES, prepare)
    return outcome, sent


def test_it_passes_stream_management_that_resumes_a_dropped_session():
    outcome, previds = sm_scenario()
    assert outcome.outcome == "pass"
    assert previds == ["sm-1"]
    assert outcome.detail.startswith("Enabled with resumption (max 300 s), acked, and resumed")


def test_it_resumes_a_session_the_server_closed_before_the_probe_dropped_it():
    outcome, previds = sm_scenario(closed_after_ack=True)
    assert outcome.outcome == "pass"
    assert previds == ["sm-1"]
    assert "Session A's connection was already closed by the server." in [
        e.text for e in outcome.evidence
    ]


def test_it_fails_stream_management_that_will_not_resume():
    outcome, _ = sm_scenario(resume_answer="failed")
    assert outcome.detail == "The server refused to resume the dropped session."


def test_it_fails_stream_management_that_is_not_enabled():
    outcome, _ = sm_scenario(enable_answer="failed")
    assert outcome.detail == "Stream management with resumption was not enabled."


def test_it_fails_csi_when_not_offered_and_passes_when_the_session_survives():
    server = FakeServer().on(payload_is(PING, "ping"), result)
    assert one(xep0352_csi.CHECK, server).outcome == "fail"
    outcome = one(xep0352_csi.CHECK, server, [features(el(tag(CSI, "csi")))])
    assert outcome.outcome == "pass"
    assert [s.tag for s in server.received[-3:]] == [
        tag(CSI, "inactive"),
        tag(CSI, "active"),
        tag("jabber:client", "iq"),
    ]


def test_it_enables_and_disables_push_when_the_account_advertises_it():
    server = FakeServer().disco(ACCOUNT, [("account", "registered")], [PUSH])
    server.on(payload_is(PUSH, "enable"), result).on(payload_is(PUSH, "disable"), result)
    assert one(xep0357_push.CHECK, server).outcome == "pass"
    enable, disable = server.received[-2:]
    assert enable.find(tag(PUSH, "enable")).get("jid").endswith(".invalid")
    assert disable.find(tag(PUSH, "disable")) is not None


def test_it_fails_push_advertised_only_on_the_domain():
    server = FakeServer().disco("example.org", [("server", "im")], [PUSH])
    outcome = one(xep0357_push.CHECK, server)
    assert outcome.outcome == "fail"
    assert outcome.detail.endswith("It is advertised on the domain instead.")


def test_it_lists_stun_and_turn_services_and_redacts_turn_passwords():
    services = el(
        tag(EXTDISCO, "services"),
        None,
        el(
            tag(EXTDISCO, "service"),
            {
                "type": "turn",
                "host": "turn.example.org",
                "port": "3478",
                "username": "u",
                "password": "hunter2",
            },
        ),
    )
    server = FakeServer().on(payload_is(EXTDISCO, "services"), lambda s: result(s, services))
    outcome = one(xep0215_extdisco.CHECK, server)
    assert outcome.detail == "Listed: turn:turn.example.org:3478."
    assert not any("hunter2" in e.text for e in outcome.evidence)


def test_it_fails_extdisco_without_stun_or_turn():
    empty = el(tag(EXTDISCO, "services"))
    server = FakeServer().on(payload_is(EXTDISCO, "services"), lambda s: result(s, empty))
    assert one(xep0215_extdisco.CHECK, server).detail == "No STUN or TURN service is listed."


def test_it_refuses_a_host_meta_on_a_private_address_unless_allowed():
    async def scenario():
        return await run_with(xep0156_host_meta.CHECK, FakeServer(), http_base="http://10.1.2.3")

    (outcome,) = asyncio.run(scenario())
    assert outcome.outcome == "could_not_test"
    assert outcome.detail.startswith("Refused to connect to 10.1.2.3")


def host_meta_failing(monkeypatch, xrd: Exception, jrd: Exception):
    """The host-meta check when fetching host-meta raises xrd and host-meta.json raises jrd."""

    async def failing(method, url, **kwargs):
        raise jrd if url.endswith(".json") else xrd

    monkeypatch.setattr(probes.probe, "http_request", failing)
    return one(xep0156_host_meta.CHECK, FakeServer(), http_base="https://example.org")


def test_it_fails_host_meta_when_nothing_listens_at_the_origin(monkeypatch):
    refused = NothingListens(
        "Could not connect to example.org:443: refused.", "https://example.org"
    )
    outcome = host_meta_failing(monkeypatch, refused, refused)
    assert (outcome.outcome, outcome.entity) == ("fail", "https://example.org/.well-known/")
    assert outcome.detail == (
        "Nothing listens at https://example.org (connection refused on every address): the "
        "server offers no host-meta."
    )


def test_it_reports_host_meta_refused_once_and_timed_out_once_as_a_timeout(monkeypatch):
    refused = NothingListens(
        "Could not connect to example.org:443: refused.", "https://example.org"
    )
    slow = NetworkTimeout("HTTP request to https://example.org/... did not finish within 8 s.")
    outcome = host_meta_failing(monkeypatch, refused, slow)
    assert (outcome.outcome, outcome.error_kind) == ("error", "timeout")
    assert outcome.detail == f"host-meta: {slow}"
