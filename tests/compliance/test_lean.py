"""The lean path (compliance/lean.py): badges and the hot API reads without credentials skip the
middleware they do not use, and keep every header the whole chain gives them."""

import pytest
from django.test import RequestFactory

from compliance.lean import LeanPathMiddleware
from tests.compliance.factories import CORE_CLIENT, make_software

pytestmark = pytest.mark.django_db

BADGE = "/badge/chatty/2023/core/client.svg"
READ = "/api/v1/software/chatty/"
SECURITY = {"X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy"}


@pytest.fixture(autouse=True)
def chatty(db):
    return make_software("Chatty", specs=CORE_CLIENT)


def lean(request) -> bool:
    return LeanPathMiddleware.lean_match(request) is not None


def test_it_takes_badges_and_the_hot_reads_without_credentials():
    get = RequestFactory().get
    for path in (BADGE, "/badge/chatty/latest.json", READ, f"{READ}verdicts/?year=2023"):
        assert lean(get(path)), path
    assert lean(RequestFactory().head(BADGE))


@pytest.mark.parametrize(
    "request_of",
    [
        lambda rf: rf.get(BADGE, HTTP_COOKIE="sessionid=abc"),
        lambda rf: rf.get(READ, HTTP_AUTHORIZATION="Token abc"),
        lambda rf: rf.post(BADGE),
        lambda rf: rf.get("/software/chatty/"),
        lambda rf: rf.get("/api/v1/software/"),
        lambda rf: rf.get(f"{READ}history/"),
        lambda rf: rf.get("/badge/nothing"),
    ],
)
def test_anything_else_takes_the_whole_chain(request_of):
    assert not lean(request_of(RequestFactory()))


def headers(response) -> dict[str, str]:
    return {name: value for name, value in response.items() if name not in ("Vary", "Date")}


@pytest.mark.parametrize("path", [BADGE, "/badge/chatty/2023.json", "/badge/nobody/2023.svg"])
def test_a_badge_has_the_same_bytes_and_headers_on_either_path(client, path):
    lean_one = client.get(path)
    client.cookies["sessionid"] = "not-a-session"  # the whole chain: sessions, auth, …
    whole = client.get(path)
    assert lean_one.content == whole.content
    assert headers(lean_one) == headers(whole)
    assert set(lean_one.headers) >= SECURITY
    assert lean_one["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert lean_one["X-Frame-Options"] == "DENY"
    assert int(lean_one["Content-Length"]) == len(lean_one.content)


def test_a_hot_read_has_the_sites_policy_and_cors_on_the_lean_path(client):
    response = client.get(READ, HTTP_ORIGIN="https://xmpp.org")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert set(response.headers) >= SECURITY
    assert response["X-Frame-Options"] == "DENY"


def test_the_lean_path_refuses_a_host_not_allowed(client):
    assert client.get(BADGE, HTTP_HOST="evil.example").status_code == 400
    assert client.get(READ, HTTP_HOST="evil.example").status_code == 400


def test_a_lean_view_gets_no_session_nor_user(client, monkeypatch):
    from compliance.views import badge

    seen = []
    draw = badge.badge_for

    def spying(*args):
        seen.append(args)
        return draw(*args)

    monkeypatch.setattr(badge, "badge_for", spying)
    captured = {}
    response_of = badge.badge_response

    def capture(request, *args):
        captured["session"] = hasattr(request, "session")
        captured["user"] = hasattr(request, "user")
        return response_of(request, *args)

    monkeypatch.setattr(badge, "badge_response", capture)
    assert client.get(BADGE).status_code == 200
    assert captured == {"session": False, "user": False}
    client.cookies["sessionid"] = "not-a-session"
    assert client.get(BADGE).status_code == 200
    assert captured == {"session": True, "user": True}
    assert len(seen) == 1  # drawn once: the second came from the cache


def test_an_error_on_the_lean_path_keeps_the_headers(client, monkeypatch):
    from compliance.views import badge

    def broken(*args):
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(badge, "badge_for", broken)
    client.raise_request_exception = False
    response = client.get(BADGE)
    assert response.status_code == 500
    assert set(response.headers) >= {*SECURITY, "X-Frame-Options", "Content-Security-Policy"}
