"""The hot reads served before DRF (api/readings.py): the same bytes and headers as DRF's, the
same throttle per client address, and DRF's own answer whenever it would say something else."""

import pytest
from rest_framework.test import APIClient

from api import readings
from api.models import ApiToken
from tests.compliance.factories import CORE_CLIENT, make_software

pytestmark = pytest.mark.django_db

DETAIL = "/api/v1/software/chatty/"
VERDICTS = "/api/v1/software/chatty/verdicts/?year=2023"


@pytest.fixture(autouse=True)
def chatty(db):
    return make_software("Chatty", specs=CORE_CLIENT)


@pytest.fixture
def drf_calls(monkeypatch):
    """How many times DRF rendered a reading."""
    calls = []
    render = readings.JSONRenderer.render

    def counting(self, data, *args, **kwargs):
        calls.append(1)
        return render(self, data, *args, **kwargs)

    monkeypatch.setattr(readings.JSONRenderer, "render", counting)
    return calls


def headers(response) -> dict[str, str]:
    return {name: value for name, value in response.items() if name not in ("Vary", "Date")}


@pytest.mark.parametrize("path", [DETAIL, VERDICTS])
def test_it_serves_the_cached_reading_as_drf_served_it(versions, path, drf_calls):
    api = APIClient()
    first, second = api.get(path), api.get(path)
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.content == first.content
    assert headers(second) == headers(first)
    assert second["Allow"] == "GET, HEAD, OPTIONS"
    assert len(drf_calls) == 1
    assert api.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_it_throttles_the_early_reads_per_address(versions, settings):
    settings.API_THROTTLE_RATES = {"anon": "3/minute", "user": "3/minute"}
    api = APIClient()
    assert [api.get(DETAIL).status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = api.get(DETAIL)
    assert refused["Content-Type"] == "application/problem+json"
    assert int(refused["Retry-After"]) > 0
    assert api.get(DETAIL, REMOTE_ADDR="192.0.2.7").status_code == 200  # another address


def test_a_token_is_checked_and_throttled_by_drf_even_when_cached(versions, make_user, settings):
    api = APIClient()
    assert api.get(DETAIL).status_code == 200  # cached
    bad = api.get(DETAIL, HTTP_AUTHORIZATION="Token not-a-token")
    assert bad.status_code == 401
    user = make_user("vendor")
    _, value = ApiToken.issue(user, "ci")
    settings.API_THROTTLE_RATES = {"anon": "1000/minute", "user": "2/minute"}
    with_token = [
        api.get(DETAIL, HTTP_AUTHORIZATION=f"Token {value}").status_code for _ in range(3)
    ]
    assert with_token == [200, 200, 429]
    assert api.get(DETAIL).status_code == 200  # anonymous: per address, not per token


def test_an_accept_header_drf_cannot_answer_gets_drfs_406_even_when_cached():
    api = APIClient()
    assert api.get(DETAIL).status_code == 200
    assert api.get(DETAIL, HTTP_ACCEPT="text/html").status_code == 406
    assert api.get(DETAIL, HTTP_ACCEPT="text/html, application/json;q=0.9").status_code == 200


def test_an_unknown_entry_is_drfs_404():
    assert APIClient().get("/api/v1/software/nobody/").status_code == 404
