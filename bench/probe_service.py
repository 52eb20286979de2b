"""Benchmark: the probe service's warm workers against the feature-rich test Prosody.

    .venv/bin/python bench/probe_service.py [--runs 60] [--latency-rounds 10]

Uses DATABASE_URL and REDIS_URL when set (PostgreSQL and Redis), else a scratch SQLite file and
the file-system broker; a scratch VAR_DIR either way. Starts Debian's Prosody (tests/servers)
with one account per run (two runs of one account at once would race on its vCard), a DNS
server on loopback and a test CA, and a Celery worker process of the probes queue with 2
prefork processes, warmed up with 2 runs. Then, side by side:
1. throughput: --runs runs queued at once, wall time until the last ends → full probes a
   minute, and the worker's CPU seconds per probe (its processes' user + system time, from
   /proc); baseline: the same number of probes in 2 warm processes without Celery or database;
2. first result: --latency-rounds submissions through the web form (Django's test client) to
   the idle worker, time until the run's progress partial shows its first result; baseline: the
   probe's own time from its start to its first finished check, in process.
"""

import argparse
import asyncio
import base64
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKER_PROCESSES = 2


def cpu_seconds(pid: int) -> float:
    """User + system time of a process and its children alive now (prefork's pool)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _probe_alone(options) -> float:
    from probes.runner import run_probe

    start = time.monotonic()
    asyncio.run(run_probe(options))
    return time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--latency-rounds", type=int, default=10)
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="probe-service-bench-"))
    scratch.chmod(0o755)
    os.environ["VAR_DIR"] = str(scratch / "var")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "dashboard.settings"

    from tests.servers import LOOPBACK
    from tests.servers.dns import LoopbackDNS
    from tests.servers.pki import CertificateAuthority
    from tests.servers.prosody import DOMAIN, PASSWORD, USER, Prosody, zone_for

    server = Prosody(CertificateAuthority(scratch), rich=True).start()
    accounts = [f"bench{i}" for i in range(args.runs + WORKER_PROCESSES)]
    for account in accounts:
        server.register(account, PASSWORD)
    dns = LoopbackDNS(zone_for(server)).__enter__()
    os.environ |= {
        "PROBE_NAMESERVER": dns.nameserver,
        "PROBE_CA_FILE": str(server.ca.path),
        "PROBE_ALLOW_NETWORKS": ",".join(LOOPBACK),
        "PROBE_RUNS_PER_DOMAIN_HOUR": "100000",
        "PROBE_RUNS_PER_CLIENT_HOUR": "100000",
        "ALLOWED_HOSTS": "testserver",
        # as in production: no DEBUG (no query log), so keys of its own
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECRET_KEY": base64.urlsafe_b64encode(os.urandom(40)).decode(),
        "PROBE_CREDENTIALS_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
    }
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from compliance.models import CheckResult, ProbedServer, ProbeRun
    from compliance.probing.credentials import seal
    from compliance.probing.submit import Account, probe_options
    from compliance.tasks import probe_run
    from probes.runner import run_probe, selected

    call_command("migrate", verbosity=0)
    site = ProbedServer.objects.create(domain=DOMAIN)
    total = len(selected(()))
    database = "PostgreSQL" if "postgres" in os.environ["DATABASE_URL"] else "SQLite"
    broker = "Redis" if os.environ.get("REDIS_URL") else "file system"
    print(f"{database}, {broker} broker, {WORKER_PROCESSES} worker processes, {args.runs} runs")

    log = (scratch / "worker.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "dashboard", "worker", "-Q", "probes", "-P"]
        + ["prefork", "-c", str(WORKER_PROCESSES), "-l", "WARNING", "--without-mingle"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def queue(account: str) -> ProbeRun:
        run = ProbeRun.objects.create(
            server=site,
            probe_version="bench",
            total_checks=total,
            jid=f"{account}@{DOMAIN}",
            secret=seal(PASSWORD),
        )
        probe_run.delay(run.pk)
        return run

    def wait(runs: list[ProbeRun], timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        pks = [run.pk for run in runs]
        while ProbeRun.objects.filter(pk__in=pks, state__in=ProbeRun.ACTIVE).exists():
            if time.monotonic() > deadline:
                raise SystemExit("runs did not end in time")
            time.sleep(0.02)
        failed = ProbeRun.objects.filter(pk__in=pks).exclude(state=ProbeRun.DONE).count()
        if failed:
            raise SystemExit(f"{failed} runs failed: see {scratch / 'worker.log'}")

    try:
        wait([queue(account) for account in accounts[:WORKER_PROCESSES]])  # warm-up
        cpu_before = cpu_seconds(worker.pid)
        start = time.monotonic()
        runs = [queue(account) for account in accounts[WORKER_PROCESSES:]]
        wait(runs)
        wall = time.monotonic() - start
        cpu = cpu_seconds(worker.pid) - cpu_before

        options = [
            probe_options(DOMAIN, Account(f"{account}@{DOMAIN}", PASSWORD))
            for account in accounts[WORKER_PROCESSES:]
        ]
        with multiprocessing.get_context("fork").Pool(WORKER_PROCESSES) as pool:
            pool.map(_probe_alone, options[:WORKER_PROCESSES])  # warm-up
            start = time.monotonic()
            pool.map(_probe_alone, options, chunksize=1)
            alone = time.monotonic() - start
        print(
            f"throughput: {args.runs / wall * 60:.0f} full probes a minute through the worker "
            f"({wall:.1f} s), {cpu / args.runs:.3f} CPU s a probe; baseline without Celery "
            f"or database: {args.runs / alone * 60:.0f} a minute ({alone:.1f} s)"
        )

        client = Client()
        firsts, own = [], []
        for _ in range(args.latency_rounds):
            time.sleep(0.5)  # the worker idle
            start = time.monotonic()
            response = client.post(
                "/probe/", {"domain": DOMAIN, "jid": f"{USER}@{DOMAIN}", "password": PASSWORD}
            )
            assert response.status_code == 302, response.content[:500]
            progress = response["Location"] + "progress/"
            while 'class="outcome-' not in client.get(progress).content.decode():
                if time.monotonic() - start > 30:
                    raise SystemExit("no result within 30 s")
                time.sleep(0.01)
            firsts.append(time.monotonic() - start)
            key = re.search(r"runs/([0-9a-f-]+)/", progress).group(1)
            wait([ProbeRun.objects.get(key=key)])

            first = []

            async def timed(options, first=first):
                start = time.monotonic()
                await run_probe(options, lambda *report: first.append(time.monotonic() - start))

            asyncio.run(timed(probe_options(DOMAIN, Account(f"{USER}@{DOMAIN}", PASSWORD))))
            own.append(first[0])
        print(
            f"first result on the page after submitting: median "
            f"{statistics.median(firsts) * 1000:.0f} ms (max {max(firsts) * 1000:.0f}); "
            f"baseline, the probe's own first check: median "
            f"{statistics.median(own) * 1000:.0f} ms (max {max(own) * 1000:.0f})"
        )
        print(f"results stored: {CheckResult.objects.count()}")
    finally:
        os.killpg(worker.pid, 9)  # a scratch worker: nothing of it is kept
        worker.wait(30)
        dns.__exit__(None, None, None)
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
