"""DOAP files fetched by URL from real servers on loopback: redirects, refused addresses in
every spelling, HTTP errors, hangs; a failure changes nothing."""

import socket
import time

import pytest

from compliance.doap.importer import import_doap
from tests.compliance.unchanged import failing_import


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
