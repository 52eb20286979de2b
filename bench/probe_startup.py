"""Benchmark: the command line's start-up, from process start to its first connection attempt.

    .venv/bin/python bench/probe_startup.py [--rounds 20] [--stages]

Each round spawns two fresh interpreters in turn and times each from just before the spawn to
its first packet at a loopback listener (a DNS datagram or a TCP connection, whichever comes
first), then kills it:
(a) the baseline: `import slixmpp, aiohttp, dns.asyncresolver`, then one UDP datagram to the
    listener (the bare imports, and the cheapest possible first packet);
(b) `python -m probes probe.test --nameserver <the listener>`: the command line as a user runs
    it, whose first connection is a DNS query (the SRV lookups, the web origin's address).
The two alternate round by round, so that the noise of a shared machine falls on both; the
medians, their difference and the median of each round's difference (b - a) are printed. The
children run with their bytecode cached, as an installed checkout has it (written under a
temporary PYTHONPYCACHEPREFIX in a warm-up round, whatever PYTHONDONTWRITEBYTECODE says).
`--stages` also prints what each step of the start-up costs on its own, in a fresh interpreter.
"""

from __future__ import annotations

import argparse
import os
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE = (
    "import slixmpp, aiohttp, dns.asyncresolver, socket; "
    "socket.socket(type=socket.SOCK_DGRAM).sendto(b'x', ('127.0.0.1', {port}))"
)
STAGES = """
import time
t = [time.perf_counter()]
def lap(name):
    t.append(time.perf_counter())
    print(f"  {name:<46}{(t[-1] - t[-2]) * 1000:7.1f} ms")
import slixmpp, aiohttp, dns.asyncresolver; lap("import slixmpp, aiohttp, dns.asyncresolver")
import probes.cli; lap("import probes.cli (what it adds to those)")
import argparse
from probes.cli import add_arguments, options_from
parser = argparse.ArgumentParser(); add_arguments(parser)
options = options_from(parser.parse_args(["probe.test"]), {})
lap("options_from (the checks' registry)")
from probes.probe import Probe
probe = Probe(options); lap("Probe(options)")
from probes.connect.tls import tls_context
from probes.probe import TLS_KINDS
for kind in TLS_KINDS.values(): tls_context(**kind)
lap("its three TLS contexts, if not built yet")
import cryptography.x509; lap("cryptography.x509, if not loaded yet")
from suites.catalogue import suites; suites(); lap("the suites (YAML), if not loaded yet")
"""


def first_contact(
    command: list[str], env: dict[str, str], tcp: socket.socket, udp: socket.socket
) -> float:
    """Seconds from just before spawning command to its first datagram or TCP connection."""
    with selectors.DefaultSelector() as selector:
        selector.register(tcp, selectors.EVENT_READ)
        selector.register(udp, selectors.EVENT_READ)
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            ready = selector.select(timeout=30)
            elapsed = time.perf_counter() - start
            if not ready:
                raise RuntimeError(f"no packet within 30 s from {command}")
            return elapsed
        finally:
            process.kill()
            process.wait()


def listeners() -> tuple[socket.socket, socket.socket]:
    tcp = socket.socket()
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(64)
    udp = socket.socket(type=socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    return tcp, udp


def timed(make_command, env: dict[str, str]) -> float:
    tcp, udp = listeners()  # fresh ones: nothing left over from the previous process
    with tcp, udp:
        return first_contact(make_command(udp.getsockname()[1]), env, tcp, udp)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--stages", action="store_true")
    args = parser.parse_args()
    python = sys.executable

    def bare(port: int) -> list[str]:
        return [python, "-c", BARE.format(port=port)]

    def cli(port: int) -> list[str]:
        return [
            python,
            "-m",
            "probes",
            "probe.test",
            "--no-progress",
            "--nameserver",
            f"127.0.0.1:{port}",
        ]

    with tempfile.TemporaryDirectory(prefix="probe-startup-pyc-") as pycache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = pycache
        timed(bare, env), timed(cli, env)  # warm-up: the bytecode is written
        subprocess.run([python, "-c", STAGES], cwd=ROOT, env=env, check=True, capture_output=True)
        if args.stages:
            print("Stages, in a fresh interpreter:")
            subprocess.run([python, "-c", STAGES], cwd=ROOT, env=env, check=True)
            print()
        times: dict[str, list[float]] = {"bare": [], "cli": []}
        for _ in range(args.rounds):
            times["bare"].append(timed(bare, env))
            times["cli"].append(timed(cli, env))
    print(f"{args.rounds} rounds, ms from the spawn to the first packet: median (min-max)")
    names = {"bare": "(a) the bare imports", "cli": "(b) python -m probes DOMAIN"}
    for key, name in names.items():
        found = times[key]
        print(
            f"  {name:<30}{statistics.median(found) * 1000:6.0f}"
            f"   ({min(found) * 1000:.0f}-{max(found) * 1000:.0f})"
        )
    difference = statistics.median(times["cli"]) - statistics.median(times["bare"])
    paired = statistics.median(b - a for a, b in zip(times["bare"], times["cli"], strict=True))
    print(f"  {'(b) - (a), between the medians':<36}{difference * 1000:6.0f}")
    print(f"  {'(b) - (a), median over the rounds':<36}{paired * 1000:6.0f}")


if __name__ == "__main__":
    main()
