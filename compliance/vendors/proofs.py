"""The three proofs that a user maintains an entry, each checked on demand through the site's
guarded fetch helper (compliance/fetch.py: private addresses refused unless allowed by
OWNERSHIP_ALLOW_NETWORKS, OWNERSHIP_PROOF_TIMEOUT, 64 KiB at most):

- `well-known`: https://<homepage host>/.well-known/xmpp-compliance.txt holds the token on a line;
- `dns`: a TXT record `_xmpp-compliance.<homepage host>` is `xmpp-compliance=<token>`;
- `doap-file`: a file `xmpp-compliance.txt` in the directory of the entry's DOAP URL holds the
  token on a line (for projects whose homepage is a forge page: it proves write access to the
  repository).

The first two also prove that a user runs a probed server, on its domain instead of the homepage's
host (`host_location`, `check_at`: compliance/probing/ownership.py). Each failure says exactly
why, in words for the person who set the proof up.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from compliance.fetch import FetchFailed, fetch_body, lookup_txt
from compliance.models import Software
from probes.connect import is_ip_literal

WELL_KNOWN, DNS, DOAP_FILE = "well-known", "dns", "doap-file"
METHODS = {
    WELL_KNOWN: "a file on the homepage's host",
    DNS: "a DNS TXT record",
    DOAP_FILE: "a file beside the DOAP file",
}
MAX_BYTES = 64 * 1024
FILE_NAME = "xmpp-compliance.txt"


class ProofUnavailable(Exception):
    """This entry cannot be proven this way (no homepage, no DOAP URL, …); the message says why."""


@dataclass(frozen=True)
class ProofResult:
    method: str
    where: str
    ok: bool
    detail: str


def _homepage(software: Software):
    if not software.homepage:
        raise ProofUnavailable("The entry has no homepage to prove it by.")
    parts = urlsplit(software.homepage)
    if not parts.hostname:
        raise ProofUnavailable(f"The homepage {software.homepage!r} names no host.")
    return parts


def host_location(method: str, host: str) -> str:
    """Where a proof on a host (a name, with a port if not 443) is published: the well-known
    URL, or the DNS name of the TXT record. For entries (their homepage's host) and probed
    servers (their domain) alike."""
    if method == WELL_KNOWN:
        return f"https://{host}/.well-known/{FILE_NAME}"
    if method == DNS:
        name = urlsplit(f"//{host}").hostname or host
        if is_ip_literal(name):
            raise ProofUnavailable(f"{name} is an IP address: a DNS record needs a name.")
        return f"_xmpp-compliance.{name}"
    raise ValueError(f"Not a proof on a host: {method!r}.")


def location(method: str, software: Software) -> str:
    """Where the proof is to be published: a URL, or the DNS name of the TXT record."""
    if method in (WELL_KNOWN, DNS):
        return host_location(method, _homepage(software).netloc)
    if method == DOAP_FILE:
        if not software.doap_url:
            raise ProofUnavailable("The entry has no DOAP URL to put a file beside.")
        return urljoin(software.doap_url, FILE_NAME)
    raise ValueError(f"Unknown proof method {method!r}.")


def expected_txt(token: str) -> str:
    return f"xmpp-compliance={token}"


def _check_file(url: str, token: str) -> tuple[bool, str]:
    try:
        body = fetch_body(
            url,
            accept="text/plain",
            max_bytes=MAX_BYTES,
            timeout=settings.OWNERSHIP_PROOF_TIMEOUT,
            allow_networks=settings.OWNERSHIP_ALLOW_NETWORKS,
        )
    except FetchFailed as exc:
        return False, str(exc)
    lines = [line.strip() for line in body.decode("utf-8", "replace").splitlines()]
    if token in lines:
        return True, f"{url} holds the token."
    return False, (
        f"{url} was read ({len(lines)} lines) but no line is the token; put the token alone "
        "on a line of its own."
    )


def _check_dns(name: str, token: str) -> tuple[bool, str]:
    try:
        records = lookup_txt(name, timeout=settings.OWNERSHIP_PROOF_TIMEOUT)
    except FetchFailed as exc:
        return False, str(exc)
    wanted = expected_txt(token)
    if not records:
        return False, f"{name} has no TXT record; add one with the value {wanted!r}."
    if wanted in (record.strip() for record in records):
        return True, f"{name} has the TXT record {wanted!r}."
    return False, f"{name} has {len(records)} TXT record(s), but none is exactly {wanted!r}."


def check_at(method: str, where: str, token: str) -> ProofResult:
    """Check one proof now at its location (a URL, or the TXT record's name for DNS)."""
    ok, detail = _check_dns(where, token) if method == DNS else _check_file(where, token)
    return ProofResult(method, where, ok, detail)


def check(method: str, token: str, software: Software) -> ProofResult:
    """Check one proof now; ProofUnavailable when this entry cannot be proven that way."""
    return check_at(method, location(method, software), token)
