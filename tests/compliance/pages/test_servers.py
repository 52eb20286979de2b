"""The server pages: the list with each server's latest verdicts, one server's page (verdicts,
since when each outcome holds and where it last differed, the runs and their chart, the
software linked to its entry), and queries that do not grow with runs or servers."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from compliance.models import ProbedServer, ProbeRun, Software
from compliance.pages.servers import (
    check_history,
    rows_compliant_with,
    server_list,
    server_page,
    software_links,
    verdict_summary,
)
from tests.compliance.probing.runs import START, VERDICTS, add_run, server_with_runs

pytestmark = pytest.mark.django_db

HISTORY = [
    {"rfc6120-stream": "pass", "xep0313-mam": "fail", "xep0030-disco": "pass"},
    {"rfc6120-stream": "pass", "xep0313-mam": "fail", "xep0030-disco": "pass"},
    {"rfc6120-stream": "pass", "xep0313-mam": "pass", "xep0030-disco": "error"},
    {"rfc6120-stream": "pass", "xep0313-mam": "pass", "xep0030-disco": "pass"},
]


def test_it_summarises_the_verdicts_per_year_and_level():
    [year] = verdict_summary(VERDICTS)
    assert year.year == "2023"
    server, advanced = year.levels
    assert (server.level, server.compliant, server.total) == ("Server", ["Core"], 2)
    assert (advanced.level, advanced.compliant, advanced.total) == ("Advanced Server", [], 2)


def test_it_finds_since_when_an_outcome_holds_and_where_it_last_differed():
    runs = list(range(6))
    history = check_history("xep0313-mam", runs, ["pass", "fail", None, "fail", "pass", "pass"])
    assert (history.outcome, history.since, history.runs_since) == ("pass", 4, 2)
    assert (history.last_changed, history.previous_words) == (3, "fail")
    history = check_history("xep0313-mam", runs, [None, None, None, "fail", "fail", "fail"])
    assert (history.since, history.last_changed, history.previous_words) == (3, 2, "not run")
    history = check_history("xep0313-mam", runs[:2], ["pass", "pass"])
    assert (history.since, history.runs_since, history.last_changed) == (0, 2, None)


def test_the_server_page_reads_each_checks_history_from_the_runs():
    server = server_with_runs("example.org", HISTORY)
    runs = list(ProbeRun.objects.order_by("created_at"))
    page = server_page(server)
    assert page.latest == runs[-1]
    checks = {check.check_id: check for check in page.checks}
    assert list(checks) == ["rfc6120-stream", "xep0030-disco", "xep0313-mam"]  # probe order
    stream, disco, mam = checks.values()
    assert (stream.since.key, stream.runs_since, stream.last_changed) == (str(runs[0].key), 4, None)
    assert (mam.since.key, mam.last_changed.key) == (str(runs[2].key), str(runs[1].key))
    assert (mam.outcome_words, mam.previous_words) == ("pass", "fail")
    assert (disco.since.key, disco.last_changed.key, disco.previous_words) == (
        str(runs[3].key),
        str(runs[2].key),
        "error",
    )
    assert [run.key for run in page.runs] == [run.key for run in reversed(runs)]


def test_a_checks_outcome_in_a_run_is_the_best_over_its_entities():
    server = server_with_runs(
        "example.org",
        [{"xep0045-muc": ["fail", "fail"]}, {"xep0045-muc": ["fail", "pass"]}],
    )
    [check] = server_page(server).checks
    assert (check.outcome, check.runs_since, check.previous_words) == ("pass", 1, "fail")


def test_the_list_shows_every_server_with_its_latest_verdicts_and_software():
    Software.objects.create(name="Prosody", slug="prosody", role="server")
    Software.objects.create(name="prosody", slug="prosody-client", role="client")
    server_with_runs("example.org", HISTORY, software_name="prosody", software_version="0.12.4")
    ProbedServer.objects.create(domain="queued.example")
    rows = server_list()
    assert [row.domain for row in rows] == ["example.org", "queued.example"]
    assert rows[0].software_slug == "prosody"
    assert rows[1].run is None
    text = Client().get("/servers/").content.decode()
    assert '<a href="/servers/example.org/">example.org</a>' in text
    assert "<td>3 of 3</td>" in text
    assert '<a href="/software/prosody/">prosody</a> 0.12.4' in text
    assert "<strong>2023</strong>: Server 1 of 2 (Core); Advanced Server 0 of 2" in text
    assert "No finished run yet." in text
    latest = ProbeRun.objects.order_by("-created_at").first()
    assert f'href="/probe/runs/{latest.key}/"' in text
    assert '<a href="/servers/">Servers</a>' in text  # in the site's navigation


def test_software_is_linked_only_to_a_server_entry_of_the_same_name():
    Software.objects.create(name="ejabberd", slug="ejabberd", role="server")
    Software.objects.create(name="Conversations", slug="conversations", role="client")
    links = software_links(["EJABBERD", "conversations", "Unknown", ""])
    assert links == {"ejabberd": "ejabberd"}


def test_the_server_page_shows_verdicts_history_chart_and_software():
    Software.objects.create(name="Prosody", slug="prosody", role="server")
    server = server_with_runs("example.org", HISTORY, software_name="Prosody")
    ProbeRun.objects.create(
        server=server,
        state=ProbeRun.FAILED,
        created_at=START.replace(month=4),
        probe_version="1.1",
        error="The worker was lost: the run did not end within its time limit.",
    )
    runs = list(ProbeRun.objects.filter(state=ProbeRun.DONE).order_by("created_at"))
    response = Client().get("/servers/example.org/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "not compliant</strong>: missing Message Archive" in text
    assert '<a href="/software/prosody/">Prosody</a>' in text
    row = text.split('id="check-xep0313-mam"')[1].split("</tr>")[0]
    assert f'<a href="/probe/runs/{runs[2].key}/">2024-03-03 06:00 UTC</a> (2 runs)' in row
    assert f'was fail on <a href="/probe/runs/{runs[1].key}/">2024-03-02 06:00 UTC</a>' in row
    row = text.split('id="check-rfc6120-stream"')[1].split("</tr>")[0]
    assert "never: the same in every run" in row
    svg = text.split('<svg xmlns="http://www.w3.org/2000/svg"')[1].split("</svg>")[0]
    assert 'role="img"' in svg
    assert '<title id="run-chart-title">Checks passed by example.org</title>' in svg
    assert svg.count("<circle") == 4  # the done runs; the failed one is in the table only
    assert "did not end within its time limit" in text
    assert "5 runs, newest first" in text
    assert "<script" not in text.split('<main id="main">')[1]


def test_an_unknown_server_is_a_404_and_other_spellings_redirect_to_the_a_label():
    ProbedServer.objects.create(domain="xn--bcher-kva.example")
    assert Client().get("/servers/unknown.example/").status_code == 404
    assert Client().get("/servers/not a domain/").status_code == 404
    for spelling in ("bücher.example", "XN--BCHER-KVA.example"):
        response = Client().get(f"/servers/{spelling}/")
        assert response.status_code == 301
        assert response["Location"] == "/servers/xn--bcher-kva.example/"
    page = Client().get("/servers/xn--bcher-kva.example/").content.decode()
    assert "No run of xn--bcher-kva.example has finished yet." in page


def queries_of_detail(runs: int) -> int:
    ProbedServer.objects.all().delete()
    Software.objects.get_or_create(name="Prosody", slug="prosody", role="server")
    outcomes = {check: "pass" for check in ("rfc6120-stream", "xep0030-disco", "xep0313-mam")}
    server = ProbedServer.objects.create(domain="example.org")
    for day in range(runs):
        add_run(server, outcomes, day=day, software_name="Prosody", jid="probe@example.org")
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/servers/example.org/")
    assert response.status_code == 200
    assert response.content.decode().count("<circle") == runs
    return len(queries)


def test_the_server_page_asks_the_same_queries_for_2_20_and_100_runs():
    counts = [queries_of_detail(runs) for runs in (2, 20, 100)]
    assert counts[0] == counts[1] == counts[2], counts
    assert counts[0] <= 8


def queries_of_list(servers: int) -> int:
    ProbedServer.objects.all().delete()
    Software.objects.get_or_create(name="Prosody", slug="prosody", role="server")
    for i in range(servers):
        server = ProbedServer.objects.create(domain=f"s{i:03d}.example")
        add_run(server, {"rfc6120-stream": "pass"}, software_name="Prosody")
    with CaptureQueriesContext(connection) as queries:
        response = Client().get("/servers/")
    assert response.content.decode().count('href="/software/prosody/"') == servers
    return len(queries)


def test_the_list_asks_the_same_queries_for_5_and_100_servers():
    assert queries_of_list(5) == queries_of_list(100)


def test_it_keeps_the_servers_whose_latest_run_met_a_cell():
    server_with_runs("example.org", HISTORY)
    ProbedServer.objects.create(domain="queued.example")
    rows = server_list()
    met = lambda *cell: [row.domain for row in rows_compliant_with(rows, *cell)]  # noqa: E731
    assert met(2023, "core", "server") == ["example.org"]  # VERDICTS: Core Server only
    assert met(2023, "core", "advanced_server") == []
    assert met(2023, "im", "server") == []
    assert met(2019, "core", "server") == []  # a year the runs did not judge


def test_a_domain_no_server_can_have_is_a_404_whatever_the_database():
    assert Client().get("/servers/a%00b/").status_code == 404  # PostgreSQL refuses a NUL
