"""The claim write endpoints: a maintainer's token or session writes through the editor's
path; another vendor's token, a revoked token, no token and a stale revision write nothing."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from compliance.models import Change, Claim
from tests.api.conftest import token_of
from tests.compliance.factories import CORE_CLIENT, make_software

pytestmark = pytest.mark.django_db

URL = "/api/v1/software/chatty/claims/XEP-0313/"
WRITES = [
    ("put", {"revision": 0, "status": "complete", "spec_version": "1.1"}),
    ("patch", {"revision": 0, "status": "partial"}),
    ("delete", None),
]


@pytest.fixture
def chatty(db):
    return make_software("Chatty", specs=CORE_CLIENT)


def send(api, method, body, token=None, url=URL, revision=0):
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
    if method == "delete":
        return getattr(api, method)(f"{url}?revision={revision}", **headers)
    return getattr(api, method)(url, body, format="json", **headers)


def self_claim(software):
    return software.claims.filter(spec="XEP-0313", source=Claim.SELF).first()


def test_it_writes_a_claim_with_a_maintainers_token_into_the_audit_log(api, vendor, chatty):
    token = token_of(vendor, "release CI")
    response = send(api, "put", WRITES[0][1], token)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "spec": "XEP-0313",
        "revision": 1,
        "status": "complete",
        "spec_version": "1.1",
        "since_version": "",
        "note": "",
        "evidence_url": "",
        "provided_by": "",
    }
    change = Change.objects.filter(software=chatty, spec="XEP-0313").first()
    assert change.actor == "API (release CI)"
    assert change.user == vendor
    assert "XEP-0313" in chatty.__class__.objects.get(pk=chatty.pk).complete_specs
    assert ApiToken.objects.get().last_used_at is not None

    patched = send(api, "patch", {"revision": 1, "note": "since 2.0"}, token)
    assert patched.json()["status"] == "complete"
    assert patched.json()["note"] == "since 2.0"
    assert patched.json()["revision"] == 2
    gone = send(api, "delete", None, token, revision=2)
    assert gone.status_code == 200
    assert self_claim(chatty) is None


@pytest.mark.parametrize(("method", "body"), WRITES)
def test_it_refuses_another_vendors_token(api, vendor, make_user, chatty, method, body):
    response = send(api, method, body, token_of(make_user("other")))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert self_claim(chatty) is None


@pytest.mark.parametrize(("method", "body"), WRITES)
def test_it_refuses_a_revoked_token(api, vendor, chatty, method, body):
    token = token_of(vendor)
    ApiToken.objects.update(revoked_at=timezone.now())
    response = send(api, method, body, token)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "revoked" in response.json()["detail"]


@pytest.mark.parametrize(("method", "body"), WRITES)
def test_it_refuses_no_token(api, vendor, chatty, method, body):
    response = send(api, method, body)
    assert response.status_code == 401
    assert response.json()["title"] == "Not signed in"


@pytest.mark.parametrize(("method", "body"), WRITES)
def test_it_refuses_a_stale_revision_with_the_current_claim(api, vendor, chatty, method, body):
    token = token_of(vendor)
    assert send(api, "put", {"revision": 0, "status": "planned"}, token).status_code == 200
    response = send(api, method, body, token, revision=0)
    assert response.status_code == 409
    assert response.json()["current"]["status"] == "planned"
    assert self_claim(chatty).status == "planned"


@pytest.mark.parametrize(("method", "body"), WRITES)
def test_it_writes_with_the_session(api, vendor, chatty, method, body):
    api.force_login(vendor)
    if method == "delete":
        send(api, "put", {"revision": 0, "status": "planned"})
    response = send(api, method, body, revision=1)
    assert response.status_code == 200, response.content
    assert Change.objects.filter(spec="XEP-0313").first().actor == "API (session)"


def test_it_refuses_bad_values_and_unknown_specs(api, vendor):
    token = token_of(vendor)
    bad = send(api, "put", {"revision": 0, "status": "full"}, token)
    assert bad.status_code == 400
    assert "status" in bad.json()["detail"]
    assert send(api, "put", {"revision": "x"}, token).status_code == 400
    url = "/api/v1/software/chatty/claims/XEP-9999/"
    assert send(api, "put", {"revision": 0}, token, url=url).status_code == 404


def test_it_refuses_a_session_write_without_the_csrf_token(vendor, chatty):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(vendor)
    response = send(api, "put", WRITES[0][1])
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert self_claim(chatty) is None


def test_it_throttles_per_token(vendor, make_user, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "w"}
    }
    settings.API_THROTTLE_RATES = {"anon": "100/minute", "user": "2/minute"}
    api = APIClient()
    first, second = token_of(vendor, "one"), token_of(vendor, "two")
    statuses = [send(api, "patch", {"revision": 0}, first).status_code for _ in range(3)]
    assert statuses[2] == 429
    assert send(api, "patch", {"revision": 0}, second).status_code != 429
