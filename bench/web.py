"""Benchmark: the website with 500 clients and libraries (and 100 servers).

    .venv/bin/python bench/web.py [--entries 500] [--rounds 30] [--postgres URL] [--wrk-seconds 10]

Seeds a scratch database (a temporary SQLite file, or a database created and dropped on the
PostgreSQL server of --postgres, e.g. postgres://postgres@127.0.0.1:5432/postgres), then reports
for the comparison page, the software list and a badge the median server time (Django's test
client, in process: URL routing, middleware, view, template) and the queries per request. If wrk
is installed (Debian package wrk), it then serves the same database with gunicorn (DEBUG off) and
measures badge requests per second from a second process.
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = {
    "comparison, 2022 IM Advanced Client (500 rows)": "/compare/2022/im/advanced-client/",
    "comparison, 2022 Core Client (500 rows)": "/compare/2022/core/client/",
    "comparison, 2022 IM Server (100 rows)": "/compare/2022/im/server/",
    "comparison as CSV, 2022 IM Advanced Client": "/compare/2022/im/advanced-client.csv",
    "software list": "/software/",
    "home page": "/",
    "badge (SVG)": "/badge/bench-client-0001/2022/im/advanced-client.svg",
}


def database_url(args, folder: str, name: str = "xmpp_dashboard_bench") -> tuple[str, callable]:
    """A scratch database URL and a function that removes it (on PostgreSQL, the database name)."""
    if not args.postgres:
        return f"sqlite:///{folder}/bench.sqlite3", lambda: None
    import psycopg

    parts = urlsplit(args.postgres)
    with psycopg.connect(args.postgres, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")

    def drop():
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def seed(count: int, servers: int) -> None:
    """count clients and libraries (the rows of a client-level table), and servers."""
    from compliance.claims import ClaimValues, write_claims
    from compliance.history import Actor
    from compliance.models import Claim, Software
    from suites import catalogue

    rng = random.Random(459)
    providers = sorted(catalogue.provider_specs())
    extra = [f"XEP-{n:04d}" for n in range(1, 480) if f"XEP-{n:04d}" not in providers]
    statuses = ["complete"] * 8 + ["partial", "planned", "removed", ""]
    roles = ["client"] * 2 + ["library"]
    platforms = [["Linux"], ["Linux", "Windows", "macOS"], ["Android"], ["iOS"], ["FreeBSD"]]
    for i in range(count + servers):
        role = roles[i % len(roles)] if i < count else "server"
        software = Software.objects.create(
            name=f"Bench {role} {i:04d}",
            slug=f"bench-{role}-{i:04d}",
            role=role,
            description="A generated entry for the benchmark",
            platforms=rng.choice(platforms),
            terminal_interface=rng.random() < 0.1,
        )
        specs = rng.sample(providers, int(len(providers) * rng.uniform(0.5, 1.0)))
        specs += rng.sample(extra, 30)
        claims = [
            ClaimValues(spec=spec, source=Claim.DOAP, status=rng.choice(statuses)) for spec in specs
        ]
        write_claims(software, actor=Actor("the benchmark"), put=claims)


class QueryCounter(list):
    """A database execute wrapper that records every statement run."""

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


def measure(rounds: int) -> None:
    from django.db import connection
    from django.test import Client

    client = Client()
    print(f"{'request':<50}{'median ms':>10}{'p90 ms':>9}{'queries':>9}{'bytes':>10}")
    for name, url in PAGES.items():
        if "badge" in url:
            from compliance.models import Software

            url = url.replace(
                "bench-client-0001",
                Software.objects.filter(role="client")
                .order_by("pk")
                .values_list("slug", flat=True)
                .first(),
            )
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        print(
            f"{name:<50}{statistics.median(times):>10.1f}"
            f"{times[int(len(times) * 0.9) - 1]:>9.1f}{len(queries):>9}"
            f"{len(response.content):>10}"
        )


def badge_throughput(seconds: int) -> None:
    if not shutil.which("wrk"):
        print("wrk is not installed: badge throughput not measured (apt-get install wrk)")
        return
    from compliance.models import Software

    slug = (
        Software.objects.filter(role="client").order_by("pk").values_list("slug", flat=True).first()
    )
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1"}
    workers = str(2 * os.cpu_count() + 1)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "dashboard.wsgi",
            "--bind",
            "127.0.0.1:8765",
            "--workers",
            workers,
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        time.sleep(3)
        path = f"/badge/{slug}/2022/im/advanced-client.svg"
        print(f"\ngunicorn, {workers} sync workers, wrk -t1 -c8 -d{seconds}s {path}")
        result = subprocess.run(
            ["wrk", "-t1", "-c8", f"-d{seconds}s", f"http://127.0.0.1:8765{path}"],
            capture_output=True,
            text=True,
            check=True,
        )
        print(result.stdout)
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=500, help="clients and libraries")
    parser.add_argument("--servers", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--postgres", help="a PostgreSQL server URL to create a scratch db on")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="dashboard-bench-")
    url, remove = database_url(args, folder)
    os.environ["DATABASE_URL"] = url
    os.environ["VAR_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ["DB_CONN_MAX_AGE"] = "600"  # persistent connections, as in production
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
        started = time.perf_counter()
        seed(args.entries, args.servers)
        from compliance.models import Claim

        print(
            f"database: {url.split('://')[0]}, {args.entries} clients and libraries, "
            f"{args.servers} servers, "
            f"{Claim.objects.count()} claims, seeded in {time.perf_counter() - started:.1f} s"
        )
        measure(args.rounds)
        badge_throughput(args.wrk_seconds)
    finally:
        from django.db import connections

        connections.close_all()
        remove()
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
