"""The probe's command line: `python -m probes DOMAIN ...` and `python manage.py probe DOMAIN ...`.

Progress goes to stderr (a bar on a terminal, one line per check otherwise), the report to stdout
(readable text, or JSON with --json). Exit status: 0 when the run completed, whatever the
outcomes; 2 on bad usage; 1 when no XMPP stream could be opened at all.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import logging
import math
import os
import re
import ssl
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO
from urllib.parse import urlsplit

from probes.addresses import parse_networks
from probes.connect.dns import split_nameserver
from probes.errors import UsageError
from probes.options import (
    CHECK_TIMEOUT,
    CONNECT_TIMEOUT,
    REQUEST_TIMEOUT,
    RUN_TIMEOUT,
    Options,
)
from probes.outcomes import Outcome
from probes.probe import Check
from probes.runner import run_probe, selected

ALLOW_ENV = "PROBE_ALLOW_NETWORKS"
DOMAIN = re.compile(r"^(?=.{1,253}$)([^\s./:@\\]{1,63}\.)*[^\s./:@\\]{1,63}$")


DESCRIPTION = (
    "Probe an XMPP server check by check: pass, fail, could-not-test or error per check, the "
    "outcome per spec, and verdicts per Compliance Suite year, category and server level."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("domain", help="the XMPP domain to probe, e.g. example.org")
    parser.add_argument("--host", help="connect to this host instead of the SRV targets")
    parser.add_argument("--port", type=int, help="connect to this port (STARTTLS)")
    parser.add_argument("--directtls-port", type=int, help="Direct TLS port (instead of SRV)")
    parser.add_argument("--http-base", help="web origin for host-meta, BOSH and WebSocket")
    parser.add_argument("--jid", help="a test account on the domain (use a dedicated one)")
    parser.add_argument(
        "--password-env", metavar="VAR", help="environment variable holding the account's password"
    )
    parser.add_argument("--ca-file", help="an extra CA certificate file to trust")
    parser.add_argument(
        "--nameserver", metavar="IP[:PORT]", help="resolve names with this DNS server"
    )
    parser.add_argument(
        "--allow-network",
        metavar="CIDR",
        nargs="+",
        action="extend",
        default=[],
        help="allow connections to these (private) networks",
    )
    parser.add_argument(
        "--check",
        metavar="ID",
        action="append",
        default=[],
        help="run only this check (repeatable)",
    )
    parser.add_argument("--timeout", type=float, default=RUN_TIMEOUT, help="limit for the run (s)")
    parser.add_argument(
        "--check-timeout", type=float, default=CHECK_TIMEOUT, help="limit for each check (s)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--evidence", action="store_true", help="show evidence in the text report")
    parser.add_argument("--no-progress", action="store_true", help="no progress on stderr")


def _port(value: int | None, name: str) -> int | None:
    if value is not None and not 0 < value < 65536:
        raise UsageError(f"{name} must be between 1 and 65535, not {value}.")
    return value


def options_from(
    args: argparse.Namespace, environ: Mapping[str, str], networks: Sequence[str] = ()
) -> Options:
    """Validated options, or UsageError saying what is wrong."""
    domain = args.domain.strip().lower().rstrip(".")
    if not DOMAIN.match(domain):
        raise UsageError(f"{args.domain!r} is not a domain name.")
    password = None
    if args.jid or args.password_env:
        if not (args.jid and args.password_env):
            raise UsageError("--jid and --password-env go together.")
        local, _, rest = args.jid.partition("@")
        if not local or rest.split("/")[0].lower() != domain:
            raise UsageError(f"--jid must be an account on {domain} (user@{domain}).")
        password = environ.get(args.password_env)
        if not password:
            raise UsageError(f"The environment variable {args.password_env} is not set.")
    if args.ca_file:
        try:  # that file alone: the run loads it with the system store (tls_context) off the loop
            ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=args.ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise UsageError(f"--ca-file {args.ca_file} is not a readable PEM file.") from exc
    if args.http_base:
        try:
            parts = urlsplit(args.http_base)
            usable = parts.scheme in ("http", "https") and bool(parts.hostname)
            _port(parts.port, "--http-base")  # ValueError for a port out of range, or not a number
        except ValueError:  # a malformed URL ('http://[::1/'), its port included
            usable = False
        if not usable:
            raise UsageError("--http-base must be an http(s) URL such as https://example.org.")
    if args.nameserver:
        try:
            address, port = split_nameserver(args.nameserver)
            ipaddress.ip_address(address)
            _port(port, "--nameserver")
        except ValueError as exc:
            raise UsageError(f"--nameserver {args.nameserver} is not an IP[:PORT].") from exc
    allowed = [*networks, *args.allow_network]
    try:
        parse_networks(allowed)
        only = tuple(args.check)
        selected(only)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    for name, value in (("--timeout", args.timeout), ("--check-timeout", args.check_timeout)):
        if not (math.isfinite(value) and value > 0):  # nan compares False with anything
            raise UsageError(f"Timeouts must be positive numbers of seconds: {name} {value:g}.")
    return Options(
        domain=domain,
        jid=args.jid,
        password=password,
        host=args.host,
        port=_port(args.port, "--port"),
        directtls_port=_port(args.directtls_port, "--directtls-port"),
        http_base=args.http_base,
        ca_file=args.ca_file,
        nameserver=args.nameserver,
        allow_networks=tuple(allowed),
        connect_timeout=min(CONNECT_TIMEOUT, args.check_timeout * 0.6),
        request_timeout=min(REQUEST_TIMEOUT, args.check_timeout * 0.5),
        check_timeout=min(args.check_timeout, args.timeout),
        run_timeout=args.timeout,
        only=only,
    )


class ProgressBar:
    """Progress on stderr: a redrawn bar on a terminal, one line per finished check otherwise."""

    def __init__(self, stream: TextIO, width: int = 24) -> None:
        self.stream, self.width = stream, width
        self.tty = stream.isatty()

    def __call__(self, done: int, total: int, check: Check, outcomes: list[Outcome]) -> None:
        result = "/".join(sorted({o.outcome for o in outcomes}))
        if self.tty:
            filled = self.width * done // max(total, 1)
            bar = "#" * filled + "-" * (self.width - filled)
            line = f"\r[{bar}] {done}/{total} {check.id}: {result}"
            self.stream.write(f"{line:<79}" + ("\n" if done == total else ""))
        else:
            self.stream.write(f"[{done}/{total}] {check.id}: {result}\n")
        self.stream.flush()


def evidence_text(outcomes: list[Outcome]) -> str:
    lines = []
    for outcome in outcomes:
        lines.append(f"== {outcome.check} ({outcome.entity}): {outcome.outcome}")
        lines += [f"  [{e.kind}] {e.text}" for e in outcome.evidence]
    return "\n".join(lines)


def run(
    args: argparse.Namespace,
    *,
    environ: Mapping[str, str],
    stdout: TextIO,
    stderr: TextIO,
    networks: Sequence[str] = (),
) -> int:
    """Run a probe from parsed arguments; the exit status."""
    # slixmpp logs what the report already says in words ("CERT: Invalid certificate trust
    # chain."): the user sees the outcomes, not the library's log lines.
    logging.getLogger("slixmpp").setLevel(logging.CRITICAL)
    setting = [n for n in environ.get(ALLOW_ENV, "").split(",") if n.strip()]
    options = options_from(args, environ, [*setting, *networks])
    progress = None if args.no_progress else ProgressBar(stderr)
    report = asyncio.run(run_probe(options, progress))
    if args.json:
        stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        stdout.write(report.as_text() + "\n")
        if args.evidence:
            stdout.write("\n" + evidence_text(report.outcomes) + "\n")
    if not report.reachable:
        stderr.write(f"{options.domain}: no XMPP stream could be opened at all.\n")
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m probes", description=DESCRIPTION)
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run(args, environ=os.environ, stdout=sys.stdout, stderr=sys.stderr)
    except UsageError as exc:
        parser.error(str(exc))  # exits with status 2
        raise  # unreachable
