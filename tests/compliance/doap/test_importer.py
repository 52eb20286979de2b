"""Importing DOAP files into the database: creation, re-import, and bad input losing nothing."""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from compliance.doap.importer import import_doap
from compliance.doap.parse import DoapError
from compliance.models import Claim, Software
from tests.compliance.doap.files import BOMB


def snapshot():
    """Everything an import may touch, to compare before and after a failed one."""
    return (
        list(Software.objects.order_by("pk").values()),
        list(Claim.objects.order_by("pk").values()),
    )


@pytest.fixture
def prosody(doap_dir, db):
    return import_doap(str(doap_dir / "prosody.doap"))


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


def failing_import(source, match):
    before = snapshot()
    with pytest.raises(CommandError, match=match):
        call_command("import_doap", source)
    assert snapshot() == before


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


def test_an_unresolvable_url_changes_nothing(prosody):
    failing_import("https://doap.invalid/prosody.doap", "does not resolve|DNS")


def test_a_private_address_is_refused(prosody):
    failing_import("http://127.0.0.1:9/prosody.doap", "Refused to connect")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_url_changes_nothing(prosody, settings):
    settings.DOAP_FETCH_ALLOW_NETWORKS = ["127.0.0.0/8"]
    failing_import(f"http://127.0.0.1:{closed_port()}/prosody.doap", "Could not connect")


# -- fetching over HTTP from a real server on loopback ------------------------------------


class DoapHandler(BaseHTTPRequestHandler):
    files: dict[str, tuple[int, bytes, dict]] = {}

    def do_GET(self):
        status, body, headers = self.files.get(self.path, (404, b"not found", {}))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server(settings):
    settings.DOAP_FETCH_ALLOW_NETWORKS = ["127.0.0.0/8"]
    server = ThreadingHTTPServer(("127.0.0.1", 0), DoapHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", DoapHandler.files
    server.shutdown()
    server.server_close()
    DoapHandler.files.clear()


def test_it_imports_from_a_url_following_redirects(http_server, doap_dir, db):
    base, files = http_server
    files["/old"] = (301, b"", {"Location": "/gajim.doap"})
    files["/gajim.doap"] = (200, (doap_dir / "gajim.doap").read_bytes(), {})
    result = import_doap(f"{base}/old")
    assert result.software.slug == "gajim"
    assert result.software.doap_url == f"{base}/old"


def test_a_redirect_to_a_refused_address_is_not_followed(http_server, db, settings):
    base, files = http_server
    files["/doap"] = (302, b"", {"Location": "http://10.1.2.3/internal.doap"})
    failing_import(f"{base}/doap", "Refused to connect to 10.1.2.3")


def test_an_http_error_changes_nothing(http_server, prosody):
    base, _ = http_server
    failing_import(f"{base}/missing.doap", "HTTP 404")


def test_a_hanging_server_times_out(prosody, settings):
    settings.DOAP_FETCH_ALLOW_NETWORKS = ["127.0.0.0/8"]
    settings.DOAP_FETCH_TIMEOUT = 1
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    try:
        started = time.monotonic()
        failing_import(
            f"http://127.0.0.1:{listener.getsockname()[1]}/x.doap", "did not finish within 1 s"
        )
        assert time.monotonic() - started < 5
    finally:
        listener.close()


@pytest.mark.parametrize("host", ["１２７.０.０.１", "127。0。0。1", "[::ffff:127.0.0.1]"])
def test_no_spelling_of_a_private_address_is_fetched(http_server, prosody, settings, host):
    base, files = http_server
    files["/secret.doap"] = (200, b"internal", {})
    settings.DOAP_FETCH_ALLOW_NETWORKS = []
    port = base.rsplit(":", 1)[1]
    failing_import(f"http://{host}:{port}/secret.doap", "Refused to connect")
