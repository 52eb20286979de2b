"""Benchmark: badges and the hot API reads against the simplest Django view, under gunicorn.

    .venv/bin/python bench/api.py [--entries 100] [--seconds 8] [--postgres URL]

Seeds a scratch database as bench/web.py does (SQLite, or a database created and dropped on the
PostgreSQL server of --postgres), serves it with gunicorn (2 sync workers, DEBUG off, persistent
connections) and measures, one after the other in the same run, requests per second of a
constant SVG view, a badge, software/{slug}/ and software/{slug}/verdicts/, from 4 client
threads (a new connection per request, as sync workers close them). Prints each rate and its
ratio to the constant view.
"""

import argparse
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


def rate(path: str, seconds: float, threads: int = 4) -> float:
    """Requests per second answered 200 (or 304) on path."""
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
    return sum(done) / (time.perf_counter() - started)


def serve() -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.api_settings"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "dashboard.wsgi", "--bind", f"127.0.0.1:{PORT}"]
        + ["--workers", "2", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    for _ in range(50):
        time.sleep(0.2)
        try:
            http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/")
            return server
        except OSError:
            continue
    return server


def measure(slug: str, seconds: float) -> None:
    paths = {
        "constant SVG view": "/bench/constant.svg",
        "badge (SVG)": f"/badge/{slug}/2023/im/advanced-client.svg",
        "summary badge (SVG)": f"/badge/{slug}/latest.svg",
        "API software/{slug}/": f"/api/v1/software/{slug}/",
        "API software/{slug}/verdicts/": f"/api/v1/software/{slug}/verdicts/",
    }
    for path in paths.values():  # warm up both workers
        rate(path, 0.5)
    base = None
    print(f"{'request':<34}{'req/s':>8}{'× constant':>12}")
    for name, path in paths.items():
        value = rate(path, seconds)
        base = base or value
        print(f"{name:<34}{value:>8.0f}{value / base:>12.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100, help="clients and libraries")
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--postgres", help="a PostgreSQL server URL to create a scratch db on")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="dashboard-bench-api-")
    url, remove = database_url(args, folder)
    os.environ.update(
        DATABASE_URL=url,
        VAR_DIR=folder,
        DJANGO_SETTINGS_MODULE="bench.api_settings",
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        SECRET_KEY=os.environ.get("SECRET_KEY", "benchmark-only-" + "x" * 40),
        DB_CONN_MAX_AGE="600",
        ALLOWED_HOSTS="127.0.0.1",
        API_THROTTLE_ANON="100000000/minute",
        API_THROTTLE_USER="100000000/minute",
    )
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
        server = serve()
        print(f"gunicorn, 2 sync workers; 4 client threads, {args.seconds:g} s per request")
        measure(software.slug, args.seconds)
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
