"""The Core checks' decisions where the probe opens real connections: fake streams for XMPP, and a
real DNS server on loopback (tests/servers)."""

from __future__ import annotations

from probes.checks import xep0368_directtls
from tests.probes.fakes import LOGIN, FakeServer, one
from tests.servers.dns import LoopbackDNS, Zone


def test_it_reports_direct_tls_srv_targets_that_do_not_resolve_as_a_network_error():
    zone = Zone().srv("_xmpps-client._tcp.example.org", "xmpp.example.org", 5223)

    def real_sessions(probe, session):
        del probe.open_session  # the Probe's own, resolving through the loopback DNS

    with LoopbackDNS(zone) as dns:
        outcome = one(
            xep0368_directtls.CHECK, FakeServer(), LOGIN, real_sessions, nameserver=dns.nameserver
        )
    assert (outcome.outcome, outcome.error_kind) == ("error", "network")
    assert outcome.detail.endswith(
        "xmpp.example.org: The name xmpp.example.org does not resolve to any address."
    )
