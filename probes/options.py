"""What a probe run is told: the domain, an optional test account, overrides and limits."""

from __future__ import annotations

from dataclasses import dataclass

# Prosody, ejabberd and Openfire answer within milliseconds; these bounds are for slow networks.
CONNECT_TIMEOUT = 10.0
REQUEST_TIMEOUT = 8.0
CHECK_TIMEOUT = 25.0
RUN_TIMEOUT = 90.0
MAX_STANZA_BYTES = 512 * 1024
MAX_HTTP_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Options:
    domain: str
    jid: str | None = None
    password: str | None = None
    host: str | None = None
    port: int | None = None
    directtls_port: int | None = None
    http_base: str | None = None
    ca_file: str | None = None
    nameserver: str | None = None
    allow_networks: tuple[str, ...] = ()
    connect_timeout: float = CONNECT_TIMEOUT
    request_timeout: float = REQUEST_TIMEOUT
    check_timeout: float = CHECK_TIMEOUT
    run_timeout: float = RUN_TIMEOUT
    max_stanza_bytes: int = MAX_STANZA_BYTES
    max_http_bytes: int = MAX_HTTP_BYTES
    only: tuple[str, ...] = ()

    @property
    def has_account(self) -> bool:
        return bool(self.jid and self.password)

    @property
    def web_base(self) -> str:
        """Where host-meta and the conventional BOSH/WebSocket paths are looked for."""
        return (self.http_base or f"https://{self.domain}").rstrip("/")
