"""Importing DOAP files into the database: creation, re-import, and bad input losing nothing."""

import json

import pytest
from django.core.management import call_command

from compliance.doap.importer import import_doap
from compliance.doap.parse import DoapError
from compliance.models import Claim, Software
from tests.compliance.doap.files import BOMB
from tests.compliance.unchanged import failing_import


def test_it_creates_a_software_entry_with_claims(prosody):
    software = prosody.software
    assert prosody.created
    assert software.slug == "prosody-im"
    assert software.role == "server"
    assert software.description == "Lightweight XMPP server"
    assert software.platforms[:2] == ["Linux", "macOS"]
    assert not software.background_restricted
    claim = software.claims.get(spec="XEP-0045")
    assert (claim.status, claim.spec_version, claim.since_version, claim.source) == (
        "partial",
        "1.34.5",
        "0.3.0",
        "doap",
    )
    assert software.claims.get(spec="RFC 6120").status == "complete"
    assert prosody.claims == software.claims.count()
    assert software.doap_findings[0]["code"] == "misspelled-property"


def test_reimport_replaces_doap_claims_and_keeps_self_claims(prosody, doap_dir):
    software = prosody.software
    software.claims.create(spec="XEP-0999", status="complete", source=Claim.SELF)
    software.claims.filter(spec="XEP-0045").update(status="planned")
    again = import_doap(str(doap_dir / "prosody.doap"))
    assert not again.created
    assert again.software.pk == software.pk
    assert software.claims.get(spec="XEP-0045", source=Claim.DOAP).status == "partial"
    assert software.claims.filter(source=Claim.SELF).count() == 1
    assert software.claims.filter(source=Claim.DOAP).count() == again.claims


def test_every_real_file_imports(doap_dir, db):
    for path in sorted(doap_dir.glob("*.doap")):
        import_doap(str(path))
    roles = dict(Software.objects.values_list("slug", "role"))
    assert roles == {
        "conversations": "client",
        "dino": "client",
        "ejabberd": "server",
        "gajim": "client",
        "isode-m-link": "server",
        "libstrophe": "library",
        "movim": "client",
        "openfire": "server",
        "profanity": "client",
        "prosody-im": "server",
        "slixmpp": "library",
        "snikket-server": "server",
        "swift": "client",
    }


def test_the_role_is_required_when_the_file_does_not_say(tmp_path, db):
    path = tmp_path / "x.doap"
    path.write_bytes(
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        b'xmlns="http://usefulinc.com/ns/doap#"><Project><name>Nameless Role'
        b"</name></Project></rdf:RDF>"
    )
    with pytest.raises(DoapError, match="--role"):
        import_doap(str(path))
    assert not Software.objects.exists()
    assert import_doap(str(path), role="library").software.role == "library"


def test_the_terminal_flag_is_set_and_kept(doap_dir, db):
    import_doap(str(doap_dir / "profanity.doap"), terminal=True)
    again = import_doap(str(doap_dir / "profanity.doap"))
    assert again.software.terminal_interface


def test_the_command_prints_json(doap_dir, db, capsys):
    call_command("import_doap", str(doap_dir / "movim.doap"), "--json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["slug"] == "movim"
    assert payload["created"] is True
    assert payload["claims"] == Claim.objects.filter(software__slug="movim").count()
    parial = next(f for f in payload["findings"] if f["code"] == "unknown-status")
    assert parial["suggestion"] == "partial"
    assert parial["line"] > 0


def test_the_command_prints_findings(doap_dir, db, capsys):
    call_command("import_doap", str(doap_dir / "openfire.doap"))
    out = capsys.readouterr().out
    assert out.startswith("Created openfire (server):")
    assert "did you mean 'complete'?" in out


# -- bad input: a clear error and the database as it was ----------------------------------


def test_a_truncated_file_changes_nothing(prosody, doap_dir, tmp_path):
    path = tmp_path / "prosody.doap"
    path.write_bytes((doap_dir / "prosody.doap").read_bytes()[:9000])
    failing_import(str(path), "not well-formed XML")


def test_an_xml_bomb_changes_nothing(prosody, tmp_path):
    path = tmp_path / "bomb.doap"
    path.write_bytes(BOMB)
    failing_import(str(path), "entities")


def test_a_non_doap_file_changes_nothing(prosody, tmp_path):
    path = tmp_path / "page.xml"
    path.write_bytes(b'<html xmlns="http://www.w3.org/1999/xhtml"><body>hi</body></html>')
    failing_import(str(path), "not a DOAP file")


def test_a_20_mib_file_changes_nothing(prosody, tmp_path):
    path = tmp_path / "huge.doap"
    path.write_bytes(b"<x>" + b" " * (20 * 1024 * 1024) + b"</x>")
    failing_import(str(path), "limited to 10 MiB")


def test_a_missing_file_changes_nothing(prosody, tmp_path):
    failing_import(str(tmp_path / "absent.doap"), "No such file")
