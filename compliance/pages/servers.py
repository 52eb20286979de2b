"""The server pages: every probed server with its latest verdicts, and one server's page (its
latest verdicts and results, the history of its runs, and per check since when its outcome
holds and when it last differed).

A check's outcome in a run is the best over its entities (as the probe reports it); a check
without a result in a run is "not run" there. The software a server says it runs links to the
entry of that name (a server entry, the name compared without case).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models.functions import Lower

from compliance.models import CheckResult, ProbedServer, ProbeRun, Software
from compliance.pages.probe_run import OUTCOME_WORDS, TITLES, ResultLine, result_lines
from probes.outcomes import best
from suites.catalogue import CATEGORY_NAMES, LEVEL_NAMES

HISTORY_LIMIT = 100  # runs in the table and the chart
LEVELS = ("server", "advanced_server")
NOT_RUN = "not run"
RUN_FIELDS = (
    "key",
    "server_id",
    "state",
    "scheduled",
    "created_at",
    "finished_at",
    "jid",
    "error",
    "software_name",
    "software_version",
    "total_checks",
    "passed_checks",
    "duration_s",
)


@dataclass(frozen=True)
class LevelSummary:
    level: str  # "Server", "Advanced Server"
    compliant: list[str]  # the names of the categories met
    total: int  # categories judged


@dataclass(frozen=True)
class YearSummary:
    year: str
    levels: list[LevelSummary]


def verdict_summary(verdicts: dict) -> list[YearSummary]:
    """Per year (newest first), the categories a run met at Server and at Advanced Server."""
    years = []
    for year, categories in sorted(verdicts.items(), reverse=True):
        levels = []
        for level in LEVELS:
            judged = {c: levels_[level] for c, levels_ in categories.items() if level in levels_}
            met = [CATEGORY_NAMES.get(c, c) for c, v in judged.items() if v.get("compliant")]
            levels.append(LevelSummary(LEVEL_NAMES[level], met, len(judged)))
        years.append(YearSummary(year, levels))
    return years


def software_links(names) -> dict[str, str]:
    """The slug of the server entry named like each name (any case): one query."""
    wanted = {name.lower() for name in names if name}
    if not wanted:
        return {}
    entries = (
        Software.objects.annotate(lower_name=Lower("name"))
        .filter(role=Software.SERVER, lower_name__in=wanted)
        .order_by("-slug")  # the first slug wins when two entries share a name
        .values_list("lower_name", "slug")
    )
    return dict(entries)


@dataclass(frozen=True)
class ServerRow:
    domain: str
    run: ProbeRun | None  # the latest done run
    software_slug: str
    years: list[YearSummary]


def server_list() -> list[ServerRow]:
    """Every probed server by domain, with its latest done run's summary: two queries."""
    servers = list(
        ProbedServer.objects.select_related("latest_run").only(
            "domain",
            "latest_run",
            *(f"latest_run__{name}" for name in (*RUN_FIELDS, "verdicts")),
        )
    )
    links = software_links(s.latest_run.software_name for s in servers if s.latest_run)
    rows = []
    for server in servers:
        run = server.latest_run
        name = run.software_name.lower() if run else ""
        years = verdict_summary(run.verdicts) if run else []
        rows.append(ServerRow(server.domain, run, links.get(name, ""), years))
    return rows


def rows_compliant_with(
    rows: list[ServerRow], year: int, category: str, level: str
) -> list[ServerRow]:
    """The rows whose latest done run met a cell (year, category, server or advanced_server),
    as the run's verdicts say; the order kept."""
    return [
        row
        for row in rows
        if row.run is not None
        and row.run.verdicts.get(str(year), {}).get(category, {}).get(level, {}).get("compliant")
    ]


@dataclass(frozen=True)
class RunRef:
    """A run named by its key and date, for the since / last changed columns."""

    key: str
    created_at: datetime


@dataclass(frozen=True)
class CheckHistory:
    check_id: str
    title: str
    outcome: str  # now: pass, fail, could_not_test, error
    outcome_words: str
    since: RunRef  # the first run of the current unbroken streak of this outcome
    runs_since: int  # runs in that streak
    last_changed: RunRef | None  # the newest run where the outcome differed; None: never
    previous_words: str  # what it was there ("not run" where the check had no result)


def outcomes_by_run(server: ProbedServer) -> tuple[list[RunRef], dict[str, list[str | None]]]:
    """The server's done runs, oldest first, and per check its outcome in each (None where it
    has no result): one query, over the results of every done run."""
    rows = (
        CheckResult.objects.filter(run__server=server, run__state=ProbeRun.DONE)
        .order_by("run__created_at", "run_id")
        .values_list("run_id", "run__key", "run__created_at", "check_id", "outcome")
    )
    runs: list[RunRef] = []
    found: dict[str, dict[int, list[str]]] = {}
    last_id = None
    for run_id, key, created_at, check_id, outcome in rows:
        if run_id != last_id:
            runs.append(RunRef(str(key), created_at))
            last_id = run_id
        found.setdefault(check_id, {}).setdefault(len(runs) - 1, []).append(outcome)
    outcomes = {
        check: [best(by_run[i]) if i in by_run else None for i in range(len(runs))]
        for check, by_run in found.items()
    }
    return runs, outcomes


def check_history(check_id: str, runs: list[RunRef], outcomes: list[str | None]) -> CheckHistory:
    """Since when the newest run's outcome holds, and where it last differed."""
    current = outcomes[-1]
    start = len(outcomes) - 1
    while start > 0 and outcomes[start - 1] == current:
        start -= 1
    before = outcomes[start - 1] if start > 0 else None
    return CheckHistory(
        check_id,
        TITLES.get(check_id, check_id),
        current,
        OUTCOME_WORDS.get(current, current),
        runs[start],
        len(outcomes) - start,
        runs[start - 1] if start > 0 else None,
        OUTCOME_WORDS.get(before, NOT_RUN) if start > 0 else "",
    )


def check_histories(server: ProbedServer) -> list[CheckHistory]:
    """For each check of the newest done run (in the probe's order of titles), its history."""
    runs, outcomes = outcomes_by_run(server)
    rows = [
        check_history(check, runs, seen) for check, seen in outcomes.items() if seen[-1] is not None
    ]
    order = {check: i for i, check in enumerate(TITLES)}
    return sorted(rows, key=lambda row: (order.get(row.check_id, len(order)), row.check_id))


@dataclass(frozen=True)
class ServerPage:
    server: ProbedServer
    latest: ProbeRun | None  # the newest done run
    runs: list[ProbeRun]  # newest first, at most HISTORY_LIMIT, any state
    results: list[ResultLine]  # the latest run's, with details and hints
    checks: list[CheckHistory]
    software_slug: str

    @property
    def chart_points(self) -> list[tuple[datetime, int, int]]:
        """(when, passed, checks) of the done runs of the table, oldest first."""
        done = [run for run in reversed(self.runs) if run.state == ProbeRun.DONE]
        return [
            (run.finished_at or run.created_at, run.passed_checks, run.total_checks) for run in done
        ]


def server_page(server: ProbedServer) -> ServerPage:
    """One server's page: five queries, however many runs and results it has."""
    runs = list(server.runs.only(*RUN_FIELDS).order_by("-created_at", "-pk")[:HISTORY_LIMIT])
    latest = server.latest_run
    results = result_lines(latest) if latest else []
    links = software_links([latest.software_name]) if latest else {}
    slug = links.get(latest.software_name.lower(), "") if latest else ""
    return ServerPage(server, latest, runs, results, check_histories(server), slug)


def find_server(domain: str) -> ProbedServer | None:
    """The server of that domain (as stored: the A-label form), with its latest done run; None
    for a text no domain holds, such as a NUL (which PostgreSQL would refuse to compare)."""
    if "\x00" in domain:
        return None
    return ProbedServer.objects.select_related("latest_run").filter(domain=domain).first()
