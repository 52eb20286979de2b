"""A worker process killed mid-run (kill -9): the reaper fails the run and deletes its password,
a new submission is accepted; and nothing the service keeps — the database, the broker (Redis
under CI), the worker's log — holds the password or its base64."""

import base64
import io
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from compliance.models import ProbeRun
from compliance.probing import worker
from compliance.probing.submit import submit
from compliance.tasks import STALE_AFTER
from tests.conftest import ROOT
from tests.servers import LOOPBACK, hostile
from tests.servers.dns import LoopbackDNS
from tests.servers.prosody import DOMAIN, PASSWORD, USER, zone_for

pytestmark = pytest.mark.prosody
SILENT = "silent.test"


def database_url() -> str:
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    user, host, port = database["USER"], database["HOST"], database["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{database['NAME']}"


def start_worker(log: Path, nameserver: str, ca_file: str) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": database_url(),
        "PROBE_NAMESERVER": nameserver,
        "PROBE_CA_FILE": ca_file,
        "PROBE_ALLOW_NETWORKS": ",".join(LOOPBACK),
        "PROBE_TIMEOUT": "30",
    }
    command = [sys.executable, "-m", "celery", "-A", "dashboard", "worker", "-Q", "probes"]
    command += ["-P", "prefork", "-c", "1", "-l", "INFO", "--without-mingle", "--without-gossip"]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(run: ProbeRun, states: tuple[str, ...], timeout: float = 60) -> ProbeRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.state in states:
            return run
        time.sleep(0.1)
    raise AssertionError(f"the run stayed {run.state}")


def redis_dump() -> bytes:
    if not settings.REDIS_URL:
        return b""
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    parts = []
    for key in client.scan_iter(count=1000):
        kind = client.type(key).decode()
        value = {
            "string": lambda k: client.get(k),
            "list": lambda k: b"".join(client.lrange(k, 0, -1)),
            "hash": lambda k: b"".join(a + b for a, b in client.hgetall(k).items()),
            "set": lambda k: b"".join(client.smembers(k)),
            "zset": lambda k: b"".join(client.zrange(k, 0, -1)),
        }.get(kind, lambda k: b"")(key)
        parts += [key, value or b""]
    return b"\n".join(parts)


def broker_files() -> bytes:
    folder = settings.VAR_DIR / "celery"
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def forbidden(password: str, user: str) -> list[bytes]:
    raw = password.encode()
    plain = b"\0" + user.encode() + b"\0" + raw  # SASL PLAIN's message
    return [raw] + [
        encode(value)
        for value in (raw, plain)
        for encode in (base64.b64encode, base64.urlsafe_b64encode)
    ]


def test_a_killed_worker_is_reaped_and_no_password_is_kept(
    transactional_db, settings, prosody_rich, pki, tmp_path
):
    with hostile.HostileServer(hostile.silent) as silent:
        zone = zone_for(prosody_rich)
        zone.address(f"xmpp.{SILENT}", "127.0.0.1").srv(
            f"_xmpp-client._tcp.{SILENT}", f"xmpp.{SILENT}", silent.port
        )
        with LoopbackDNS(zone) as dns:
            settings.PROBE_NAMESERVER = dns.nameserver
            settings.PROBE_ALLOW_NETWORKS = list(LOOPBACK)
            log = tmp_path / "worker.log"
            process = start_worker(log, dns.nameserver, str(prosody_rich.ca.path))
            try:
                good = submit(DOMAIN, jid=f"{USER}@{DOMAIN}", password=PASSWORD)
                good = wait_for(good, (ProbeRun.DONE, ProbeRun.FAILED), timeout=90)
                assert good.state == ProbeRun.DONE, good.error
                stuck = submit(SILENT, jid=f"{USER}@{SILENT}", password=PASSWORD)
                wait_for(stuck, (ProbeRun.RUNNING,))
                time.sleep(0.5)  # well into the run: the silent server holds every check
            finally:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
            stuck.refresh_from_db()
            assert stuck.state == ProbeRun.RUNNING
            assert stuck.secret is not None
            assert worker.reap(stale_after=STALE_AFTER) == 0  # not yet: it may still be running
            later = timezone.now() + timedelta(seconds=STALE_AFTER + 1)
            assert worker.reap(later, stale_after=STALE_AFTER) == 1
            stuck.refresh_from_db()
            assert (stuck.state, stuck.secret) == (ProbeRun.FAILED, None)
            assert stuck.error == "The worker was lost: the run did not end within its time limit."
            again = submit(SILENT)
            assert again.state == ProbeRun.QUEUED
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    kept = {
        "database": dump.getvalue().encode(),
        "broker": redis_dump() + broker_files(),
        "worker log": log.read_bytes(),
    }
    assert b"compliance.probe_run" in kept["worker log"]
    for where, data in kept.items():
        for value in forbidden(PASSWORD, USER):
            assert value not in data, f"the {where} holds the password ({value!r})"
