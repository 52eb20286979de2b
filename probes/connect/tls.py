"""TLS: the contexts every connection uses (system store plus an optional CA file, TLS 1.2 at
least) and the facts of a completed handshake."""

from __future__ import annotations

import asyncio
import datetime
import functools
import os
import ssl
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

_CONTEXTS: dict[tuple, ssl.SSLContext] = {}  # every context built, by its arguments


def _new_builders() -> None:
    """One build at a time: a thread asking for the context being built waits for it rather
    than building it again; coroutines have theirs built in one thread (load_tls_context). Made
    anew in a forked child, which has neither that thread nor the lock's holder."""
    global _BUILDING, _BUILDER
    _BUILDING = threading.Lock()
    _BUILDER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tls-context")


_new_builders()
os.register_at_fork(after_in_child=_new_builders)


def tls_context(
    ca_file: str | None = None, *, alpn: tuple[str, ...] = (), check_hostname: bool = True
) -> ssl.SSLContext:
    """The system trust store plus an optional CA file; TLS 1.2 at least (RFC 7590 §3.1).

    XMPP streams turn check_hostname off and match the certificate against the XMPP domain
    themselves (probes.certificates: DNS-ID, SRV-ID or XmppAddr); the chain is verified anyway.
    Contexts are shared, built once per process (loading the system store takes ~50 ms); nothing
    modifies them later. Safe to call from any thread; a context built already is returned at
    once, without waiting for another one being built.
    """
    key = (ca_file, tuple(alpn), check_hostname)
    context = _CONTEXTS.get(key)
    if context is None:
        with _BUILDING:
            context = _CONTEXTS.get(key) or _CONTEXTS.setdefault(key, _build(*key))
    return context


def load_tls_context(
    ca_file: str | None = None, *, alpn: tuple[str, ...] = (), check_hostname: bool = True
) -> asyncio.Future[ssl.SSLContext]:
    """tls_context for the running event loop, as a future: one built already at once, one not
    built yet queued now, in the order asked for, to the one thread that builds them (a thread
    per context stalls the loop more than the builds do), while the loop goes on, so that a
    run's first DNS queries and connections wait for none; OpenSSL reads the system store
    without holding the GIL."""
    loop = asyncio.get_running_loop()
    context = _CONTEXTS.get((ca_file, tuple(alpn), check_hostname))
    if context is not None:
        built = loop.create_future()
        built.set_result(context)
        return built
    build = functools.partial(tls_context, ca_file, alpn=alpn, check_hostname=check_hostname)
    return loop.run_in_executor(_BUILDER, build)


def _build(ca_file: str | None, alpn: tuple[str, ...], check_hostname: bool) -> ssl.SSLContext:
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
    """What a completed TLS handshake said (tls_facts)."""

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
    # cryptography (~40 ms to import) is loaded at the first handshake, not at start-up.
    from probes.certificates import certificate_expiry, certificate_names, names_match

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
