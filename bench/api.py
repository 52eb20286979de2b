"""Benchmark: badges and the hot API reads against the simplest Django view, under gunicorn.

    .venv/bin/python bench/api.py [--entries 100] [--seconds 8] [--rounds 4]
        [--postgres URL] [--redis URL]

Seeds a scratch database as bench/web.py does (SQLite, or a database of its own created and
dropped on the PostgreSQL server of --postgres) and serves it with gunicorn, 2 sync workers, in
docker-compose.yml's configuration: DEBUG off, database connections kept 60 s, and with --redis
the shared cache production has (the API's throttle counts there; without it each worker counts
in its own memory, which production does not do). Then measures side by side requests per
second of a constant SVG view, the same on the lean path badges take, a badge, a summary badge,
software/{slug}/ and software/{slug}/verdicts/, from 4 client threads (a new connection per
request, as sync workers close them): --rounds rounds of --seconds / --rounds per URL, the URLs
in turn, so that a change of the machine's load falls on all of them. Prints each rate, its
ratio to the constant view and the queries a cached request makes.
"""

import argparse
import base64
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.web import database_url, seed  # noqa: E402

PORT = 8766


def requests_in(path: str, seconds: float, threads: int = 4) -> tuple[int, float]:
    """Requests answered 200 on path from `threads` clients in about `seconds`, and the time."""
    done = [0] * threads
    stop = time.perf_counter() + seconds

    def client(index: int) -> None:
        while time.perf_counter() < stop:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            conn.close()
            assert response.status == 200, (path, response.status)
            done[index] += 1

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(done), time.perf_counter() - started


def serve() -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "dashboard.wsgi", "--bind", f"127.0.0.1:{PORT}"]
        + ["--workers", "2", "--log-level", "warning"],
        cwd=ROOT,
        env=os.environ,
    )
    for _ in range(50):
        time.sleep(0.2)
        try:
            http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/")
            return server
        except OSError:
            if server.poll() is not None:
                break
    server.terminate()
    raise SystemExit("gunicorn did not start: see its log above")


def queries_of(path: str) -> int:
    """Queries of a request of path once its reading is cached (Django's test client, in
    process, on the same database)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200, path
    return len(queries)


def measure(slug: str, seconds: float, rounds: int) -> None:
    paths = {
        "constant SVG view": "/bench/constant.svg",
        "constant SVG view, lean path": "/badge/bench/constant.svg",
        "badge (SVG)": f"/badge/{slug}/2023/im/advanced-client.svg",
        "summary badge (SVG)": f"/badge/{slug}/latest.svg",
        "API software/{slug}/": f"/api/v1/software/{slug}/",
        "API software/{slug}/verdicts/": f"/api/v1/software/{slug}/verdicts/",
    }
    for path in paths.values():  # warm up both workers
        requests_in(path, 0.5)
    totals = {name: [0, 0.0] for name in paths}
    names = list(paths)
    for round_ in range(rounds):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            count, elapsed = requests_in(paths[name], seconds / rounds)
            totals[name][0] += count
            totals[name][1] += elapsed
    rates = {name: count / elapsed for name, (count, elapsed) in totals.items()}
    base = rates["constant SVG view"]
    print(f"{'request':<34}{'req/s':>8}{'× constant':>12}{'queries':>9}")
    for name, path in paths.items():
        print(f"{name:<34}{rates[name]:>8.0f}{rates[name] / base:>12.2f}{queries_of(path):>9}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100, help="clients and libraries")
    parser.add_argument("--seconds", type=float, default=8, help="per URL, over all rounds")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--postgres", help="a PostgreSQL server URL to create a scratch db on")
    parser.add_argument("--redis", help="a Redis database URL: the shared cache, as production")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="dashboard-bench-api-")
    url, remove = database_url(args, folder, name="xmpp_dashboard_bench_api")
    os.environ.update(  # docker-compose.yml's, on plain HTTP
        DATABASE_URL=url,
        VAR_DIR=folder,
        DJANGO_SETTINGS_MODULE="bench.api_settings",
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        SECRET_KEY=os.environ.get("SECRET_KEY", "benchmark-only-" + "x" * 40),
        PROBE_CREDENTIALS_KEY=base64.urlsafe_b64encode(os.urandom(32)).decode(),
        DB_CONN_MAX_AGE="60",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        API_THROTTLE_ANON="100000000/minute",
        API_THROTTLE_USER="100000000/minute",
    )
    if args.redis:
        os.environ["REDIS_URL"] = args.redis
    server = None
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
        seed(args.entries, 10)
        from compliance.models import Claim, Software

        software = Software.objects.filter(role="client").order_by("pk").first()
        print(
            f"database: {url.split('://')[0]}, {args.entries} clients and libraries, 10 servers, "
            f"{Claim.objects.count()} claims; {software.slug} has {software.claims.count()}"
        )
        print(
            "cache: Redis, shared by the workers (the throttle's counters), as production"
            if args.redis
            else "cache: each worker's memory (the throttle counts per worker, unlike production)"
        )
        server = serve()
        print(
            f"gunicorn, 2 sync workers; 4 client threads, {args.seconds:g} s per URL in "
            f"{args.rounds} rounds; load average before: {os.getloadavg()[0]:.2f}"
        )
        measure(software.slug, args.seconds, args.rounds)
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if server:
            server.terminate()
            server.wait(10)
        from django.db import connections

        connections.close_all()
        remove()
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
