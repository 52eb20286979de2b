"""TLS: the contexts every connection uses (system store plus an optional CA file, TLS 1.2 at
least) and the facts of a completed handshake."""

from __future__ import annotations

import datetime
import functools
import ssl
from dataclasses import dataclass
from typing import Any

from probes.certificates import certificate_expiry, certificate_names, names_match


@functools.lru_cache(maxsize=16)
def tls_context(
    ca_file: str | None = None, *, alpn: tuple[str, ...] = (), check_hostname: bool = True
) -> ssl.SSLContext:
    """The system trust store plus an optional CA file; TLS 1.2 at least (RFC 7590 §3.1).

    XMPP streams turn check_hostname off and match the certificate against the XMPP domain
    themselves (probes.certificates: DNS-ID, SRV-ID or XmppAddr); the chain is verified anyway.
    Contexts are shared (loading the system store takes ~50 ms); nothing modifies them later.
    """
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = check_hostname
    if alpn:
        context.set_alpn_protocols(list(alpn))
    return context


@dataclass(frozen=True)
class TlsFacts:
    version: str
    cipher: str
    alpn: str | None
    not_after: str
    days_left: int
    names: tuple[str, ...]
    name_matched: bool

    def as_text(self) -> str:
        return (
            f"{self.version}, cipher {self.cipher}, ALPN {self.alpn or 'none'}; certificate "
            f"for {', '.join(self.names) or 'no names'} (matches the domain: "
            f"{'yes' if self.name_matched else 'no'}), valid until {self.not_after} "
            f"({self.days_left} days left)"
        )


def tls_facts(ssl_object: Any, domain: str) -> TlsFacts:
    """What a completed handshake says: version, cipher, ALPN, certificate names and expiry."""
    der = ssl_object.getpeercert(binary_form=True)
    names = certificate_names(der)
    expiry = certificate_expiry(der)
    left = expiry - datetime.datetime.now(datetime.UTC)
    return TlsFacts(
        version=ssl_object.version() or "",
        cipher=(ssl_object.cipher() or ("",))[0],
        alpn=ssl_object.selected_alpn_protocol(),
        not_after=expiry.isoformat(timespec="seconds"),
        days_left=left.days,
        names=tuple(names.listed()),
        name_matched=names_match(names, domain),
    )
