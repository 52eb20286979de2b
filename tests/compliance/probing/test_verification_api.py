"""Claimed vs verified in the API: each verdict cell's basis, its cache moved by a new run, and
the export's in queries independent of the entries."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from compliance.models import ProbedServer, ProbeRun
from tests.compliance.factories import CORE_SERVER, make_software

pytestmark = pytest.mark.django_db

CORE_PASSED = {"RFC 6120": "pass", "RFC 7590": "pass", "XEP-0030": "pass"}


def make_run(server, specs, *, days_ago=1) -> ProbeRun:
    finished = timezone.now() - timedelta(days=days_ago)
    return ProbeRun.objects.create(
        server=server,
        state=ProbeRun.DONE,
        finished_at=finished,
        probe_version="1.1",
        specs=specs,
    )


def core_bases(data: dict) -> tuple[str, str]:
    core = data["years"]["2023"]["core"]
    return core["server"]["basis"], core["advanced_server"]["basis"]


def test_a_verdict_cell_says_verified_and_a_new_run_moves_the_cache():
    server = ProbedServer.objects.create(domain="example.org")
    make_software("Serv", role="server", specs=CORE_SERVER, reference_server=server)
    api = APIClient()
    url = "/api/v1/software/serv/verdicts/"
    assert core_bases(api.get(url).json()) == ("self-assessed", "self-assessed")  # no run yet
    make_run(server, {**CORE_PASSED, "RFC 7590": "fail"}, days_ago=2)
    assert core_bases(api.get(url).json()) == ("self-assessed", "self-assessed")
    make_run(server, CORE_PASSED)
    first = api.get(url)
    assert core_bases(first.json()) == ("verified", "self-assessed")  # Advanced: not met
    again = api.get(url)
    assert again["ETag"] == first["ETag"]


def test_the_export_marks_verified_cells_in_queries_independent_of_the_entries(
    django_assert_num_queries,
):
    def add(count):
        start = ProbedServer.objects.count()
        for i in range(start, start + count):
            server = ProbedServer.objects.create(domain=f"s{i}.example")
            make_run(server, CORE_PASSED)
            make_software(f"Serv {i}", role="server", specs=CORE_SERVER, reference_server=server)

    def export(queries):
        with django_assert_num_queries(queries):
            response = APIClient().get("/api/v1/export/")
        assert response.status_code == 200
        return response.json()["software"]

    add(2)
    entries = export(3)  # the entries, their claims, the runs
    assert {core_bases({"years": entry["verdicts"]})[0] for entry in entries} == {"verified"}
    add(10)
    assert len(export(3)) == 12
