"""Benchmark: full probes of the feature-rich test Prosody on loopback.

    .venv/bin/python bench/probe_run.py [--rounds 10] [--concurrent 20]

Starts Debian's Prosody with the tests' feature-rich configuration (tests/servers), a
DNS server on loopback and a test CA, like the integration tests. Then:
1. `--rounds` sequential full probes: wall time of each (median, min, max), and each check's
   median duration (checks run concurrently, so these overlap);
2. `--concurrent` probes at once in one event loop, each with its own account (two probes of one
   account would race on its vCard and bookmarks): wall time, and each probe's duration.
"""

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--concurrent", type=int, default=20)
    args = parser.parse_args()

    from probes.runner import run_probe
    from tests.servers.dns import LoopbackDNS
    from tests.servers.pki import CertificateAuthority
    from tests.servers.prosody import PASSWORD, Prosody, options_for, zone_for

    directory = Path(tempfile.mkdtemp(prefix="probe-bench-"))
    directory.chmod(0o755)
    server = Prosody(CertificateAuthority(directory), rich=True).start()
    try:
        accounts = [f"bench{i}" for i in range(args.concurrent)]
        for account in accounts:
            server.register(account, PASSWORD)
        with LoopbackDNS(zone_for(server)) as dns:
            options = options_for(server, dns)
            asyncio.run(run_probe(options))  # warm-up: imports, TLS contexts, Prosody caches

            walls, per_check = [], {}
            for _ in range(args.rounds):
                start = time.monotonic()
                report = asyncio.run(run_probe(options))
                walls.append(time.monotonic() - start)
                assert report.reachable, "the probe did not reach Prosody"
                for outcome in report.outcomes:
                    per_check.setdefault(outcome.check, []).append(outcome.duration_s)
            print(
                f"Full probe, {len(per_check)} checks, {args.rounds} rounds: median "
                f"{statistics.median(walls) * 1000:.0f} ms (min {min(walls) * 1000:.0f}, "
                f"max {max(walls) * 1000:.0f})"
            )
            print(f"\n{'check':<30}{'median ms':>10}")
            for check, durations in sorted(
                per_check.items(), key=lambda kv: -statistics.median(kv[1])
            ):
                print(f"{check:<30}{statistics.median(durations) * 1000:>10.0f}")

            async def many():
                probes = [
                    run_probe(options_for(server, dns, jid=f"{account}@probe.test"))
                    for account in accounts
                ]
                return await asyncio.gather(*probes)

            start = time.monotonic()
            reports = asyncio.run(many())
            wall = time.monotonic() - start
            durations = sorted(r.duration_s for r in reports)
            reference = {(o.check, o.entity.split("@")[-1], o.outcome) for o in report.outcomes}
            same = sum(
                {(o.check, o.entity.split("@")[-1], o.outcome) for o in r.outcomes} == reference
                for r in reports
            )
            print(
                f"\n{args.concurrent} concurrent probes: wall {wall * 1000:.0f} ms; per probe "
                f"median {statistics.median(durations) * 1000:.0f} ms, max "
                f"{durations[-1] * 1000:.0f} ms; {same}/{len(reports)} with the same outcomes "
                "as a probe alone"
            )
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
