"""XMPP endpoints: `xmpp_endpoints` turns a domain (SRV `_xmpp-client._tcp` /
`_xmpps-client._tcp` in RFC 2782 order, else the domain on 5222, or an explicit host and port)
into checked addresses, and `open_xmpp` connects a probes.stream.ProbeClient to one of them, with
STARTTLS or Direct TLS (ALPN `xmpp-client`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from probes.connect.dns import Resolver
from probes.errors import AddressRefused, NetworkError, NoEndpoint

XMPP_CLIENT_PORT = 5222
MAX_SRV_TARGETS = 10  # the defaults of probes.options, for callers without Options
MAX_ENDPOINTS = 10


@dataclass(frozen=True)
class Endpoint:
    """One checked address to open an XMPP stream to."""

    host: str
    port: int
    address: str
    direct_tls: bool
    source: str

    def __str__(self) -> str:
        mode = "Direct TLS" if self.direct_tls else "STARTTLS"
        return f"{self.host}:{self.port} ({self.address}, {mode}, from {self.source})"


async def xmpp_endpoints(
    resolver: Resolver,
    domain: str,
    *,
    direct_tls: bool,
    host: str | None = None,
    port: int | None = None,
    max_targets: int = MAX_SRV_TARGETS,
    max_endpoints: int = MAX_ENDPOINTS,
) -> tuple[list[Endpoint], list[str]]:
    """Addresses to try in order, and notes on how they were found (for the evidence).

    An explicit host and/or port wins; otherwise SRV `_xmpp-client._tcp` (STARTTLS) or
    `_xmpps-client._tcp` (Direct TLS), then, without any record and for STARTTLS only, the
    domain itself on 5222 (a lone "." target says the service is decidedly not available: RFC
    2782). Without any address: NoEndpoint when there is no target, AddressRefused when the
    policy refused them, else the NetworkError (or NetworkTimeout) of their lookups.

    Bounded whatever DNS says: the first max_targets SRV targets are looked up (the notes count
    the records skipped) and at most max_endpoints addresses are returned.
    """
    service = "xmpps-client" if direct_tls else "xmpp-client"
    notes: list[str] = []
    if host or port:
        targets = [(host or domain, port or XMPP_CLIENT_PORT, "--host/--port")]
    else:
        records = await resolver.srv(service, domain)
        if [r.host for r in records] == ["."]:
            message = f"SRV _{service}._tcp.{domain}: '.' (decidedly not available)"
            raise NoEndpoint(f"No address to connect to: {message}.")
        kept = records[:max_targets]
        listed = ", ".join(
            f"{r.host}:{r.port} (priority {r.priority}, weight {r.weight})" for r in kept
        )
        if len(records) > len(kept):
            listed += (
                f"; {len(records) - len(kept)} more records skipped (the probe tries at most "
                f"{max_targets} targets)"
            )
        notes.append(f"SRV _{service}._tcp.{domain}: {listed or 'no record'}")
        targets = [(r.host, r.port, f"SRV _{service}._tcp") for r in kept]
        if not targets and not direct_tls:
            targets = [(domain, XMPP_CLIENT_PORT, "the domain on port 5222 (no SRV record)")]
    endpoints: list[Endpoint] = []
    refusals: list[AddressRefused] = []
    failures: list[NetworkError] = []
    for index, (name, target_port, source) in enumerate(targets):
        if len(endpoints) >= max_endpoints:
            left = len(targets) - index
            notes.append(
                f"{left} more target{'s' if left > 1 else ''} not looked up: the probe tries at "
                f"most {max_endpoints} addresses."
            )
            break
        try:
            addresses = await resolver.allowed_addresses(name)
        except AddressRefused as exc:
            notes.append(str(exc))
            refusals.append(exc)
            continue
        except NetworkError as exc:
            notes.append(f"{name}: {exc}")
            failures.append(exc)
            continue
        room = max_endpoints - len(endpoints)
        more = f" ({len(addresses) - room} more not tried)" if len(addresses) > room else ""
        notes.append(f"{name} -> {', '.join(addresses[:room])}{more}")
        endpoints += [Endpoint(name, target_port, a, direct_tls, source) for a in addresses[:room]]
    if not endpoints:
        if refusals:
            raise refusals[0]
        found = "; ".join(note.rstrip(".") for note in notes)
        kind = type(failures[0]) if failures else NoEndpoint  # a lookup failed, or no target
        raise kind(f"No address to connect to: {found}.")
    return endpoints, notes


async def open_xmpp(
    client: Any, endpoint: Endpoint, timeout: float, stated: float | None = None
) -> None:
    """Connect a ProbeClient to a checked endpoint; returns once TCP (and Direct TLS) is up.

    Raises NetworkError, TlsFailure or NetworkTimeout; the client never retries by itself.
    """
    client.enable_direct_tls = endpoint.direct_tls
    client.enable_starttls = not endpoint.direct_tls
    client.connect(endpoint.address, endpoint.port)
    await client.milestone("connected", timeout, stated)
