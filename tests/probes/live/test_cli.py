"""The command line against a real Prosody on loopback: the documented JSON from `python -m
probes`, `python manage.py probe` with an explicit host, and exit status 1 when loopback is
refused."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from probes import cli
from tests.conftest import ROOT
from tests.servers import LOOPBACK
from tests.servers.prosody import DOMAIN, PASSWORD, USER


@pytest.mark.prosody
def test_it_prints_the_documented_json_with_python_m_probes(prosody_rich, dns_rich):
    argv = [
        sys.executable,
        "-m",
        "probes",
        DOMAIN,
        "--json",
        "--jid",
        f"{USER}@{DOMAIN}",
        "--password-env",
        "PROBE_TEST_PASSWORD",
        "--ca-file",
        str(prosody_rich.ca.path),
        "--nameserver",
        dns_rich.nameserver,
        "--http-base",
        prosody_rich.http_base,
        "--allow-network",
        *LOOPBACK,
    ]
    env = os.environ | {"PROBE_TEST_PASSWORD": PASSWORD}
    result = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["domain"] == DOMAIN
    assert report["software"] == {"name": "Prosody", "version": "0.12.3"}
    assert {"id", "specs", "outcome", "entity", "detail"} <= set(report["checks"][0])
    assert report["specs"]["XEP-0313"] == "pass"
    assert report["verdicts"]["2022"]["im"]["server"] == {
        "compliant": False,
        "missing": ["Server Extensibility"],
        "relies_on_partial": [],
    }
    assert report["duration_s"] < 5
    assert "[37/37]" in result.stderr  # progress, one line per check off a terminal
    assert PASSWORD not in result.stdout


@pytest.mark.prosody
def test_it_runs_through_manage_py_with_an_explicit_host(prosody_rich, dns_rich, monkeypatch):
    """--host counts as allowed: no --allow-network is needed for the XMPP connection."""
    monkeypatch.setenv("PROBE_TEST_PASSWORD", PASSWORD)
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "probe",
        DOMAIN,
        "--host",
        "127.0.0.1",
        "--port",
        str(prosody_rich.c2s_port),
        "--jid",
        f"{USER}@{DOMAIN}",
        "--password-env",
        "PROBE_TEST_PASSWORD",
        "--ca-file",
        str(prosody_rich.ca.path),
        "--nameserver",
        dns_rich.nameserver,
        "--check",
        "rfc6120-stream",
        "--check",
        "xep0280-carbons",
        "--evidence",
        stdout=out,
        stderr=err,
    )
    text = out.getvalue()
    assert "PASS  rfc6120-stream" in text
    assert "from --host/--port" in text
    assert "PASS  xep0280-carbons" in text
    assert "[sent]" in text  # --evidence
    assert "[2/2]" in err.getvalue()


@pytest.mark.prosody
def test_it_refuses_loopback_without_an_allowed_network_and_exits_1(prosody_rich, dns_rich):
    out, err = io.StringIO(), io.StringIO()
    parser = cli.argparse.ArgumentParser()
    cli.add_arguments(parser)
    args = parser.parse_args(
        [
            DOMAIN,
            "--nameserver",
            dns_rich.nameserver,
            "--no-progress",
            "--http-base",
            prosody_rich.http_base,
            "--json",
        ]
    )
    assert cli.run(args, environ={}, stdout=out, stderr=err) == 1
    checks = {c["id"]: c for c in json.loads(out.getvalue())["checks"]}
    assert checks["rfc6120-stream"]["outcome"] == "could_not_test"
    assert checks["rfc6120-stream"]["detail"].startswith("Refused to connect to xmpp.probe.test")
    assert checks["xep0156-host-meta"]["outcome"] == "could_not_test"
