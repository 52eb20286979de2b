"""Contract tests of the read endpoints against JSON fixture files (tests/api/fixtures/)."""

import gzip
import json

import pytest
from django.core.management import call_command

from compliance.claims import ClaimValues, write_claims
from compliance.doap.importer import import_doap
from compliance.models import Claim
from tests.api.conftest import matches_fixture
from tests.compliance.factories import CORE_CLIENT, IM_CLIENT, TEST, make_software

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(db):
    """Two clients (one IM-compliant), a server, an example: fixed data for the fixtures."""
    full = make_software(
        "Chatty",
        specs=CORE_CLIENT + IM_CLIENT,
        platforms=["Linux", "Android"],
        current_version="2.1",
        description="A chat client",
        homepage="https://chatty.example",
    )
    write_claims(
        full,
        actor=TEST,
        put=[ClaimValues("XEP-0313", Claim.SELF, "partial", "1.0", "2.0", note="no MUC")],
    )
    make_software("Bare", specs=CORE_CLIENT, platforms=["Windows"], description="Just core")
    make_software("Serverly", role="server", specs=["RFC 6120", "XEP-0030"], platforms=["Linux"])
    make_software("Demo", specs=CORE_CLIENT, is_example=True)
    return full


def get(api, url, status=200):
    response = api.get(url)
    assert response.status_code == status, response.content[:500]
    return response.json()


def test_it_links_every_resource_from_the_index(api, entries):
    index = get(api, "/api/v1/")
    assert matches_fixture(index, "index")
    for url in index.values():
        assert api.get(url).status_code == 200, url


def test_it_lists_the_suites(api):
    data = get(api, "/api/v1/suites/")
    assert matches_fixture(data, "suites")


def test_it_gives_a_suite_with_cells_notes_and_the_any_one_rule(api):
    data = get(api, "/api/v1/suites/2023/")
    web = next(c for c in data["categories"] if c["key"] == "web")
    assert any(f["rule_by_level"]["client"] == "any" for f in web["features"])
    assert matches_fixture(data, "suite-2023")


def test_it_lists_software_paginated_and_filtered(api, entries):
    assert matches_fixture(get(api, "/api/v1/software/"), "software-list")
    names = lambda query: [e["name"] for e in get(api, f"/api/v1/software/?{query}")["results"]]  # noqa: E731
    assert names("role=server") == ["Serverly"]
    assert names("platform=android") == ["Chatty"]
    assert names("search=just") == ["Bare"]
    assert names("compliant=2023/im/client") == ["Chatty"]
    assert names("compliant=2023/core/server") == []
    assert names("examples=true&search=demo") == ["Demo"]
    page = get(api, "/api/v1/software/?page_size=1&page=2")
    assert page["count"] == 3
    assert [e["name"] for e in page["results"]] == ["Chatty"]
    assert page["next"].endswith("page=3&page_size=1")
    assert page["previous"]


@pytest.mark.parametrize(
    "query",
    [
        "role=admin",
        "platform=amiga",
        "compliant=2023/im",
        "compliant=1999/im/client",
        "compliant=2023/im/wizard",
        "examples=maybe",
    ],
)
def test_it_refuses_a_bad_filter_with_a_problem(api, entries, query):
    response = api.get(f"/api/v1/software/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert problem["title"] == "Bad request"
    assert query.split("=")[0] in problem["detail"]


def test_it_gives_an_entry_with_its_claims_and_lint(api, entries):
    data = get(api, "/api/v1/software/chatty/")
    assert matches_fixture(data, "software-chatty")
    mam = [c for c in data["claims"] if c["spec"] == "XEP-0313"]
    assert [(c["source"], c["status"], c["counts"]) for c in mam] == [("self", "partial", True)]


def test_it_says_an_unknown_entry_is_not_found(api):
    problem = get(api, "/api/v1/software/nothing/", 404)
    assert problem["title"] == "Not found"
    assert problem["detail"]


def test_it_gives_the_verdicts_of_one_year(api, entries):
    data = get(api, "/api/v1/software/chatty/verdicts/?year=2023")
    assert list(data["years"]) == ["2023"]
    assert matches_fixture(data, "verdicts-chatty-2023")
    assert get(api, "/api/v1/software/chatty/verdicts/?year=1999", 400)["detail"].startswith("year")
    assert get(api, "/api/v1/software/chatty/?page_size=x", 200)["slug"] == "chatty"
    assert get(api, "/api/v1/software/?page_size=x", 400)["detail"].startswith("page_size")
    assert get(api, "/api/v1/software/?page=0", 400)["detail"].startswith("page")
    assert "page 9" in get(api, "/api/v1/software/?page=9", 404)["detail"]


def test_it_gives_the_history_newest_first(api, entries):
    data = get(api, "/api/v1/software/chatty/history/?spec=XEP-0313")
    assert matches_fixture(data, "history-chatty-xep0313")
    assert get(api, "/api/v1/software/chatty/history/?spec=mam", 400)["status"] == 400


def test_it_gives_the_comparison_table_as_rows(api, entries):
    data = get(api, "/api/v1/compare/2023/im/client/")
    assert matches_fixture(data, "compare-2023-im-client")
    only = get(api, "/api/v1/compare/2023/im/client/?compliant=true&sort=name_desc")
    assert [row["name"] for row in only["rows"]] == ["Chatty"]
    assert get(api, "/api/v1/compare/2023/im/client/?role=server")["rows"] == []
    assert get(api, "/api/v1/compare/2023/im/client/?role=admin", 400)["status"] == 400
    assert get(api, "/api/v1/compare/2023/im/wizard/", 404)["detail"]


def test_it_gives_every_entry_claiming_a_spec(api, entries):
    assert matches_fixture(get(api, "/api/v1/specs/XEP-0313/"), "spec-xep0313")
    assert [e["name"] for e in get(api, "/api/v1/specs/rfc6120/?role=server")["entries"]] == [
        "Serverly"
    ]
    assert get(api, "/api/v1/specs/nonsense/", 404)["status"] == 404
    index = get(api, "/api/v1/specs/")
    assert matches_fixture({**index, "results": index["results"][:5]}, "specs-first-five")
    assert index["count"] > 50
    assert index["results"][0]["url"].endswith("/api/v1/specs/RFC-6120/")


def test_it_exports_everything_gzipped(api, entries):
    response = api.get("/api/v1/export/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    data = json.loads(gzip.decompress(response.content))
    assert [e["slug"] for e in data["software"]] == ["bare", "chatty", "demo", "serverly"]
    chatty = data["software"][1]
    assert chatty["verdicts"] == get(api, "/api/v1/software/chatty/verdicts/")["years"]
    without_verdicts = [{k: v for k, v in e.items() if k != "verdicts"} for e in data["software"]]
    assert matches_fixture({**data, "software": without_verdicts}, "export-without-verdicts")
    assert len(chatty["claims"]) == 12


def test_it_answers_if_none_match_with_304(api, entries):
    first = api.get("/api/v1/software/chatty/")
    etag = first["ETag"]
    assert etag
    again = api.get("/api/v1/software/chatty/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    write_claims(entries, actor=TEST, put=[ClaimValues("XEP-0198", Claim.SELF, "complete")])
    changed = api.get("/api/v1/software/chatty/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200  # the cached reading is gone with the change
    assert "XEP-0198" in [claim["spec"] for claim in changed.json()["claims"]]


def test_it_opens_cors_for_reads_only(api, entries):
    read = api.get("/api/v1/software/", HTTP_ORIGIN="https://xmpp.org")
    assert read["Access-Control-Allow-Origin"] == "*"
    preflight = api.options(
        "/api/v1/software/chatty/",
        HTTP_ORIGIN="https://xmpp.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PUT",
    )
    assert "PUT" not in preflight.get("Access-Control-Allow-Methods", "")


def test_it_throttles_with_retry_after(api, settings):
    # A cache of its own: other test runs may share (and clear) the Redis one meanwhile.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }
    settings.API_THROTTLE_RATES = {"anon": "2/minute", "user": "2/minute"}
    assert [api.get("/api/v1/suites/").status_code for _ in range(3)] == [200, 200, 429]
    response = api.get("/api/v1/suites/")
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) > 0


def test_it_answers_an_unknown_api_address_with_a_problem(api):
    problem = get(api, "/api/v1/nothing/here/", 404)
    assert "/api/v1/" in problem["detail"]


def test_its_verdicts_equal_the_command_for_every_shared_doap_file(api, doap_dir, capsys):
    for path in sorted(doap_dir.glob("*.doap")):
        slug = import_doap(str(path)).software.slug
        call_command("compliance", slug, "--json")
        expected = json.loads(capsys.readouterr().out)
        data = get(api, f"/api/v1/software/{slug}/verdicts/")
        bases = {
            cell.pop("basis")
            for by_category in data["years"].values()
            for by_level in by_category.values()
            for cell in by_level.values()
        }
        assert data == expected, path.name
        assert bases == {"self-assessed"}
