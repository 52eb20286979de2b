"""`POST software/{slug}/doap/`: a maintainer's DOAP file replaces the entry's DOAP claims
through the importer (the same claims as `manage.py import_doap`), in the audit log as "API
(token name)"; another vendor's token, a revoked token, no token, a stale revision, a session
post without CSRF and every file the importer refuses write nothing."""

import json

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.utils import timezone
from hypothesis import HealthCheck, settings
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.models import ApiToken
from compliance.claims import ClaimValues, write_claims
from compliance.doap.parse import MAX_BYTES
from compliance.entries import write_entry
from compliance.history import Actor
from compliance.models import Change, Claim, Software
from tests.api.conftest import connection_kept_open, matches_fixture, token_of
from tests.compliance.doap.files import BOMB, doap, xep
from tests.compliance.factories import CORE_CLIENT, make_software

pytestmark = pytest.mark.django_db

URL = "/api/v1/software/chatty/doap/"
GOOD = doap(
    "<name>Chatty</name><shortdesc>A chat client</shortdesc>"
    "<category rdf:resource='https://linkmauve.fr/ns/xmpp-doap#category-client'/>"
    + xep("0030", "<xmpp:status>complete</xmpp:status>").decode()
    + xep("0313", "<xmpp:status>parial</xmpp:status>").decode()
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    b'xmlns="http://usefulinc.com/ns/doap#"><Project><name>&x;</name></Project></rdf:RDF>'
)
WRONG_RDF_NO_PROJECT = (
    b'<rdf:RDF xmlns:rdf="https://www.w3.org/1999/02/22-rdf-syntax-ns#"><x/></rdf:RDF>'
)


@pytest.fixture
def chatty(db):
    return make_software("Chatty", specs=CORE_CLIENT, current_version="1.0")


def upload(api, data: bytes, token=None, revision=1, url=URL, name="project.doap"):
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
    body = {"file": SimpleUploadedFile(name, data, "application/rdf+xml"), "revision": revision}
    return api.post(url, body, format="multipart", **headers)


def state(software) -> tuple:
    """Everything an upload may write: the entry's row, its claims and the audit log."""
    row = Software.objects.filter(pk=software.pk).values().get()
    row.pop("updated_at")
    claims = sorted(software.claims.values_list("spec", "source", "status", "revision"))
    return row, claims, Change.objects.count()


def doap_claims(software) -> set[tuple]:
    fields = ("spec", *Claim.VALUE_FIELDS)
    return set(software.claims.filter(source=Claim.DOAP).values_list(*fields))


def test_it_replaces_the_doap_claims_with_a_maintainers_token(api, vendor, chatty):
    own = ClaimValues("XEP-0313", Claim.SELF, status="complete")
    write_claims(chatty, actor=Actor("a test"), put=[own])
    response = upload(api, GOOD, token_of(vendor, "release CI"))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["changed"] == {
        "created": ["XEP-0313"],
        "updated": [],
        "removed": ["RFC 6120", "RFC 7590", "XEP-0115"],
    }
    assert data["entry_fields"] == ["description"]
    assert data["revision"] == 2
    assert [finding["code"] for finding in data["lint"]] == ["unknown-status"]
    chatty.refresh_from_db()
    assert doap_claims(chatty) == {
        ("XEP-0030", "complete", "", "", "", "", ""),
        ("XEP-0313", "parial", "", "", "", "", ""),
    }
    assert chatty.claims.get(source=Claim.SELF).status == "complete"  # left as it was
    assert chatty.description == "A chat client"
    assert chatty.doap_findings == data["lint"]
    written = Change.objects.exclude(actor="a test")
    actors = set(written.values_list("actor", "user__username"))
    assert actors == {("API (release CI)", "vendor")}


def test_it_answers_as_its_fixture_says(api, vendor, doap_dir):
    response = upload(api, (doap_dir / "conversations.doap").read_bytes(), token_of(vendor))
    assert response.status_code == 200, response.content
    assert matches_fixture(response.json(), "doap-upload-chatty-conversations")


def test_every_shared_file_gives_the_claims_of_import_doap(api, vendor, chatty, doap_dir, capsys):
    token = token_of(vendor)
    for path in sorted(doap_dir.glob("*.doap")):
        call_command("import_doap", str(path), "--json")
        imported = Software.objects.get(slug=json.loads(capsys.readouterr().out)["slug"])
        chatty.refresh_from_db()
        response = upload(api, path.read_bytes(), token, revision=chatty.revision)
        assert response.status_code == 200, (path.name, response.content)
        chatty.refresh_from_db()
        assert doap_claims(chatty) == doap_claims(imported), path.name
        assert response.json()["claims"] == len(doap_claims(imported)), path.name
        assert response.json()["lint"] == imported.doap_findings, path.name
        for name in ("name", "description", "homepage", "platforms", "current_version"):
            if name != "current_version" or imported.current_version:  # else the entry's kept
                assert getattr(chatty, name) == getattr(imported, name), (path.name, name)
        assert chatty.role == "client"  # the entry's role is kept, as the editor's re-import


def test_it_writes_with_the_session_and_its_csrf_token(vendor, chatty):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(vendor)
    api.get("/account/")  # the page sets the CSRF cookie, as a browser gets it
    csrf = api.cookies["csrftoken"].value
    body = {"file": SimpleUploadedFile("c.doap", GOOD), "revision": 1}
    response = api.post(URL, body, format="multipart", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 200, response.content
    assert Change.objects.filter(spec="XEP-0313").first().actor == "API (session)"


def test_it_refuses_a_forged_session_post_without_the_csrf_token(vendor, chatty):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(vendor)
    before = state(chatty)
    response = upload(api, GOOD)
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert state(chatty) == before


def test_it_refuses_another_vendors_token(api, vendor, make_user, chatty):
    before = state(chatty)
    response = upload(api, GOOD, token_of(make_user("other")))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "maintainers" in response.json()["detail"]
    assert state(chatty) == before


def test_it_refuses_a_revoked_token(api, vendor, chatty):
    token = token_of(vendor)
    ApiToken.objects.update(revoked_at=timezone.now())
    before = state(chatty)
    response = upload(api, GOOD, token)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "revoked" in response.json()["detail"]
    assert state(chatty) == before


def test_it_refuses_no_token(api, vendor, chatty):
    before = state(chatty)
    response = upload(api, GOOD)
    assert response.status_code == 401
    assert response.json()["title"] == "Not signed in"
    assert state(chatty) == before


def test_it_refuses_a_stale_revision_with_the_current_one(api, vendor, chatty):
    token = token_of(vendor)
    write_entry(chatty, actor=Actor("another maintainer"), expect=1, homepage="https://c.example")
    before = state(chatty)
    response = upload(api, GOOD, token, revision=1)
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["current"] == {"revision": 2}
    assert "someone else" in response.json()["detail"]
    assert state(chatty) == before
    assert upload(api, GOOD, token, revision=2).status_code == 200


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (GOOD[:-20], "not well-formed XML"),
        (BOMB, "entities"),
        (EXTERNAL_ENTITY, "entities"),
        (b"<html><body>Not found</body></html>", "not a DOAP file"),
        (b"", "empty"),
        (b"   \n", "empty"),
    ],
    ids=["truncated", "bomb", "external-entity", "not-doap", "no-bytes", "blank"],
)
def test_it_refuses_a_file_the_importer_refuses(api, vendor, chatty, data, words):
    before = state(chatty)
    response = upload(api, data, token_of(vendor))
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert words in problem["detail"]
    assert problem["lint"] == []
    assert state(chatty) == before


def test_a_refused_file_names_what_the_lint_found_before(api, vendor, chatty):
    before = state(chatty)
    response = upload(api, WRONG_RDF_NO_PROJECT, token_of(vendor))
    assert response.status_code == 400
    problem = response.json()
    assert "holds no <Project>" in problem["detail"]
    assert [finding["code"] for finding in problem["lint"]] == ["wrong-rdf-namespace"]
    assert problem["lint"][0]["line"] == 1
    assert state(chatty) == before


def test_it_refuses_a_file_over_the_limit(api, vendor, chatty):
    token = token_of(vendor)
    before = state(chatty)
    just_over = upload(api, GOOD + b" " * (MAX_BYTES + 1 - len(GOOD)), token)
    assert just_over.status_code == 400
    assert "DOAP files are limited to 10 MiB" in just_over.json()["detail"]
    far_over = upload(api, b" " * (MAX_BYTES + 200_000), token)
    assert far_over.status_code == 400
    assert "The upload is 10.2 MiB" in far_over.json()["detail"]
    assert state(chatty) == before


def test_it_refuses_a_body_without_the_file_or_the_revision(api, vendor, chatty):
    token = token_of(vendor)
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    before = state(chatty)
    no_file = api.post(URL, {"revision": 1}, format="multipart", **headers)
    assert no_file.status_code == 400
    assert "file" in no_file.json()["errors"]
    no_revision = api.post(URL, {"file": SimpleUploadedFile("a.doap", GOOD)}, **headers)
    assert no_revision.status_code == 400
    assert no_revision.json()["detail"].startswith("revision:")
    as_json = api.post(URL, {"revision": 1, "file": "x"}, format="json", **headers)
    assert as_json.status_code == 415
    assert as_json["Content-Type"] == "application/problem+json"
    assert state(chatty) == before


def test_unknown_entries_are_404(api, vendor):
    response = upload(api, GOOD, token_of(vendor), url="/api/v1/software/nothing/doap/")
    assert response.status_code == 404


def test_it_is_closed_to_other_origins(api, vendor):
    preflight = api.options(
        URL,
        HTTP_ORIGIN="https://elsewhere.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")


def test_it_throttles_per_token(vendor, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "d"}
    }
    settings.API_THROTTLE_RATES = {"anon": "100/minute", "user": "2/minute"}
    api, token = APIClient(), token_of(vendor)
    statuses = [upload(api, b"", token).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    assert int(upload(api, b"", token)["Retry-After"]) > 0


# The upload as a maintainer sends it, through Schemathesis (test_schemathesis.py sends it
# anonymously): whatever the body, no 500, and every answer as the schema says.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=40
)
uploads = schema.include(path="/api/v1/software/{slug}/doap/", method="POST")


@pytest.fixture
def maintainer_token(vendor):
    """A maintainer's token; the database connection kept open between the app's requests."""
    with connection_kept_open():
        yield token_of(vendor)


@uploads.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_a_maintainers_uploads_answer_as_the_schema_says(case, maintainer_token):
    case.path_parameters = {"slug": "chatty"}
    # Schema-valid bytes are seldom a DOAP file: refusing them (400) is right.
    case.call_and_validate(
        headers={"Authorization": f"Token {maintainer_token}"},
        excluded_checks=[positive_data_acceptance],
    )
