"""Offline decisions of the IM checks (RFC 6121, XEP-0054, -0398, -0153, -0280, -0191, -0045,
-0249, -0048, -0049, -0223, -0402, -0411, -0410, -0313, -0363, -0077, -0157), on fake streams.
XEP-0363's uploads to a real HTTP server on loopback: tests/probes/live/test_checks_im.py."""

from __future__ import annotations

import asyncio

import pytest

from probes.checks import (
    rfc6121_roster,
    rfc6121_roster_versioning,
    xep0045_muc,
    xep0048_bookmarks,
    xep0049_private,
    xep0054_vcard,
    xep0077_register,
    xep0153_vcard_avatars,
    xep0157_contacts,
    xep0191_blocking,
    xep0223_publish_options,
    xep0249_invitations,
    xep0280_carbons,
    xep0313_mam,
    xep0313_mam_muc,
    xep0363_upload,
    xep0398_avatar_conversion,
    xep0402_bookmarks,
    xep0410_self_ping,
    xep0411_bookmarks_conversion,
)
from probes.xmpp import (
    BLOCKING,
    BOOKMARKS,
    BOOKMARKS_COMPAT,
    BOOKMARKS_LEGACY,
    CARBONS,
    CLIENT,
    CONFERENCE,
    DATA_FORMS,
    MAM,
    OOB,
    PEP_VCARD_CONVERSION,
    PRIVATE,
    PROBE,
    PUBLISH_OPTIONS,
    PUBSUB,
    PUBSUB_OWNER,
    REGISTER,
    REGISTER_FEATURE,
    ROSTER,
    ROSTERVER,
    SELF_PING,
    UPLOAD,
    VCARD,
    VCARD_UPDATE,
    el,
    form,
    tag,
)
from tests.probes.fakes import (
    ACCOUNT,
    DOMAIN,
    FakeMuc,
    FakeServer,
    error,
    fake_session,
    features,
    one,
    payload_is,
    presence,
    result,
    run,
    run_with,
    serverinfo_form,
)


def query_of(namespace: str, *children):
    return el(tag(namespace, "query"), None, *children)


def test_it_passes_the_roster_and_records_only_its_size():
    items = [el(tag(ROSTER, "item"), {"jid": f"friend{i}@example.net"}) for i in range(3)]
    server = FakeServer().on(
        payload_is(ROSTER, "query"), lambda s: result(s, query_of(ROSTER, *items))
    )
    outcome = one(rfc6121_roster.CHECK, server)
    assert outcome.detail == "The roster was returned (3 items)."
    assert not any("friend0" in e.text for e in outcome.evidence)


def test_it_fails_roster_versioning_without_the_stream_feature_or_a_version():
    server = FakeServer().on(payload_is(ROSTER, "query"), lambda s: result(s, query_of(ROSTER)))
    assert one(rfc6121_roster_versioning.CHECK, server).outcome == "fail"
    ver = features(el(tag(ROSTERVER, "ver")))
    outcome = one(rfc6121_roster_versioning.CHECK, server, [ver])
    assert outcome.detail == "A roster get with ver='' returned no roster version."
    server.on(
        payload_is(ROSTER, "query"), lambda s: result(s, el(tag(ROSTER, "query"), {"ver": "v7"}))
    )
    assert one(rfc6121_roster_versioning.CHECK, server, [ver]).outcome == "pass"


def vcard_server(convert_desc_to_note: bool = False, keep: bool = True) -> FakeServer:
    stored = {"vcard": el(tag(VCARD, "vCard"), None, el(tag(VCARD, "FN"), text="Tess Ter"))}

    def vcard(stanza):
        if stanza.get("type") == "set":
            new = stanza.find(tag(VCARD, "vCard"))
            if convert_desc_to_note:
                for desc in new.findall(tag(VCARD, "DESC")):
                    desc.tag = tag(VCARD, "NOTE")
            if keep:
                stored["vcard"] = new
            return result(stanza)
        return result(stanza, stored["vcard"])

    server = FakeServer().on(payload_is(VCARD, "vCard"), vcard)
    server.stored = stored
    return server


@pytest.mark.parametrize("convert", [False, True])
def test_it_passes_the_vcard_round_trip_and_restores_the_original(convert):
    server = vcard_server(convert_desc_to_note=convert)
    outcome = one(xep0054_vcard.CHECK, server)
    assert outcome.outcome == "pass"
    assert [c.tag for c in server.stored["vcard"]] == [tag(VCARD, "FN")]
    assert not any("Tess Ter" in e.text for e in outcome.evidence)  # private


def test_it_keeps_a_private_payload_an_error_echoes_out_of_the_evidence():
    """RFC 6120 §8.3.1 lets an error include the request: here the vCard the probe set."""
    server = vcard_server()

    def refuse_echoing(stanza):
        refused = error(stanza, "not-allowed")
        refused.insert(0, stanza.find(tag(VCARD, "vCard")))
        return refused

    server.on(payload_is(VCARD, "vCard", "set"), refuse_echoing)
    outcome = one(xep0054_vcard.CHECK, server)
    assert outcome.outcome == "fail"
    assert "an error <not-allowed/>  (private content not recorded)" in [
        e.text for e in outcome.evidence
    ]
    assert not any("Tess Ter" in e.text for e in outcome.evidence)


def test_it_fails_a_vcard_that_does_not_keep_the_change():
    outcome = one(xep0054_vcard.CHECK, vcard_server(keep=False))
    assert outcome.detail == "The vCard was accepted but not read back with the change."


def test_it_checks_avatar_conversion_on_the_account_and_notes_the_domain():
    server = FakeServer().disco(DOMAIN, [("server", "im")], [PEP_VCARD_CONVERSION])
    outcome = one(xep0398_avatar_conversion.CHECK, server)
    assert outcome.outcome == "fail"
    assert outcome.detail.endswith("It is advertised on the domain instead.")
    server.disco(ACCOUNT, [("account", "registered")], [PEP_VCARD_CONVERSION])
    assert one(xep0398_avatar_conversion.CHECK, server).outcome == "pass"


@pytest.mark.parametrize("inject", [True, False])
def test_it_decides_vcard_avatars_by_the_hash_added_to_presence(inject):
    def reflect(stanza):
        reflected = presence(stanza.get("to"))
        if inject:
            reflected.append(el(tag(VCARD_UPDATE, "x"), None, el(tag(VCARD_UPDATE, "photo"))))
        return reflected

    server = FakeServer().on(
        lambda s: s.tag == tag(CLIENT, "presence") and not s.get("type"), reflect
    )
    outcome = one(xep0153_vcard_avatars.CHECK, server)
    assert outcome.outcome == ("pass" if inject else "fail")
    unavailable = [s for s in server.received if s.get("type") == "unavailable"]
    assert len(unavailable) == 1  # the presence is withdrawn either way


def test_it_passes_carbons_when_advertised_and_enabled_then_disables_them():
    server = FakeServer().disco(DOMAIN, [("server", "im")], [CARBONS])
    server.on(payload_is(CARBONS, "enable"), result).on(payload_is(CARBONS, "disable"), result)
    assert one(xep0280_carbons.CHECK, server).outcome == "pass"
    assert server.received[-1].find(tag(CARBONS, "disable")) is not None


def test_it_fails_carbons_when_enable_is_refused():
    server = FakeServer().disco(DOMAIN, [("server", "im")], [CARBONS])
    outcome = one(xep0280_carbons.CHECK, server)
    assert outcome.outcome == "fail"
    assert (
        "urn:xmpp:carbons:2 enable set to the account with <service-unavailable/>" in outcome.detail
    )


def test_it_decides_blocking_by_the_domain_feature_and_the_blocklist():
    server = FakeServer()
    assert (
        one(xep0191_blocking.CHECK, server).detail == f"The domain does not advertise {BLOCKING}."
    )
    server.disco(DOMAIN, [("server", "im")], [BLOCKING])
    blocked = el(tag(BLOCKING, "blocklist"), None, el(tag(BLOCKING, "item"), {"jid": "spam@x"}))
    server.on(payload_is(BLOCKING, "blocklist"), lambda s: result(s, blocked))
    outcome = one(xep0191_blocking.CHECK, server)
    assert outcome.detail.endswith("the blocklist was returned (1 items).")
    assert not any("spam@x" in e.text for e in outcome.evidence)


def test_it_tests_each_muc_service_skips_gateways_and_destroys_its_rooms():
    server = FakeServer()
    open_muc = FakeMuc(server, "muc.example.org")
    FakeMuc(server, "closed.example.org", refuse="not-allowed")
    server.disco("matrix.example.org", [("gateway", "matrix"), ("conference", "text")])
    outcomes = sorted(run(xep0045_muc.CHECK, server), key=lambda o: o.entity)
    assert [(o.entity, o.outcome) for o in outcomes] == [
        ("closed.example.org", "could_not_test"),
        ("muc.example.org", "pass"),
    ]
    assert outcomes[0].detail == "The service refused to create a room (<not-allowed/>)."
    assert open_muc.rooms == set()
    assert not [s for s in server.received if "matrix" in s.get("to", "")[8:]]


def test_it_fails_muc_without_a_service():
    outcome = one(xep0045_muc.CHECK, FakeServer())
    assert outcome.detail == "No MUC service (conference/text) among the domain's components."


def test_it_destroys_the_room_even_when_the_check_times_out():
    server = FakeServer()
    muc = FakeMuc(server, "muc.example.org")
    server.on(lambda s: s.get("type") == "unavailable", lambda s: None)  # never confirms leaving
    (outcome,) = run(xep0045_muc.CHECK, server)
    assert (outcome.outcome, outcome.error_kind) == ("error", "timeout")
    assert muc.rooms == set()
    assert any(e.text.startswith("Cleanup done: destroy the room") for e in outcome.evidence)


def test_it_passes_a_direct_invitation_that_comes_back_intact():
    def echo(stanza):
        stanza.set("from", stanza.get("to"))
        return stanza

    server = FakeServer().on(lambda s: s.tag == tag(CLIENT, "message"), echo)
    assert one(xep0249_invitations.CHECK, server).outcome == "pass"
    invite = server.received[0]
    assert invite.get("to").startswith(f"{ACCOUNT}/probe-")
    assert invite.find(tag(CONFERENCE, "x")) is not None


def test_it_reports_a_lost_invitation_as_a_timeout():
    outcome = one(xep0249_invitations.CHECK, FakeServer())
    assert (outcome.outcome, outcome.error_kind) == ("error", "timeout")


def test_it_reads_bookmarks_without_recording_them():
    rooms = el(
        tag(BOOKMARKS_LEGACY, "storage"),
        None,
        el(tag(BOOKMARKS_LEGACY, "conference"), {"jid": "secret@muc.example.org"}),
    )
    server = FakeServer().on(
        payload_is(PRIVATE, "query"), lambda s: result(s, query_of(PRIVATE, rooms))
    )
    outcome = one(xep0048_bookmarks.CHECK, server)
    assert outcome.detail == "Bookmarks read from private storage (1 rooms)."
    assert not any("secret@" in e.text for e in outcome.evidence)


def private_storage(server: FakeServer, keep: bool = True) -> dict:
    stored: dict[str, object] = {}

    def private(stanza):
        fragment = stanza.find(tag(PRIVATE, "query"))[0]
        if stanza.get("type") == "set":
            if keep:
                stored[fragment.tag] = fragment
            return result(stanza)
        return result(stanza, query_of(PRIVATE, stored.get(fragment.tag, fragment)))

    server.on(payload_is(PRIVATE, "query"), private)
    return stored


@pytest.mark.parametrize("keep", [True, False])
def test_it_decides_private_storage_by_the_round_trip_and_empties_it(keep):
    server = FakeServer()
    stored = private_storage(server, keep)
    outcome = one(xep0049_private.CHECK, server)
    assert outcome.outcome == ("pass" if keep else "fail")
    if keep:
        assert not stored[tag(PROBE, "probe")].text


def pep_node_server(access_model: str = "whitelist") -> FakeServer:
    server = FakeServer().disco(ACCOUNT, [("pubsub", "pep")], [PUBLISH_OPTIONS])
    config = form(
        "http://jabber.org/protocol/pubsub#node_config",
        {"pubsub#access_model": access_model, "pubsub#persist_items": "1"},
    )
    server.on(payload_is(PUBSUB, "pubsub", "set"), result)
    server.on(payload_is(PUBSUB_OWNER, "pubsub", "set"), result)
    server.on(
        payload_is(PUBSUB_OWNER, "pubsub", "get"),
        lambda s: result(
            s,
            el(tag(PUBSUB_OWNER, "pubsub"), None, el(tag(PUBSUB_OWNER, "configure"), None, config)),
        ),
    )
    return server


def test_it_passes_publish_options_that_make_a_private_node():
    server = pep_node_server()
    assert one(xep0223_publish_options.CHECK, server).outcome == "pass"
    publish = server.received[1]
    fields = publish.findall(f".//{{{DATA_FORMS}}}field")
    assert {f.get("var") for f in fields} >= {"pubsub#access_model", "pubsub#persist_items"}


def test_it_fails_publish_options_that_leave_the_node_open():
    outcome = one(xep0223_publish_options.CHECK, pep_node_server("open"))
    assert outcome.outcome == "fail"
    assert "'pubsub#access_model': 'open'" in outcome.detail


def bookmarks_server(compat: bool = True, converts: bool = True) -> FakeServer:
    features_ = [BOOKMARKS_COMPAT] if compat else []
    server = FakeServer().disco(ACCOUNT, [("pubsub", "pep")], features_)
    marks: dict[str, object] = {}

    def publish(stanza):
        item = stanza.find(f".//{{{PUBSUB}}}item")
        marks[item.get("id")] = item
        return result(stanza)

    def items(stanza):
        wanted = stanza.find(f".//{{{PUBSUB}}}items/{{{PUBSUB}}}item").get("id")
        found = el(tag(PUBSUB, "items"), {"node": BOOKMARKS})
        if wanted in marks:
            found.append(marks[wanted])
        return result(stanza, el(tag(PUBSUB, "pubsub"), None, found))

    def retract(stanza):
        marks.pop(stanza.find(f".//{{{PUBSUB}}}retract/{{{PUBSUB}}}item").get("id"), None)
        return result(stanza)

    def legacy(stanza):
        storage = el(tag(BOOKMARKS_LEGACY, "storage"))
        for jid in marks if converts else ():
            storage.append(el(tag(BOOKMARKS_LEGACY, "conference"), {"jid": jid}))
        return result(stanza, query_of(PRIVATE, storage))

    server.on(payload_is(PUBSUB, "pubsub", "set"), publish)
    server.on(lambda s: s.find(f".//{{{PUBSUB}}}items") is not None, items)
    server.on(lambda s: s.find(f".//{{{PUBSUB}}}retract") is not None, retract)
    server.on(payload_is(PRIVATE, "query"), legacy)
    server.marks = marks
    return server


def test_it_passes_native_bookmarks_seen_through_compat_and_retracts_them():
    server = bookmarks_server()
    assert one(xep0402_bookmarks.CHECK, server).outcome == "pass"
    assert server.marks == {}


@pytest.mark.parametrize(
    ("compat", "converts", "detail"),
    [
        (False, True, f"The account does not advertise {BOOKMARKS_COMPAT}."),
        (True, False, "The bookmark did not appear in XEP-0048 private storage."),
    ],
)
def test_it_fails_bookmarks_without_the_compat_conversion(compat, converts, detail):
    server = bookmarks_server(compat, converts)
    assert one(xep0402_bookmarks.CHECK, server).detail == detail
    assert server.marks == {}


def test_it_cannot_test_bookmarks_when_the_users_node_is_configured_otherwise():
    server = bookmarks_server()
    server.on(payload_is(PUBSUB, "pubsub", "set"), lambda s: error(s, "conflict"))
    outcome = one(xep0402_bookmarks.CHECK, server)
    assert outcome.outcome == "could_not_test"


def test_it_checks_bookmarks_conversion_on_the_account():
    server = FakeServer().disco(ACCOUNT, [], ["urn:xmpp:bookmarks-conversion:0"])
    assert one(xep0411_bookmarks_conversion.CHECK, server).outcome == "pass"
    assert one(xep0411_bookmarks_conversion.CHECK, FakeServer()).outcome == "fail"


@pytest.mark.parametrize(
    ("answer", "outcome", "fragment"),
    [
        ("result", "pass", "answers self-pings itself"),
        ("feature-not-implemented", "pass", "relayed: still joined"),
        ("not-acceptable", "fail", "answered <not-acceptable/>"),
    ],
)
def test_it_decides_self_ping_by_the_answer(answer, outcome, fragment):
    server = FakeServer()
    muc = FakeMuc(server, "muc.example.org", room_features=[SELF_PING], self_ping=answer)
    (result_,) = run(xep0410_self_ping.CHECK, server)
    assert result_.outcome == outcome
    assert fragment in result_.detail
    assert muc.rooms == set()


def mam_server(fin: bool = True) -> FakeServer:
    server = FakeServer().disco(ACCOUNT, [("pubsub", "pep")], [MAM])

    def query(stanza):
        query_id = stanza.find(tag(MAM, "query")).get("queryid")
        message = el(
            tag(CLIENT, "message"),
            {"from": ACCOUNT},
            el(
                tag(MAM, "result"),
                {"queryid": query_id},
                el(tag(CLIENT, "body"), text="private words"),
            ),
        )
        return [message, result(stanza, *([el(tag(MAM, "fin"))] if fin else []))]

    server.on(payload_is(MAM, "query"), query)
    return server


def test_it_passes_an_account_archive_query_ending_with_fin_without_recording_messages():
    outcome = one(xep0313_mam.CHECK, mam_server())
    assert outcome.detail.endswith("(1 message(s) returned, not recorded).")
    assert not any("private words" in e.text for e in outcome.evidence)


def test_it_fails_an_archive_query_without_fin():
    outcome = one(xep0313_mam.CHECK, mam_server(fin=False))
    assert outcome.detail == "The archive query was answered without <fin/>."


@pytest.mark.parametrize(
    ("archive", "features_", "detail"),
    [
        (True, [MAM], "The room archive returned the message and ended with <fin/>."),
        (False, [MAM], "The room archive did not return the message just sent."),
        (True, [], f"A fresh room does not advertise {MAM}."),
    ],
)
def test_it_decides_room_archives_by_the_message_just_sent(archive, features_, detail):
    server = FakeServer()
    muc = FakeMuc(server, "muc.example.org", room_features=features_, archive=archive)
    (outcome,) = run(xep0313_mam_muc.CHECK, server)
    assert outcome.detail == detail
    assert muc.rooms == set()


def test_it_tests_five_muc_services_says_which_were_not_and_destroys_every_room():
    server = FakeServer()
    services = [FakeMuc(server, f"muc{i}.example.org") for i in range(8)]
    outcomes = run(xep0045_muc.CHECK, server)
    assert [o.entity for o in outcomes] == [f"muc{i}.example.org" for i in range(5)]
    for outcome in outcomes:
        assert outcome.outcome == "pass"
        assert outcome.detail.endswith(" (3 more services not tested: at most 5.)")
        assert (
            "3 more services not tested (at most 5): muc5.example.org, muc6.example.org, "
            "muc7.example.org."
        ) in [e.text for e in outcome.evidence]
    assert [len(muc.rooms) for muc in services] == [0] * 8
    joined = {
        s.get("to", "").split("@")[-1].split("/")[0]
        for s in server.received
        if s.tag == tag(CLIENT, "presence")
    }
    assert joined == {f"muc{i}.example.org" for i in range(5)}


def test_it_switches_a_rooms_archive_on_when_its_configuration_offers_it():
    server = FakeServer()
    muc = FakeMuc(server, "muc.example.org", archive_field="muc#roomconfig_enablearchiving")
    (outcome,) = run(xep0313_mam_muc.CHECK, server)
    assert outcome.outcome == "pass"
    assert "(after switching muc#roomconfig_enablearchiving on)" in outcome.detail
    assert muc.rooms == set()


def test_it_refuses_to_upload_to_a_private_address_unless_allowed():
    async def scenario():
        server = FakeServer().disco("upload.example.org", [], [UPLOAD])
        slot = el(
            tag(UPLOAD, "slot"),
            None,
            el(tag(UPLOAD, "put"), {"url": "http://10.0.0.1/x"}),
            el(tag(UPLOAD, "get"), {"url": "http://10.0.0.1/x"}),
        )
        server.on(payload_is(UPLOAD, "request"), lambda s: result(s, slot))
        return await run_with(xep0363_upload.CHECK, server)

    (outcome,) = asyncio.run(scenario())
    assert outcome.outcome == "could_not_test"
    assert outcome.detail.startswith("Refused to connect to 10.0.0.1")


def register_scenario(fields=None, oob: str = "", advertised: bool = True, refuse: str = ""):
    def prepare(probe, session):
        server = FakeServer()
        feature = [el(tag(REGISTER_FEATURE, "register"))] if advertised else []

        def answer(stanza):
            if refuse:
                return error(stanza, refuse)
            query = el(tag(REGISTER, "query"))
            for name in fields or ():
                query.append(el(tag(REGISTER, name)))
            if oob:
                query.append(el(tag(OOB, "x"), None, el(tag(OOB, "url"), text=oob)))
            return result(stanza, query)

        server.on(payload_is(REGISTER, "query"), answer)
        unauthenticated = fake_session(probe, server, [features(*feature)])

        async def open_session(**kwargs):
            assert kwargs == {"authenticate": False}
            return unauthenticated

        probe.open_session = open_session

    return one(xep0077_register.CHECK, FakeServer(), (), prepare)


@pytest.mark.parametrize(
    ("kwargs", "outcome", "fragment"),
    [
        ({"fields": ["username", "password"]}, "pass", "username and password fields"),
        ({"oob": "https://example.org/signup"}, "fail", "only via a web page: https://example"),
        ({"advertised": False}, "fail", "do not offer in-band registration"),
        ({"refuse": "not-allowed"}, "fail", "advertised but refused (<not-allowed/>)"),
    ],
)
def test_it_decides_registration_by_what_is_really_offered(kwargs, outcome, fragment):
    result_ = register_scenario(**kwargs)
    assert result_.outcome == outcome
    assert fragment in result_.detail
    assert result_.informational


def test_it_accepts_any_contact_address_type():
    server = FakeServer().disco(
        DOMAIN,
        [("server", "im")],
        [],
        [serverinfo_form(security_addresses=["xmpp:sec@example.org"])],
    )
    outcome = one(xep0157_contacts.CHECK, server)
    assert outcome.detail == "Contact addresses: security-addresses: xmpp:sec@example.org."
    empty = FakeServer().disco(DOMAIN, [], [], [serverinfo_form(abuse_addresses=[])])
    assert one(xep0157_contacts.CHECK, empty).detail == "The contact form lists no address."
