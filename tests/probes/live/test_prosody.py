"""The probe against real Prosody 0.12 (Debian's package) on loopback, resolved through a real DNS
server: the exact outcome of every check, in a feature-rich and in a minimal configuration, and
what the probe leaves behind (nothing but one uploaded file).
"""

from __future__ import annotations

import asyncio
import re

import pytest

from probes.checks import CHECKS, rfc6121_roster, xep0054_vcard
from probes.options import Options
from probes.probe import Check, Context, Probe
from probes.runner import run_check, run_probe
from probes.xmpp import (
    BOOKMARKS,
    DISCO_INFO,
    DISCO_ITEMS,
    PRIVATE,
    PROBE,
    PUBSUB,
    VCARD,
    child,
    el,
    tag,
)
from tests.servers.prosody import options_for

pytestmark = pytest.mark.prosody

CONFERENCE, ROOMS, UPLOAD = "conference.probe.test", "rooms.probe.test", "upload.probe.test"
ACCOUNT, DOMAIN = "tester@probe.test", "probe.test"
REFUSED = "The service refused to create a room (<not-allowed/>)."


def probe(options: Options):
    return asyncio.run(run_probe(options))


# check id -> [(outcome, entity, a fragment of the detail)], one tuple per entity reported.
RICH = {
    "rfc6120-stream": [("pass", DOMAIN, "An XMPP 1.0 stream opened at xmpp.probe.test")],
    "rfc6120-starttls": [("pass", DOMAIN, "STARTTLS offered (required) and negotiated")],
    "rfc6120-sasl": [("pass", DOMAIN, "Authenticated with SCRAM-SHA-1 over TLS")],
    "rfc6120-bind": [("pass", ACCOUNT, "Bound the full JID tester@probe.test/probe-")],
    "rfc7590-tls": [("pass", DOMAIN, "certificate valid for the domain")],
    "xep0368-directtls": [("pass", DOMAIN, "from SRV _xmpps-client._tcp): logged in")],
    "xep0030-disco": [("pass", DOMAIN, "server/im")],
    "xep0115-caps": [("pass", DOMAIN, "Caps stream feature with a correct sha-1 ver")],
    "xep0114-component": [("could_not_test", DOMAIN, "cannot be probed from outside")],
    "xep0163-pep": [("pass", ACCOUNT, "published, read back and deleted")],
    "rfc7395-websocket": [("pass", "wss://probe.test:{https}/xmpp-websocket", "WebSocket")],
    "xep0206-bosh": [("pass", "https://probe.test:{https}/http-bind", "BOSH session opened")],
    "xep0156-host-meta": [("pass", "https://probe.test:{https}/.well-known/", "XRD and JRD")],
    "rfc6121-roster": [("pass", ACCOUNT, "The roster was returned")],
    "rfc6121-roster-versioning": [("pass", ACCOUNT, "the roster came with version")],
    "xep0054-vcard": [("pass", ACCOUNT, "set, read back and restored")],
    "xep0398-avatar-conversion": [("pass", ACCOUNT, "urn:xmpp:pep-vcard-conversion:0")],
    "xep0153-vcard-avatars": [("pass", ACCOUNT, "vcard-temp:x:update")],
    "xep0280-carbons": [("pass", DOMAIN, "enabling carbons works")],
    "xep0191-blocking": [("pass", DOMAIN, "the blocklist was returned")],
    "xep0045-muc": [
        ("pass", CONFERENCE, "created, left and destroyed"),
        ("could_not_test", ROOMS, REFUSED),
    ],
    "xep0249-invitations": [("pass", ACCOUNT, "routed with its payload intact")],
    "xep0048-bookmarks": [("pass", ACCOUNT, "Bookmarks read from private storage")],
    "xep0049-private": [("pass", ACCOUNT, "stored, read back and emptied")],
    "xep0223-publish-options": [("pass", ACCOUNT, "whitelist and persistent")],
    "xep0402-bookmarks": [("pass", ACCOUNT, "seen in private storage and retracted")],
    "xep0411-bookmarks-conversion": [("pass", ACCOUNT, "urn:xmpp:bookmarks-conversion:0")],
    "xep0410-self-ping": [
        ("pass", CONFERENCE, "Self-ping answered with a result"),
        ("could_not_test", ROOMS, REFUSED),
    ],
    "xep0313-mam": [("pass", ACCOUNT, "a query ended with <fin/>")],
    "xep0313-mam-muc": [
        ("pass", CONFERENCE, "returned the message and ended with <fin/>"),
        ("could_not_test", ROOMS, REFUSED),
    ],
    "xep0363-upload": [("pass", UPLOAD, "PUT (HTTP 201) and GOT back")],
    "xep0077-register": [("pass", DOMAIN, "username and password fields")],
    "xep0157-contacts": [("pass", DOMAIN, "abuse-addresses: mailto:abuse@probe.test")],
    "xep0198-sm": [("pass", ACCOUNT, "resumed after the connection was dropped")],
    "xep0352-csi": [("pass", ACCOUNT, "<inactive/> and <active/> were accepted")],
    # Debian's Prosody 0.12 has no mod_cloud_notify: push is honestly absent.
    "xep0357-push": [("fail", ACCOUNT, "does not advertise urn:xmpp:push:0")],
    "xep0215-extdisco": [("pass", DOMAIN, "stun:stun.probe.test:3478")],
}

NOT_THERE = "does not advertise"
NOTHING_LISTENS = "(connection refused on every address): the server offers no"
MINIMAL = {
    "rfc6120-stream": [("pass", DOMAIN, "An XMPP 1.0 stream opened")],
    "rfc6120-starttls": [("pass", DOMAIN, "STARTTLS offered (required)")],
    "rfc6120-sasl": [("pass", DOMAIN, "Authenticated with SCRAM-SHA-1")],
    "rfc6120-bind": [("pass", ACCOUNT, "Bound the full JID")],
    "rfc7590-tls": [("pass", DOMAIN, "certificate valid for the domain")],
    "xep0368-directtls": [("fail", DOMAIN, "No _xmpps-client._tcp SRV record for probe.test")],
    "xep0030-disco": [("pass", DOMAIN, "0 non-gateway components")],
    "xep0115-caps": [("pass", DOMAIN, "correct sha-1 ver")],
    "xep0114-component": [("could_not_test", DOMAIN, "cannot be probed from outside")],
    "xep0163-pep": [("fail", ACCOUNT, "no pubsub/pep identity")],
    # No HTTP at all: nothing listens at the web origin (every address refuses the connection).
    "rfc7395-websocket": [("fail", "https://probe.test:{closed}", f"{NOTHING_LISTENS} WebSocket.")],
    "xep0206-bosh": [("fail", "https://probe.test:{closed}", f"{NOTHING_LISTENS} BOSH.")],
    "xep0156-host-meta": [
        ("fail", "https://probe.test:{closed}/.well-known/", f"{NOTHING_LISTENS} host-meta.")
    ],
    "rfc6121-roster": [("pass", ACCOUNT, "The roster was returned")],
    "rfc6121-roster-versioning": [("pass", ACCOUNT, "the roster came with version")],
    "xep0054-vcard": [
        ("fail", ACCOUNT, "vcard-temp vCard get to the account with <service-unavailable/>")
    ],
    "xep0398-avatar-conversion": [("fail", ACCOUNT, NOT_THERE)],
    "xep0153-vcard-avatars": [("fail", ACCOUNT, "did not add a vCard avatar hash")],
    "xep0280-carbons": [("fail", DOMAIN, NOT_THERE)],
    "xep0191-blocking": [("fail", DOMAIN, NOT_THERE)],
    "xep0045-muc": [("fail", DOMAIN, "No MUC service")],
    "xep0249-invitations": [("pass", ACCOUNT, "routed with its payload intact")],
    "xep0048-bookmarks": [("fail", ACCOUNT, "<service-unavailable/>")],
    "xep0049-private": [("fail", ACCOUNT, "<service-unavailable/>")],
    "xep0223-publish-options": [("fail", ACCOUNT, NOT_THERE)],
    "xep0402-bookmarks": [("fail", ACCOUNT, NOT_THERE)],
    "xep0411-bookmarks-conversion": [("fail", ACCOUNT, NOT_THERE)],
    "xep0410-self-ping": [("fail", DOMAIN, "No MUC service")],
    "xep0313-mam": [("fail", ACCOUNT, NOT_THERE)],
    "xep0313-mam-muc": [("fail", DOMAIN, "No MUC service")],
    "xep0363-upload": [("fail", DOMAIN, "No service advertises urn:xmpp:http:upload:0")],
    "xep0077-register": [("fail", DOMAIN, "do not offer in-band registration")],
    "xep0157-contacts": [("fail", DOMAIN, "no http://jabber.org/network/serverinfo form")],
    "xep0198-sm": [("fail", ACCOUNT, "do not offer <sm xmlns='urn:xmpp:sm:3'/>")],
    "xep0352-csi": [("fail", ACCOUNT, "do not offer <csi")],
    "xep0357-push": [("fail", ACCOUNT, NOT_THERE)],
    "xep0215-extdisco": [("fail", DOMAIN, "<service-unavailable/>")],
}


def by_check(report) -> dict[str, list]:
    found: dict[str, list] = {}
    for outcome in report.outcomes:
        found.setdefault(outcome.check, []).append(outcome)
    return found


@pytest.fixture(scope="module")
def rich(prosody_rich, dns_rich):
    return probe(options_for(prosody_rich, dns_rich))


@pytest.fixture(scope="module")
def minimal(prosody_minimal, dns_minimal):
    options = options_for(prosody_minimal, dns_minimal)
    return options, probe(options)


def assert_outcomes(outcomes, expected, **ports) -> None:
    got = sorted((o.outcome, o.entity, o.detail) for o in outcomes)
    assert len(got) == len(expected), got
    for (outcome, entity, detail), (want, want_entity, fragment) in zip(
        got, sorted(expected), strict=True
    ):
        assert (outcome, entity) == (want, want_entity.format(**ports)), detail
        assert fragment in detail


def test_it_asserts_every_registered_check_in_both_configurations():
    ids = {check.id for check in CHECKS}
    assert set(RICH) == ids
    assert set(MINIMAL) == ids


@pytest.mark.parametrize("check_id", list(RICH))
def test_it_gives_the_expected_outcome_on_feature_rich_prosody(rich, prosody_rich, check_id):
    assert_outcomes(by_check(rich)[check_id], RICH[check_id], https=prosody_rich.https_port)


@pytest.mark.parametrize("check_id", list(MINIMAL))
def test_it_gives_the_expected_outcome_on_minimal_prosody(minimal, check_id):
    options, report = minimal
    closed = re.search(r":(\d+)$", options.http_base)[1]
    assert_outcomes(by_check(report)[check_id], MINIMAL[check_id], closed=closed)


def test_it_runs_the_feature_rich_probe_in_about_a_second(rich):
    assert rich.duration_s < 3.0
    assert rich.reachable
    assert rich.software == {"name": "Prosody", "version": "0.12.3"}


def test_it_reports_verdicts_from_the_engine_with_probe_outcomes_as_claims(rich, minimal):
    verdicts = rich.verdicts()
    im_2023 = verdicts["2023"]["im"]["server"]
    assert im_2023["missing"] == ["Server Extensibility"]  # XEP-0114 can only be claimed
    assert verdicts["2023"]["mobile"]["advanced_server"]["missing"] == [
        "Server Extensibility",
        "Third Party Push Notifications",
    ]
    assert "Group Chat" in minimal[1].verdicts()["2023"]["im"]["server"]["missing"]
    assert rich.specs["XEP-0045"] == "pass"  # one MUC service works; the other refused
    assert rich.specs["XEP-0357"] == "fail"


def test_it_redacts_the_password_and_sasl_payloads_from_all_evidence(rich):
    texts = [e.text for o in rich.outcomes for e in o.evidence]
    assert not any("s3cret" in text for text in texts)
    sasl = [t for t in texts if "<auth " in t or "<response " in t or "<success " in t]
    assert sasl
    assert all("[redacted" in t for t in sasl)
    slots = [t for t in texts if "<slot " in t]
    assert slots
    assert all('name="Authorization">[redacted]' in t for t in slots)


def test_it_leaves_nothing_behind_on_the_account(rich, prosody_rich, dns_rich):
    """Rooms destroyed, PEP nodes deleted, bookmark retracted, private storage and vCard reset."""
    rooms = {
        m
        for o in rich.outcomes
        for e in o.evidence
        for m in re.findall(r"probe-[0-9a-f]+@conference\.probe\.test", e.text)
    }
    assert rooms

    async def inspect():
        state = Probe(options_for(prosody_rich, dns_rich))
        ctx = Context(state, Check("inspect", (), "inspect", None))
        try:
            missing_rooms = []
            for room in rooms:
                try:
                    await ctx.iq("get", room, el(tag(DISCO_INFO, "query")))
                except Exception as exc:  # item-not-found: the room is gone
                    missing_rooms.append(getattr(exc, "condition", exc))
            nodes = await ctx.iq("get", ACCOUNT, el(tag(DISCO_ITEMS, "query")))
            marks = await ctx.iq(
                "get",
                ACCOUNT,
                el(tag(PUBSUB, "pubsub"), None, el(tag(PUBSUB, "items"), {"node": BOOKMARKS})),
            )
            private = await ctx.iq(
                "get", None, el(tag(PRIVATE, "query"), None, el(tag(PROBE, "probe")))
            )
            vcard = await ctx.iq("get", None, el(tag(VCARD, "vCard")))
            return missing_rooms, nodes, marks, private, vcard
        finally:
            await state.close()

    missing_rooms, nodes, marks, private, vcard = asyncio.run(inspect())
    assert missing_rooms == ["item-not-found"] * len(rooms)
    node_names = [i.get("node", "") for i in child(nodes, DISCO_ITEMS, "query")]
    assert not [n for n in node_names if n.startswith(PROBE)], node_names
    items = child(child(marks, PUBSUB, "pubsub"), PUBSUB, "items")
    assert not [i for i in items if i.get("id", "").startswith("probe-")]
    stored = child(child(private, PRIVATE, "query"), PROBE, "probe")
    assert stored is not None
    assert not (stored.text or "").strip()
    assert "xmpp-compliance-probe" not in "".join(child(vcard, VCARD, "vCard").itertext())
    assert rich.cleanup == []  # nothing was left for the end-of-run sweep


def test_it_reads_a_vcard_over_the_stanza_cap_on_a_session_of_its_own(prosody_rich, dns_rich):
    """A vCard larger than the stanza cap (as with a large photo) is the vCard check's protocol
    error; the main session, which every other check shares, goes on."""

    async def on_account(action):
        state = Probe(options_for(prosody_rich, dns_rich))  # the default cap
        try:
            return await action(Context(state, Check("setup", (), "setup", None)))
        finally:
            await state.close()

    async def scenario():
        large = el(tag(VCARD, "vCard"), None, el(tag(VCARD, "DESC"), text="x" * 100_000))
        reply = await on_account(lambda ctx: ctx.iq("get", None, el(tag(VCARD, "vCard"))))
        await on_account(lambda ctx: ctx.iq("set", None, large))
        state = Probe(options_for(prosody_rich, dns_rich, max_stanza_bytes=50_000))
        try:
            return [await run_check(state, c) for c in (xep0054_vcard.CHECK, rfc6121_roster.CHECK)]
        finally:
            await state.close()
            original = child(reply, VCARD, "vCard")
            await on_account(lambda ctx: ctx.iq("set", None, original))

    [vcard], [roster] = asyncio.run(scenario())
    assert (vcard.outcome, vcard.error_kind) == ("error", "protocol")
    assert "more than 50000 bytes without completing a stanza" in vcard.detail
    assert roster.outcome == "pass"


def test_it_reports_could_not_test_for_account_checks_without_an_account(prosody_rich, dns_rich):
    report = probe(options_for(prosody_rich, dns_rich, account=False))
    outcomes = {o.check: o for o in report.outcomes}
    assert outcomes["rfc6120-stream"].outcome == "pass"
    assert outcomes["rfc7590-tls"].outcome == "pass"
    assert outcomes["xep0368-directtls"].detail.endswith("reached the stream features.")
    assert outcomes["xep0077-register"].outcome == "pass"
    assert outcomes["rfc6120-sasl"].outcome == "could_not_test"
    assert "Offered over TLS: PLAIN, SCRAM-SHA-1" in outcomes["rfc6120-sasl"].detail
    for check in ("rfc6120-bind", "xep0030-disco", "xep0045-muc", "xep0313-mam", "xep0198-sm"):
        assert outcomes[check].outcome == "could_not_test"
        assert "Needs a test account" in outcomes[check].detail
    assert report.cleanup == []


def test_it_reports_refused_credentials_as_could_not_test(prosody_rich, dns_rich):
    report = probe(options_for(prosody_rich, dns_rich, password="wrong"))
    outcomes = {o.check: o for o in report.outcomes}
    assert outcomes["rfc6120-sasl"].outcome == "could_not_test"
    assert "refused the test account's credentials (<not-authorized/>)" in (
        outcomes["rfc6120-sasl"].detail
    )
    assert outcomes["xep0280-carbons"].outcome == "could_not_test"
    assert outcomes["rfc6120-stream"].outcome == "pass"
