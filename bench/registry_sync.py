"""Benchmark: whole processes, start-up included (wall time, median of N rounds).

    .venv/bin/python bench/registry_sync.py [--rounds 5] [--shared ../shared] [--database-url URL]

1. one `manage.py import_doap` process importing the 13 files of ../shared/doap/ (first into
   an empty database, then again: every entry updated);
2. one `manage.py sync_registry` process syncing the registry of ../shared/registry/ from a
   loopback server on which every one of its 86 DOAP URLs answers (the 13 shared files; the 73
   others get one of them under the entry's own name), first into an empty database, then
   again (every file answered 304 Not Modified).

SQLite in a scratch folder, unless --database-url names a scratch PostgreSQL database (its
tables are dropped and remade each round: never point it at data you keep).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MANAGE = [sys.executable, str(ROOT / "manage.py")]


def run(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [*MANAGE, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    if done.returncode:
        sys.exit(f"{' '.join(args[:2])} failed: {done.stderr.decode()[-2000:]}")
    return time.perf_counter() - started


def fresh_database(env: dict[str, str]) -> None:
    if "DATABASE_URL" in env:
        run(["flush", "--no-input"], env)
    else:
        Path(env["VAR_DIR"], "db.sqlite3").unlink(missing_ok=True)
    run(["migrate", "--no-input", "-v", "0"], env)


def registry_files(shared: Path, base: str) -> dict:
    """path -> answer for the loopback server: the registry and a DOAP file for each entry."""
    from tests.compliance.registry.registry_site import SHARED_FILES, conditional

    entries = json.loads((shared / "registry" / "software.json").read_text(encoding="utf-8"))
    bodies = {name: (shared / "doap" / file).read_bytes() for name, file in SHARED_FILES.items()}
    names = sorted(bodies)
    files = {}
    for number, entry in enumerate(e for e in entries if e["doap"]):
        path = entry["doap"] if entry["doap"].startswith("/") else f"/doap/{number}.doap"
        if not entry["doap"].startswith("/"):
            entry["doap"] = base + path
        donor = entry["name"] if entry["name"] in bodies else names[number % len(names)]
        body = bodies[donor]
        if donor != entry["name"]:
            body = body.replace(
                f"<name>{donor}</name>".encode(), f"<name>{escape(entry['name'])}</name>".encode()
            )
        files.setdefault(path, conditional(body))
    files["/data/software.json"] = (200, json.dumps(entries).encode(), {})
    return files


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--database-url", help="a scratch PostgreSQL database")
    args = parser.parse_args()

    from tests.servers.http import ThreadedSite

    doap_files = sorted(str(path) for path in (args.shared / "doap").glob("*.doap"))
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as folder, ThreadedSite() as site:
        site.files.update(registry_files(args.shared, site.url))
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "REDIS_URL")
        }
        env |= {
            "VAR_DIR": folder,
            "DJANGO_SETTINGS_MODULE": "dashboard.settings",
            "DOAP_FETCH_ALLOW_NETWORKS": "127.0.0.0/8",
            "REGISTRY_DOAP_BASE": site.url,
        }
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
        sync = ["sync_registry", "--url", f"{site.url}/data/software.json", "--json"]
        for _ in range(args.rounds):
            fresh_database(env)
            times.setdefault("import_doap, 13 files, empty database", []).append(
                run(["import_doap", *doap_files, "--json"], env)
            )
            times.setdefault("import_doap, 13 files, again (updates)", []).append(
                run(["import_doap", *doap_files, "--json"], env)
            )
            fresh_database(env)
            times.setdefault("sync_registry, 86 DOAP URLs, empty database", []).append(
                run(sync, env)
            )
            times.setdefault("sync_registry, again (86 answers 304)", []).append(run(sync, env))
        run(["check"], env)
        times["manage.py check (start-up alone)"] = [
            run(["check"], env) for _ in range(args.rounds)
        ]
    print(f"{'process':<48}{'median s':>10}{'min s':>8}{'max s':>8}")
    for name, values in times.items():
        print(f"{name:<48}{statistics.median(values):>10.2f}{min(values):>8.2f}{max(values):>8.2f}")


if __name__ == "__main__":
    main()
