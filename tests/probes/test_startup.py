"""What the probes load, each in a fresh interpreter: the address policy (which the website's
system checks use) loads no network library, and the command line starts without what its first
connection does not need (the suites, cryptography, any TLS context). bench/probe_startup.py
times the start-up."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

LIBRARIES = ("slixmpp", "aiohttp", "dns", "cryptography", "yaml", "defusedxml")


def loaded_after(code: str) -> set[str]:
    """The LIBRARIES (top-level names) and project packages a fresh interpreter holds after code."""
    probe = (
        f"{code}\nimport sys\n"
        "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split()) & {*LIBRARIES, "suites"}


@pytest.mark.parametrize(
    "code",
    [
        "import probes.addresses",
        "import probes.errors",
        # dashboard/checks.py's imports: dnspython, for the nameserver setting, but nothing else
        "import probes.addresses\nfrom probes.connect import is_ip_literal, split_nameserver",
    ],
)
def test_it_imports_the_address_policy_without_aiohttp_or_slixmpp(code):
    assert loaded_after(code) <= {"dns"}


def test_it_starts_the_command_line_without_the_suites_cryptography_or_tls_contexts():
    code = (
        "import argparse\n"
        "from probes.cli import add_arguments, options_from\n"
        "from probes.probe import Probe\n"
        "from probes.connect import tls\n"
        "parser = argparse.ArgumentParser()\n"
        "add_arguments(parser)\n"
        "Probe(options_from(parser.parse_args(['example.org']), {}))\n"
        "assert not tls._CONTEXTS, tls._CONTEXTS\n"
    )
    assert loaded_after(code) == {"slixmpp", "aiohttp", "dns", "defusedxml"}


def test_it_loads_the_suites_when_a_report_is_judged():
    code = (
        "from probes.report import Report\n"
        "Report('example.org', None, {}, False, [], 0.0).verdicts()\n"
    )
    assert "suites" in loaded_after(code)
