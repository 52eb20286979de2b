"""2022 verdicts of real DOAP files, computed by hand from the XEP-0459 tables.

Each expectation below was worked out by reading the file's claims for every 2022 provider and
walking the tables (core rows first), not by running the engine. Notes per file say why.
"""

import json

import pytest
from django.core.management import call_command

from compliance.doap.importer import import_doap

CORE_ADV = ["Direct TLS", "Event publishing"]
WEB = ["Web Connection Mechanisms", "Connection Mechanism Discovery"]
AV = ["Call Setup", "Transport", "Encryption", "STUN/TURN server discovery"]


def verdicts_2022(capsys, slug):
    call_command("compliance", slug, "--year", "2022", "--json")
    payload = json.loads(capsys.readouterr().out)
    assert list(payload["years"]) == ["2022"]
    return payload["role"], payload["years"]["2022"]


def ok(partial=()):
    return {"compliant": True, "missing": [], "relies_on_partial": list(partial)}


def missing(*names, partial=()):
    """Not compliant; partial lists specs claimed partially that met features still rely on."""
    return {"compliant": False, "missing": list(names), "relies_on_partial": list(partial)}


@pytest.mark.django_db
def test_prosody(doap_dir, capsys):
    # Server. Every required provider is complete except XEP-0206 (BOSH, partial: Web) and
    # XEP-0045 (MUC, partial: IM Group Chat). XEP-0215, 0352, 0357, 0402 are complete.
    import_doap(str(doap_dir / "prosody.doap"))
    role, years = verdicts_2022(capsys, "prosody-im")
    assert role == "server"
    assert years == {
        "core": {"server": ok(), "advanced_server": ok()},
        "web": {"server": ok(["XEP-0206"]), "advanced_server": ok(["XEP-0206"])},
        "im": {"server": ok(["XEP-0045"]), "advanced_server": ok(["XEP-0045"])},
        "mobile": {"server": ok(), "advanced_server": ok()},
        "av": {"server": ok(), "advanced_server": ok()},
    }


@pytest.mark.django_db
def test_ejabberd(doap_dir, capsys):
    # Server. RFC 6120, 6121, 7395, 7590 (rfc-editor IRIs) and every required XEP complete,
    # XEP-0206 and XEP-0402 included: compliant everywhere, nothing partial.
    import_doap(str(doap_dir / "ejabberd.doap"))
    role, years = verdicts_2022(capsys, "ejabberd")
    assert role == "server"
    for category in ("core", "web", "im", "mobile", "av"):
        assert years[category] == {"server": ok(), "advanced_server": ok()}, category


@pytest.mark.django_db
def test_conversations(doap_dir, capsys):
    # Client on Android (not background-restricted by the iOS rule). No RFC 7395, XEP-0206 or
    # XEP-0156: Web missing. XEP-0054 partial (IM client). Advanced: XEP-0153 partial, and
    # XEP-0402 absent so Advanced Group Chat is missing. Push (XEP-0357) complete anyway.
    import_doap(str(doap_dir / "conversations.doap"))
    role, years = verdicts_2022(capsys, "conversations")
    assert role == "client"
    assert years == {
        "core": {"client": ok(), "advanced_client": ok()},
        "web": {"client": missing(*WEB), "advanced_client": missing(*WEB)},
        "im": {
            "client": ok(["XEP-0054"]),
            "advanced_client": missing("Advanced Group Chat", partial=["XEP-0054", "XEP-0153"]),
        },
        "mobile": {"client": ok(), "advanced_client": ok()},
        "av": {"client": ok(), "advanced_client": ok()},
    }


@pytest.mark.django_db
def test_gajim(doap_dir, capsys):
    # Client. Web: RFC 7395 listed, XEP-0206 not: one provider suffices for clients;
    # XEP-0156 partial. IM advanced: XEP-0410 absent (Advanced Group Chat), XEP-0234 and
    # XEP-0261 "removed" (Direct File Transfer). No XEP-0352 (Mobile), no Jingle RTP (A/V).
    import_doap(str(doap_dir / "gajim.doap"))
    role, years = verdicts_2022(capsys, "gajim")
    assert role == "client"
    assert years == {
        "core": {"client": ok(), "advanced_client": ok()},
        "web": {"client": ok(["XEP-0156"]), "advanced_client": ok(["XEP-0156"])},
        "im": {
            "client": ok(),
            "advanced_client": missing("Advanced Group Chat", "Direct File Transfer"),
        },
        "mobile": {
            "client": missing("Client State Indication"),
            "advanced_client": missing("Client State Indication"),
        },
        "av": {
            "client": missing(*AV),
            "advanced_client": missing(*AV, "Quality and Performance improvements"),
        },
    }


@pytest.mark.django_db
def test_profanity_as_a_terminal_client(doap_dir, capsys):
    # Terminal client: User Avatars and User Avatar Compatibility are waived ("Not required
    # for command line or terminal based interfaces"). No XEP-0368/0163 (Core advanced), XEP-0402
    # (Advanced Group Chat), XEP-0223, XEP-0234/0261, XEP-0352. XEP-0045 partial (IM client).
    # XEP-0313 is partial: History Storage relies on it (Advanced Group Chat fails anyway).
    import_doap(str(doap_dir / "profanity.doap"), terminal=True)
    _, years = verdicts_2022(capsys, "profanity")
    assert years["core"] == {"client": ok(), "advanced_client": missing(*CORE_ADV)}
    assert years["web"] == {"client": missing(*WEB), "advanced_client": missing(*CORE_ADV, *WEB)}
    assert years["im"] == {
        "client": ok(["XEP-0045"]),
        "advanced_client": missing(
            *CORE_ADV,
            "Advanced Group Chat",
            "Persistent Storage of Private Data via PubSub",
            "Direct File Transfer",
            partial=["XEP-0045", "XEP-0313"],
        ),
    }
    assert years["mobile"] == {
        "client": missing("Client State Indication"),
        "advanced_client": missing(*CORE_ADV, "Client State Indication"),
    }


@pytest.mark.django_db
def test_profanity_without_the_terminal_flag_misses_avatar_compatibility(doap_dir, capsys):
    # Same file, judged as a graphical client: XEP-0084 is complete but neither XEP-0398 nor
    # XEP-0153 is listed, so User Avatar Compatibility is missing too.
    import_doap(str(doap_dir / "profanity.doap"))
    _, years = verdicts_2022(capsys, "profanity")
    assert years["im"]["advanced_client"]["missing"] == [
        *CORE_ADV,
        "User Avatar Compatibility",
        "Advanced Group Chat",
        "Persistent Storage of Private Data via PubSub",
        "Direct File Transfer",
    ]


@pytest.mark.django_db
def test_a_file_without_specs_is_compliant_nowhere(doap_dir, capsys):
    # Isode M-Link's xmpp.org-hosted DOAP lists no RFC or XEP at all.
    import_doap(str(doap_dir / "isode-m-link.doap"))
    _, years = verdicts_2022(capsys, "isode-m-link")
    assert years["core"]["server"] == missing(
        "Core features", "TLS", "Feature discovery", "Server Extensibility"
    )


@pytest.mark.django_db
def test_the_command_prints_every_year_by_default(doap_dir, capsys):
    import_doap(str(doap_dir / "slixmpp.doap"))
    call_command("compliance", "slixmpp", "--json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["role"] == "library"
    assert list(payload["years"]) == ["2019", "2020", "2021", "2022", "2023"]
    assert list(payload["years"]["2019"]) == ["core", "web", "im", "mobile"]
    assert list(payload["years"]["2022"]["im"]) == ["client", "advanced_client"]


@pytest.mark.django_db
def test_the_command_labels_libraries_in_its_report(doap_dir, capsys):
    import_doap(str(doap_dir / "slixmpp.doap"))
    call_command("compliance", "slixmpp", "--year", "2023")
    out = capsys.readouterr().out
    assert "Library (judged against the client columns)" in out
    assert "IM · Advanced Client" in out
