"""Offline decisions of the Core checks (RFC 6120, RFC 7590, XEP-0368, -0030, -0115, -0114,
-0163), on fake streams. Direct TLS resolving through a real DNS server on loopback:
tests/probes/live/test_checks_core.py."""

from __future__ import annotations

import base64
import hashlib
import time
from xml.etree import ElementTree as ET

import pytest

from probes.checks import (
    rfc6120_bind,
    rfc6120_sasl,
    rfc6120_starttls,
    rfc6120_stream,
    rfc7590_tls,
    xep0030_disco,
    xep0114_component,
    xep0115_caps,
    xep0163_pep,
    xep0368_directtls,
)
from probes.checks.xep0115_caps import verification_string
from probes.connect.tls import TlsFacts
from probes.errors import (
    AuthenticationFailed,
    NetworkError,
    NetworkTimeout,
    NoEndpoint,
    SaslUnusable,
    TlsFailure,
)
from probes.probe import Session
from probes.xmpp import (
    BIND,
    CAPS,
    DATA_FORMS,
    DISCO_INFO,
    PUBSUB,
    PUBSUB_OWNER,
    el,
    form,
    tag,
)
from tests.probes.fakes import (
    ACCOUNT,
    DOMAIN,
    LOGIN,
    MECHANISMS,
    STARTTLS,
    TLS13,
    FakeServer,
    error,
    features,
    one,
    payload_is,
    result,
)


def failing(exc, header=True, feature_sets=(STARTTLS,), tls=None, phase="features"):
    """A prepare() making the login fail with exc after the given progress."""

    def prepare(probe, session: Session) -> None:
        client = session.client
        client.header = {"version": "1.0", "id": "x"} if header else {}
        client.feature_sets, client.tls, client.phase = list(feature_sets), tls, phase
        session.error = exc

    return prepare


def test_it_passes_a_stream_with_a_header_and_features():
    outcome = one(rfc6120_stream.CHECK, FakeServer(), LOGIN)
    assert outcome.outcome == "pass"
    assert outcome.detail.startswith("An XMPP 1.0 stream opened at xmpp.example.org:5222")


def test_it_fails_a_stream_without_version_1():
    def old(probe, session):
        session.client.header = {"id": "x"}

    outcome = one(rfc6120_stream.CHECK, FakeServer(), LOGIN, old)
    assert (outcome.outcome, outcome.detail) == (
        "fail",
        "The stream header has version=None and id='x'.",
    )


def test_it_reports_an_unreachable_server_as_an_error_not_a_fail():
    refused = NetworkError("The connection was refused (nothing listens on that port).")
    outcome = one(rfc6120_stream.CHECK, FakeServer(), (), failing(refused, header=False))
    assert (outcome.outcome, outcome.error_kind) == ("error", "network")
    assert outcome.detail == str(refused)


def test_it_fails_starttls_when_not_offered():
    outcome = one(rfc6120_starttls.CHECK, FakeServer(), (MECHANISMS,))
    assert (outcome.outcome, outcome.detail) == (
        "fail",
        "The first stream features do not offer STARTTLS.",
    )


def test_it_passes_starttls_and_says_whether_it_is_required():
    outcome = one(rfc6120_starttls.CHECK, FakeServer(), LOGIN)
    assert outcome.detail == "STARTTLS offered (required) and negotiated (TLSv1.3)."


def test_it_cannot_test_starttls_when_it_aborted_the_handshake_itself():
    untrusted = TlsFailure("TLS: the certificate was not accepted: certificate has expired.")
    outcome = one(rfc6120_starttls.CHECK, FakeServer(), (), failing(untrusted))
    assert outcome.outcome == "could_not_test"
    assert outcome.detail.endswith("certificate has expired.")


def test_it_passes_sasl_with_the_mechanism_used():
    def scram(probe, session):
        session.client.plugin["feature_mechanisms"].mech = type("M", (), {"name": "SCRAM-SHA-1"})

    outcome = one(rfc6120_sasl.CHECK, FakeServer(), LOGIN, scram)
    assert outcome.detail == "Authenticated with SCRAM-SHA-1 over TLS (offered: SCRAM-SHA-1)."


def test_it_fails_sasl_without_a_usable_mechanism():
    unusable = SaslUnusable(
        "No SASL mechanism the probe may use over TLS was offered (offered: X)."
    )
    outcome = one(rfc6120_sasl.CHECK, FakeServer(), (), failing(unusable, tls=TLS13))
    assert (outcome.outcome, outcome.detail) == ("fail", str(unusable))


def test_it_cannot_test_sasl_with_refused_credentials():
    refused = AuthenticationFailed("The server refused the test account's credentials.")
    prepare = failing(refused, feature_sets=LOGIN[:2], tls=TLS13, phase="sasl")
    outcome = one(rfc6120_sasl.CHECK, FakeServer(), (), prepare)
    assert outcome.outcome == "could_not_test"
    assert outcome.detail.endswith("Offered: SCRAM-SHA-1.")


def test_it_reports_a_hang_up_during_sasl_as_a_network_error():
    closed = NetworkError("The server closed the connection during SASL authentication.")
    prepare = failing(closed, feature_sets=LOGIN[:2], tls=TLS13, phase="sasl")
    outcome = one(rfc6120_sasl.CHECK, FakeServer(), (), prepare)
    assert (outcome.outcome, outcome.error_kind, outcome.detail) == (
        "error",
        "network",
        str(closed),
    )


def test_it_passes_bind_with_a_full_jid_of_the_account():
    outcome = one(rfc6120_bind.CHECK, FakeServer(), LOGIN)
    assert outcome.outcome == "pass"
    assert outcome.entity == ACCOUNT
    assert outcome.detail.startswith(f"Bound the full JID {ACCOUNT}/probe-")


def test_it_fails_bind_answered_with_an_error():
    def refused(probe, session):
        client = session.client
        client.login_errors = [error(el(tag("jabber:client", "iq"), {"id": "b"}), "not-allowed")]
        client.phase, session.error = "bind", NetworkTimeout("no session")

    outcome = one(rfc6120_bind.CHECK, FakeServer(), LOGIN, refused)
    assert (outcome.outcome, outcome.detail) == (
        "fail",
        "Resource binding was answered with <not-allowed/>.",
    )


def test_it_passes_modern_tls_with_a_valid_certificate():
    outcome = one(rfc7590_tls.CHECK, FakeServer(), LOGIN)
    assert outcome.detail == (
        "TLSv1.3 (TLS_AES_256_GCM_SHA384) with a certificate valid for the domain."
    )


def test_it_warns_of_a_certificate_about_to_expire():
    def soon(probe, session):
        session.client.tls = TlsFacts("TLSv1.2", "X", None, "2030-01-01", 3, ("DNS:a",), True)

    assert one(rfc7590_tls.CHECK, FakeServer(), LOGIN, soon).detail.endswith("in 3 days.")


def test_it_fails_tls_on_a_certificate_failure_and_without_starttls():
    bad = TlsFailure("TLS: the certificate is not valid for example.org: it names DNS:other.")
    assert one(rfc7590_tls.CHECK, FakeServer(), (), failing(bad)).outcome == "fail"
    plain = failing(NetworkError("closed"), feature_sets=(MECHANISMS,))
    outcome = one(rfc7590_tls.CHECK, FakeServer(), (), plain)
    assert (outcome.outcome, outcome.detail) == (
        "fail",
        "No TLS: the server does not offer STARTTLS.",
    )


def direct_tls(session_error=None, tls=TLS13):
    def prepare(probe, session):
        async def open_session(**kwargs):
            assert kwargs == {"direct_tls": True}
            session.client.tls, session.error = tls, session_error
            session.notes = ["SRV _xmpps-client._tcp.example.org: xmpp.example.org:5223"]
            return session

        probe.open_session = open_session

    return prepare


def test_it_passes_direct_tls_when_a_target_logs_in():
    outcome = one(xep0368_directtls.CHECK, FakeServer(), LOGIN, direct_tls())
    assert outcome.outcome == "pass"
    assert outcome.detail.endswith(": logged in.")
    assert outcome.evidence[0].kind == "dns"


def test_it_fails_direct_tls_without_an_srv_record():
    missing = direct_tls(NoEndpoint("No address to connect to: SRV ...: no record."))
    outcome = one(xep0368_directtls.CHECK, FakeServer(), LOGIN, missing)
    assert (outcome.outcome, outcome.detail) == (
        "fail",
        "No _xmpps-client._tcp SRV record for example.org.",
    )


def test_it_reports_direct_tls_timeouts_as_errors():
    slow = direct_tls(NetworkTimeout("The server did not answer while connecting within 1 s."))
    outcome = one(xep0368_directtls.CHECK, FakeServer(), LOGIN, slow)
    assert (outcome.outcome, outcome.error_kind) == ("error", "timeout")


def test_it_passes_disco_and_counts_non_gateway_components():
    server = FakeServer().disco("muc.example.org", [("conference", "text")])
    server.disco("irc.example.org", [("gateway", "irc")])
    outcome = one(xep0030_disco.CHECK, server, LOGIN)
    assert outcome.detail.endswith("disco#items: 1 non-gateway components.")
    assert any("irc.example.org skipped: it is a gateway" in e.text for e in outcome.evidence)


def test_it_asks_the_first_50_items_at_once_so_that_silent_ones_hold_up_none():
    server = FakeServer()
    for i in range(60):  # c00..c07 never answer their disco#info
        server.disco(f"c{i:02}.example.org", [("conference", "text")])
    server.on(lambda s: s.get("to", "") < "c08", lambda s: None)
    start = time.monotonic()
    outcome = one(xep0030_disco.CHECK, server, LOGIN)
    assert time.monotonic() - start < 1.5  # one request timeout (0.5 s), not one per wave
    assert outcome.detail.endswith(
        "disco#items: 42 non-gateway components (10 more items not queried)."
    )
    asked = [s.get("to") for s in server.received if s.find(tag(DISCO_INFO, "query")) is not None]
    assert sorted(set(asked) - {DOMAIN}) == [f"c{i:02}.example.org" for i in range(50)]
    notes = [e.text for e in outcome.evidence if e.kind == "note"]
    assert notes[0].startswith("disco#items lists 60 items: the first 50 were queried")
    assert notes[0].endswith(
        "skipped: c50.example.org, c51.example.org, c52.example.org, "
        "c53.example.org, c54.example.org, c55.example.org, c56.example.org, c57.example.org, "
        "c58.example.org, c59.example.org."
    )
    assert sum("skipped: its disco#info failed (No answer" in n for n in notes) == 8


def test_it_fails_disco_without_the_disco_info_feature():
    server = FakeServer().disco(DOMAIN, [("server", "im")], [])
    outcome = one(xep0030_disco.CHECK, server, LOGIN)
    assert outcome.detail == f"The domain's disco#info does not list {DISCO_INFO}."


def caps_features(ver: str, algorithm: str = "sha-1"):
    c = el(tag(CAPS, "c"), {"hash": algorithm, "node": "https://x", "ver": ver})
    return (*LOGIN[:2], features(el(tag(BIND, "bind")), c))


def test_it_computes_the_caps_hash_of_xep_0115_section_5_3():
    """The worked example of XEP-0115 §5.3 (complex generation), with forms."""
    query = el(tag(DISCO_INFO, "query"))
    for category, kind, lang, name in (
        ("client", "pc", "en", "Psi 0.11"),
        ("client", "pc", "el", "Ψ 0.11"),
    ):
        attributes = {
            "category": category,
            "type": kind,
            "name": name,
            "{http://www.w3.org/XML/1998/namespace}lang": lang,
        }
        query.append(el(tag(DISCO_INFO, "identity"), attributes))
    for var in (
        "http://jabber.org/protocol/caps",
        "http://jabber.org/protocol/disco#info",
        "http://jabber.org/protocol/disco#items",
        "http://jabber.org/protocol/muc",
    ):
        query.append(el(tag(DISCO_INFO, "feature"), {"var": var}))
    query.append(
        form(
            "urn:xmpp:dataforms:softwareinfo",
            {
                "ip_version": ["ipv4", "ipv6"],
                "os": "Mac",
                "os_version": "10.5.1",
                "software": "Psi",
                "software_version": "0.11",
            },
            kind="result",
        )
    )
    digest = hashlib.sha1(verification_string(query).encode()).digest()
    assert base64.b64encode(digest).decode() == "q07IKJEyjvHSyhy//CH0CxmKi8w="
    assert query.find(tag(DATA_FORMS, "x")) is not None


def test_it_passes_caps_whose_hash_matches_the_domain_disco_info():
    server = FakeServer()
    ver = base64.b64encode(hashlib.sha1(verification_string(server.info[DOMAIN]).encode()).digest())
    outcome = one(xep0115_caps.CHECK, server, caps_features(ver.decode()))
    assert outcome.outcome == "pass"


def test_it_fails_caps_with_a_wrong_hash_or_none():
    outcome = one(xep0115_caps.CHECK, FakeServer(), caps_features("AAAA"))
    assert outcome.outcome == "fail"
    assert "is not the hash of the domain's disco#info" in outcome.detail
    assert one(xep0115_caps.CHECK, FakeServer(), LOGIN).detail == (
        "The stream features carry no entity capabilities (<c/>)."
    )


def test_it_never_pretends_to_test_the_component_protocol():
    outcome = one(xep0114_component.CHECK, FakeServer(), LOGIN)
    assert outcome.outcome == "could_not_test"


def pep_server(store: bool = True) -> FakeServer:
    server = FakeServer().disco(ACCOUNT, [("account", "registered"), ("pubsub", "pep")])
    published: dict[str, ET.Element] = {}

    def publish(stanza):
        item = stanza.find(f"{{{PUBSUB}}}pubsub/{{{PUBSUB}}}publish/{{{PUBSUB}}}item")
        if store:
            published[stanza.find(f".//{{{PUBSUB}}}publish").get("node")] = item
        return result(stanza)

    def items(stanza):
        node = stanza.find(f".//{{{PUBSUB}}}items").get("node")
        found = el(tag(PUBSUB, "items"), {"node": node})
        if node in published:
            found.append(published[node])
        return result(stanza, el(tag(PUBSUB, "pubsub"), None, found))

    server.on(payload_is(PUBSUB, "pubsub", "set"), publish)
    server.on(lambda s: s.find(f".//{{{PUBSUB}}}items") is not None, items)
    server.on(payload_is(PUBSUB_OWNER, "pubsub", "set"), lambda s: result(s))
    return server


def test_it_passes_pep_after_a_round_trip_and_deletes_the_node():
    server = pep_server()
    outcome = one(xep0163_pep.CHECK, server, LOGIN)
    assert outcome.outcome == "pass"
    deletes = [s for s in server.received if s.find(f".//{{{PUBSUB_OWNER}}}delete") is not None]
    assert len(deletes) == 1
    assert any(e.text.startswith("Cleanup done: delete the PEP node") for e in outcome.evidence)


def test_it_fails_pep_that_loses_the_item_and_still_deletes_the_node():
    server = pep_server(store=False)
    outcome = one(xep0163_pep.CHECK, server, LOGIN)
    assert (outcome.outcome, outcome.detail) == ("fail", "The published item was not read back.")
    assert [s for s in server.received if s.find(f".//{{{PUBSUB_OWNER}}}delete") is not None]


def test_it_fails_pep_without_the_identity():
    outcome = one(xep0163_pep.CHECK, FakeServer(), LOGIN)
    assert outcome.detail == "The account's disco#info has no pubsub/pep identity."


@pytest.mark.parametrize(
    ("condition", "kind", "outcome"),
    [
        ("service-unavailable", "cancel", "fail"),
        ("remote-server-timeout", "cancel", "error"),
        ("internal-server-error", "wait", "error"),
    ],
)
def test_it_fails_on_a_refusal_but_errs_on_a_temporary_condition(condition, kind, outcome):
    server = FakeServer().on(payload_is(PUBSUB, "pubsub"), lambda s: error(s, condition, kind))
    server.disco(ACCOUNT, [("pubsub", "pep")])
    result_ = one(xep0163_pep.CHECK, server, LOGIN)
    assert result_.outcome == outcome
    assert f"with <{condition}/>" in result_.detail
