"""Hostile servers: each gives an error (or, for the certificate, a fail of the TLS check) with a
plain-language explanation, within its time bound, and the probe stops by itself.

Real sockets and TLS on loopback; no Prosody needed.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import io
import time

import pytest

from probes import cli
from probes.options import Options
from probes.runner import run_probe
from tests.servers import LOOPBACK, closed_port, hostile
from tests.servers.dns import LoopbackDNS, Zone
from tests.servers.pki import CertificateAuthority

ACCOUNT_CHECKS = ("rfc6121-roster", "xep0030-disco", "xep0280-carbons", "xep0045-muc", "xep0198-sm")
BOUND = 8.0  # seconds: connect 1.5 s per stage, so a whole hostile run must end well before


@pytest.fixture(scope="module")
def dns():
    with LoopbackDNS(Zone().address("probe.test", "127.0.0.1")) as server:
        yield server


def options(port: int, ca: CertificateAuthority, dns: LoopbackDNS, **extra) -> Options:
    return Options(
        domain="probe.test",
        jid="tester@probe.test",
        password="s3cret",
        host="127.0.0.1",
        port=port,
        ca_file=str(ca.path),
        nameserver=dns.nameserver,
        http_base=f"https://probe.test:{closed_port()}",
        allow_networks=LOOPBACK,
        connect_timeout=1.5,
        request_timeout=1.0,
        check_timeout=4.0,
        run_timeout=6.0,
        **extra,
    )


def run(behaviour, pki, dns, **extra):
    """The probe against a hostile server (a behaviour, or a HostileServer already serving): its
    outcomes, within BOUND, and nothing left behind that asyncio would complain about (a failed
    callback, an exception nobody retrieved)."""

    async def scenario(port: int):
        unhandled = []
        asyncio.get_running_loop().set_exception_handler(lambda loop, c: unhandled.append(c))
        report = await run_probe(options(port, pki, dns, **extra))
        gc.collect()
        return report, unhandled

    with contextlib.ExitStack() as stack:
        if not isinstance(behaviour, hostile.HostileServer):
            behaviour = stack.enter_context(hostile.HostileServer(behaviour))
        start = time.monotonic()
        report, unhandled = asyncio.run(scenario(behaviour.port))
        elapsed = time.monotonic() - start
    assert elapsed < BOUND
    assert unhandled == []
    return {o.check: o for o in report.outcomes}, report


def assert_error(outcome, kind: str, fragment: str) -> None:
    assert (outcome.outcome, outcome.error_kind) == ("error", kind), outcome.detail
    assert fragment in outcome.detail


def test_it_times_out_on_a_server_that_never_answers(pki, dns):
    outcomes, report = run(hostile.silent, pki, dns)
    expected = "The server did not answer after the stream header was sent within 1.5 s."
    assert_error(outcomes["rfc6120-stream"], "timeout", expected)
    for check in ACCOUNT_CHECKS:
        assert_error(
            outcomes[check], "timeout", f"Could not log in, so this was not tested: {expected}"
        )
    assert not report.reachable


def test_it_stops_a_server_that_streams_forever_at_the_stanza_cap(pki, dns):
    outcomes, report = run(hostile.endless, pki, dns)
    cap = "more than 524288 bytes without completing a stanza (the probe's stanza size cap)"
    assert_error(outcomes["rfc6120-stream"], "protocol", cap)
    assert_error(outcomes["xep0280-carbons"], "protocol", cap)
    assert report.reachable  # it did open a stream


@pytest.mark.parametrize("bomb", [hostile.entity_bomb, hostile.entity_bomb_utf16])
def test_it_refuses_an_entity_expansion_bomb(pki, dns, bomb):
    outcomes, _ = run(bomb, pki, dns)
    refused = "sent a DTD, comment or entity declaration, which XMPP forbids (RFC 6120 §11.1)"
    assert_error(outcomes["rfc6120-stream"], "protocol", refused)
    assert_error(outcomes["rfc6120-bind"], "protocol", refused)


def test_it_ends_a_stream_nested_too_deep_as_a_protocol_error(pki, dns):
    outcomes, _ = run(hostile.deeply_nested, pki, dns)
    too_deep = "The server nested elements more than 64 levels deep (the probe's limit)."
    assert_error(outcomes["rfc6120-stream"], "protocol", too_deep)
    assert_error(outcomes["xep0280-carbons"], "protocol", too_deep)


def test_it_reports_see_other_host_and_never_reconnects_by_itself(pki, dns):
    with hostile.HostileServer(hostile.see_other_host) as server:
        outcomes, _ = run(server, pki, dns, only=("rfc6120-stream", "rfc6120-sasl"))
        connections = len(server.writers)  # the main session's, and no other
    redirected = "closed the stream after the stream header was sent with the stream error "
    assert_error(outcomes["rfc6120-stream"], "protocol", redirected + "<see-other-host/>.")
    assert connections == 1


def test_it_fails_tls_and_stops_on_a_wrong_name_certificate(pki, dns):
    wrong = pki.issue("wrong", ["wrong.test"])
    outcomes, _ = run(hostile.starttls_then(hostile.features_then_silence, wrong), pki, dns)
    refused = "TLS: the certificate is not valid for probe.test: it names DNS:wrong.test."
    assert outcomes["rfc7590-tls"].outcome == "fail"
    assert outcomes["rfc7590-tls"].detail == refused
    assert outcomes["rfc6120-starttls"].outcome == "pass"  # negotiated; the name is RFC 7590's
    assert_error(outcomes["rfc6120-sasl"], "network", refused)
    for check in ACCOUNT_CHECKS:
        assert_error(
            outcomes[check], "network", f"Could not log in, so this was not tested: {refused}"
        )


@pytest.mark.parametrize(
    ("make_certificate", "reason"),
    [
        (lambda pki, other: other.issue("stranger", ["probe.test"]), "unable to get local issuer"),
        (
            lambda pki, other: pki.issue("old", ["probe.test"], expired=True),
            "certificate has expired",
        ),
    ],
)
def test_it_fails_tls_on_an_untrusted_or_expired_certificate(
    pki, dns, tmp_path, make_certificate, reason
):
    tmp_path.chmod(0o755)
    certificate = make_certificate(pki, CertificateAuthority(tmp_path, "Someone Else's CA"))
    outcomes, _ = run(hostile.starttls_then(hostile.features_then_silence, certificate), pki, dns)
    assert outcomes["rfc7590-tls"].outcome == "fail"
    assert "TLS: the certificate was not accepted:" in outcomes["rfc7590-tls"].detail
    assert reason in outcomes["rfc7590-tls"].detail
    assert outcomes["rfc6120-starttls"].outcome == "could_not_test"  # the probe aborted
    assert reason in outcomes["rfc6120-starttls"].detail
    assert_error(outcomes["xep0280-carbons"], "network", reason)


def test_it_reports_a_server_closing_during_sasl_as_a_network_error(pki, dns):
    right = pki.issue("right", ["probe.test"])
    outcomes, _ = run(hostile.starttls_then(hostile.close_during_sasl, right), pki, dns)
    closed = "The server closed the connection during SASL authentication."
    assert outcomes["rfc6120-stream"].outcome == "pass"
    assert outcomes["rfc6120-starttls"].outcome == "pass"
    assert outcomes["rfc7590-tls"].outcome == "pass"
    assert_error(outcomes["rfc6120-sasl"], "network", closed)
    assert_error(outcomes["xep0045-muc"], "network", closed)


def test_it_fails_sasl_offered_without_tls_and_never_authenticates_in_clear(pki, dns):
    received: list[bytes] = []
    outcomes, _ = run(hostile.sasl_without_tls(received), pki, dns)
    unusable = (
        "The server offered SASL without TLS (PLAIN, SCRAM-SHA-1); the probe authenticates "
        "over TLS only."
    )
    assert (outcomes["rfc6120-sasl"].outcome, outcomes["rfc6120-sasl"].detail) == (
        "fail",
        unusable,
    )
    assert outcomes["rfc6120-starttls"].detail == "The first stream features do not offer STARTTLS."
    for check in ACCOUNT_CHECKS:
        assert_error(
            outcomes[check], "protocol", f"Could not log in, so this was not tested: {unusable}"
        )
    assert not any(b"<auth" in data for data in received)


def test_it_exits_1_when_the_server_cannot_be_reached_at_all(pki, dns):
    stdout, stderr = io.StringIO(), io.StringIO()
    with hostile.HostileServer(hostile.silent) as server:
        args = cli_args(server.port, pki, dns)
        status = cli.run(args, environ={"PW": "s3cret"}, stdout=stdout, stderr=stderr)
    assert status == 1
    assert "no XMPP stream could be opened at all" in stderr.getvalue()
    assert "ERR   rfc6120-stream" in stdout.getvalue()


def cli_args(port, pki, dns):
    import argparse

    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    return parser.parse_args(
        [
            "probe.test",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--jid",
            "tester@probe.test",
            "--password-env",
            "PW",
            "--ca-file",
            str(pki.path),
            "--nameserver",
            dns.nameserver,
            "--http-base",
            f"https://probe.test:{closed_port()}",
            "--timeout",
            "4",
            "--check-timeout",
            "2",
            "--no-progress",
        ]
    )
