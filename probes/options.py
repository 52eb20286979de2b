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
# Counts a server decides (disco#items, SRV records, addresses), capped so that a run stays within
# its time limit and its connections, requests and side effects stay few whatever it lists. Real
# deployments list a handful of each; the caps are well above that.
MAX_COMPONENTS = 50  # items of the domain's disco#items asked for their disco#info (at once)
MAX_SERVICES = 5  # services a per-component check tests (MUC, upload: per kind of service)
MAX_SRV_TARGETS = 10  # SRV targets looked up, in RFC 2782 order
MAX_ENDPOINTS = 10  # addresses one stream tries, over its SRV targets
MAX_CONNECTIONS = 30  # XMPP connection attempts in a whole run (a full run makes 6)


@dataclass(frozen=True)
class Options:
    """What one probe run is told (the command line's options, or the website's)."""

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
    max_components: int = MAX_COMPONENTS
    max_services: int = MAX_SERVICES
    max_srv_targets: int = MAX_SRV_TARGETS
    max_endpoints: int = MAX_ENDPOINTS
    max_connections: int = MAX_CONNECTIONS
    only: tuple[str, ...] = ()

    @property
    def has_account(self) -> bool:
        return bool(self.jid and self.password)

    @property
    def web_base(self) -> str:
        """Where host-meta and the conventional BOSH/WebSocket paths are looked for."""
        return (self.http_base or f"https://{self.domain}").rstrip("/")
