"""Probed servers, runs and results built with the ORM, for the server pages' tests."""

from datetime import UTC, datetime, timedelta

from compliance.models import CheckResult, ProbedServer, ProbeRun

START = datetime(2024, 3, 1, 6, 0, tzinfo=UTC)
VERDICTS = {
    "2023": {
        "core": {
            "server": {"compliant": True, "missing": [], "relies_on_partial": []},
            "advanced_server": {
                "compliant": False,
                "missing": ["XEP-0368"],
                "relies_on_partial": [],
            },
        },
        "im": {
            "server": {"compliant": False, "missing": ["Message Archive"], "relies_on_partial": []},
            "advanced_server": {
                "compliant": False,
                "missing": ["Message Archive"],
                "relies_on_partial": [],
            },
        },
    }
}


def add_run(server: ProbedServer, outcomes: dict[str, str], *, day: int = 0, **fields) -> ProbeRun:
    """A done run of the server `day` days after START, with one result per check (a value
    may be a list: one result per entity), the server's latest run."""
    when = START + timedelta(days=day)
    passed = sum(1 for o in outcomes.values() if "pass" in (o if isinstance(o, list) else [o]))
    values = {
        "state": ProbeRun.DONE,
        "created_at": when,
        "started_at": when,
        "finished_at": when + timedelta(seconds=30),
        "probe_version": "1.1",
        "total_checks": len(outcomes),
        "passed_checks": passed,
        "verdicts": VERDICTS,
        **fields,
    }
    run = ProbeRun.objects.create(server=server, **values)
    rows = []
    for position, (check, found) in enumerate(outcomes.items()):
        for entity, outcome in enumerate(found if isinstance(found, list) else [found]):
            rows.append(
                CheckResult(
                    run=run,
                    position=position * 1000 + entity,
                    check_id=check,
                    outcome=outcome,
                    entity=f"entity-{entity}.{server.domain}",
                    detail=f"{check} is {outcome} on entity {entity}.",
                    evidence=[{"kind": "received", "text": f"<iq>{check} evidence</iq>"}],
                )
            )
    CheckResult.objects.bulk_create(rows)
    if run.state == ProbeRun.DONE:
        ProbedServer.objects.filter(pk=server.pk).update(latest_run=run)
    return run


def server_with_runs(domain: str, history: list[dict[str, str]], **fields) -> ProbedServer:
    server = ProbedServer.objects.create(domain=domain)
    for day, outcomes in enumerate(history):
        add_run(server, outcomes, day=day, **fields)
    server.refresh_from_db()
    return server
