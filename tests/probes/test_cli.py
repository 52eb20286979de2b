"""The command line, offline: usage errors exit 2 (through `python manage.py probe` too), and the
progress bar. The report itself, against Prosody: tests/probes/live/test_cli.py."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from probes import cli
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["exa mple.org"], "is not a domain name"),
        (["https://example.org"], "is not a domain name"),
        (["example.org", "--jid", "a@example.org"], "--jid and --password-env go together"),
        (["example.org", "--jid", "a@other.org", "--password-env", "PW"], "an account on example"),
        (["example.org", "--jid", "a@example.org", "--password-env", "UNSET_VAR_XYZ"], "not set"),
        (["example.org", "--allow-network", "localhost"], "does not appear to be"),
        (["example.org", "--nameserver", "dns.example"], "is not an IP[:PORT]"),
        (["example.org", "--port", "70000"], "between 1 and 65535"),
        (["example.org", "--http-base", "ftp://x"], "must be an http(s) URL"),
        (["example.org", "--ca-file", "/nonexistent.pem"], "is not a readable PEM file"),
        (["example.org", "--ca-file", __file__], "is not a readable PEM file"),
        (["example.org", "--check", "xep9999-nope"], "Unknown check ids: xep9999-nope"),
        (["example.org", "--timeout", "0"], "Timeouts must be positive"),
    ],
)
def test_it_exits_2_on_bad_usage(argv, message, capsys, monkeypatch):
    monkeypatch.setenv("PW", "x")
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_it_exits_2_on_bad_usage_through_manage_py():
    with pytest.raises(CommandError, match="is not a domain name") as error:
        call_command("probe", "bad domain!")
    assert error.value.returncode == 2


def test_it_exits_2_when_argparse_refuses_through_manage_py():
    result = subprocess.run(
        [sys.executable, "manage.py", "probe", "example.org", "--port", "x"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "invalid int value" in result.stderr


def test_it_draws_a_progress_bar_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    bar = cli.ProgressBar(stream, width=10)
    check = cli.Check("xep0280-carbons", ("XEP-0280",), "Carbons", None)
    outcome = cli.Outcome("xep0280-carbons", ("XEP-0280",), "pass", "example.org", "ok")
    bar(1, 2, check, [outcome])
    bar(2, 2, check, [outcome])
    lines = stream.getvalue().split("\r")
    assert lines[1].startswith("[#####-----] 1/2 xep0280-carbons: pass")
    assert lines[2].startswith("[##########] 2/2 xep0280-carbons: pass")
    assert stream.getvalue().endswith("\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--timeout", "nan"], "Timeouts must be positive numbers of seconds: --timeout nan."),
        (["--timeout", "inf"], "Timeouts must be positive numbers of seconds: --timeout inf."),
        (["--timeout=-inf"], "Timeouts must be positive numbers of seconds: --timeout -inf."),
        (["--timeout", "-5"], "Timeouts must be positive numbers of seconds: --timeout -5."),
        (["--check-timeout", "nan"], "positive numbers of seconds: --check-timeout nan."),
        (["--check-timeout", "inf"], "positive numbers of seconds: --check-timeout inf."),
        (["--check-timeout", "-1"], "positive numbers of seconds: --check-timeout -1."),
        (["--check-timeout", "0"], "positive numbers of seconds: --check-timeout 0."),
        (["--http-base", "http://[::1/"], "--http-base must be an http(s) URL"),
        (["--http-base", "https://example.org:99999"], "--http-base must be an http(s) URL"),
        (["--http-base", "https://example.org:port"], "--http-base must be an http(s) URL"),
    ],
)
def test_it_exits_2_with_one_line_on_bad_numbers_and_malformed_urls(
    argv, message, capsys, monkeypatch
):
    def no_probe(*args, **kwargs):
        raise AssertionError("the usage error let a probe start")

    monkeypatch.setattr(cli, "run_probe", no_probe)
    with pytest.raises(SystemExit) as exited:
        cli.main(["example.org", "--no-progress", *argv])
    assert exited.value.code == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("usage: python -m probes")  # argparse's usage, then one line
    assert lines[-1].startswith("python -m probes: error: ")
    assert message in lines[-1]
    assert not [line for line in lines if "Traceback" in line or "Error" in line]
