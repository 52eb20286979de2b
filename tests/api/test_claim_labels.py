"""software/{slug}/: each claim of support of a server entry carries what the probe of its
reference deployment says (probe-verified, contradicted, not probed with the reason), with the
run's date and links, as the entry's page shows them; a new evidence run is a new reading, and
the queries do not grow with the claims."""

from datetime import timedelta
from uuid import UUID

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compliance.claims import ClaimValues, write_claims
from compliance.models import CheckResult, Claim, ProbedServer, ProbeRun
from tests.api.conftest import matches_fixture
from tests.api.test_queries import SPECS
from tests.compliance.factories import CORE_SERVER, TEST, make_software

pytestmark = pytest.mark.django_db

CORE_PASSED = {"RFC 6120": "pass", "RFC 7590": "pass", "XEP-0030": "pass"}
NO_ACCOUNT = "No test account: the archive is the account's."


def evidence_run(server, specs, *, days_ago=1, n=1) -> ProbeRun:
    finished = timezone.now() - timedelta(days=days_ago)
    run = ProbeRun.objects.create(
        server=server,
        key=UUID(int=n),
        state=ProbeRun.DONE,
        created_at=finished - timedelta(minutes=1),
        finished_at=finished,
        probe_version="1.1",
        specs=specs,
    )
    CheckResult.objects.create(
        run=run,
        position=0,
        check_id="xep0313-mam",
        specs=["XEP-0313"],
        outcome=specs["XEP-0313"],
        entity="example.org",
        detail=NO_ACCOUNT,
    )
    return run


@pytest.fixture
def server():
    return ProbedServer.objects.create(domain="example.org")


@pytest.fixture
def entry(server):
    """A server entry naming example.org its reference deployment: the core claims, MAM, a
    planned claim and a claim since a version newer than the current one."""
    software = make_software(
        "Serv",
        role="server",
        specs=[*CORE_SERVER, "XEP-0313"],
        reference_server=server,
        current_version="1.0",
    )
    write_claims(
        software,
        actor=TEST,
        put=[
            ClaimValues("XEP-0045", Claim.SELF, "planned"),
            ClaimValues("XEP-0198", Claim.SELF, "complete", since_version="2.0"),
        ],
    )
    return software


def probe_labels(api, slug="serv") -> dict:
    claims = api.get(f"/api/v1/software/{slug}/").json()["claims"]
    return {claim["spec"]: claim["probe"] and claim["probe"]["label"] for claim in claims}


def test_each_claim_of_support_carries_its_label_reason_date_and_run(api, entry, server):
    run = evidence_run(server, {**CORE_PASSED, "RFC 7590": "fail", "XEP-0313": "could_not_test"})
    data = api.get("/api/v1/software/serv/").json()
    assert matches_fixture(data["claims"], "software-serv-labels")  # the entry: software-chatty
    claims = {claim["spec"]: claim["probe"] for claim in data["claims"]}
    assert claims["RFC 6120"]["label"] == "probe-verified"
    assert claims["RFC 7590"]["label"] == "contradicted"
    assert claims["XEP-0313"] == {
        "label": "not probed",
        "reason": f"could not be tested there: {NO_ACCOUNT}",
        "domain": "example.org",
        "run_date": run.finished_at.isoformat().replace("+00:00", "Z"),
        "run_url": f"http://testserver/api/v1/probe-runs/{run.key}/",
        "run_page": f"http://testserver/probe/runs/{run.key}/",
    }
    assert (claims["XEP-0114"]["label"], claims["XEP-0114"]["reason"]) == (
        "not probed",
        "not probeable by the probe",
    )
    assert claims["XEP-0045"] is None  # planned: nothing to verify
    assert claims["XEP-0198"] is None  # only since 2.0, newer than 1.0
    assert api.get(claims["RFC 6120"]["run_url"]).json()["id"] == str(run.key)


def test_without_a_recent_run_or_a_reference_each_claim_is_not_probed_and_says_why(
    api, entry, server
):
    evidence_run(server, CORE_PASSED | {"XEP-0313": "pass"}, days_ago=31)
    claim = api.get("/api/v1/software/serv/").json()["claims"][0]
    assert (claim["probe"]["label"], claim["probe"]["reason"]) == (
        "not probed",
        "no run in the last 30 days",
    )
    assert (claim["probe"]["run_url"], claim["probe"]["run_date"]) == (None, None)
    make_software("Bare Server", role="server", specs=CORE_SERVER)
    claim = api.get("/api/v1/software/bare-server/").json()["claims"][0]
    assert claim["probe"]["reason"] == "no reference server"


def test_a_clients_claims_carry_no_label(api, server):
    make_software("Client", specs=CORE_SERVER, reference_server=server)
    evidence_run(server, {**CORE_PASSED, "XEP-0313": "pass"})
    assert set(probe_labels(api, "client").values()) == {None}


def test_a_new_evidence_run_is_a_new_reading_with_a_new_etag(api, entry, server):
    evidence_run(server, {**CORE_PASSED, "RFC 7590": "fail", "XEP-0313": "fail"}, days_ago=2)
    first = api.get("/api/v1/software/serv/")
    assert probe_labels(api)["RFC 7590"] == "contradicted"
    assert api.get("/api/v1/software/serv/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    evidence_run(server, {**CORE_PASSED, "XEP-0313": "pass"}, n=2)
    again = api.get("/api/v1/software/serv/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert probe_labels(api)["RFC 7590"] == probe_labels(api)["XEP-0313"] == "probe-verified"
    run_urls = {claim["probe"]["run_url"] for claim in again.json()["claims"] if claim["probe"]}
    assert run_urls == {f"http://testserver/api/v1/probe-runs/{UUID(int=2)}/", None}  # XEP-0114


def test_the_export_keeps_its_claims_without_labels(api, entry, server):
    evidence_run(server, {**CORE_PASSED, "XEP-0313": "pass"})
    [exported] = api.get("/api/v1/export/").json()["software"]
    assert all("probe" not in claim for claim in exported["claims"])


def reads_of(api, server, count: int) -> tuple[int, int]:
    """The queries of a labelled entry's first reading and of its cached one."""
    software = make_software(f"Claims {count}", role="server", reference_server=server)
    specs = {*SPECS[: count - 1], "XEP-0313"}  # one the run could not test among them
    write_claims(software, actor=TEST, put=[ClaimValues(s, Claim.DOAP, "complete") for s in specs])
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = api.get(f"/api/v1/software/{software.slug}/")
        assert response.status_code == 200
        assert len(response.json()["claims"]) == len(specs)
        counts.append(len(queries))
    return counts[0], counts[1]


def test_a_labelled_entry_is_read_in_queries_independent_of_its_claims(api, server):
    """Not cached: the entry's stamp, then the entry, its claims, its evidence run and the
    could-not-test explanations; cached: the stamp alone."""
    evidence_run(server, {**CORE_PASSED, "XEP-0313": "could_not_test"})
    first, cached = reads_of(api, server, 5)
    assert reads_of(api, server, 100) == (first, cached)
    assert cached < first <= 8
