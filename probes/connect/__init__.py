"""Every connection a probe (or a fetch of the website) opens goes through here.

- `probes.connect.dns`: one resolver for every name (SRV targets, A/AAAA, hosts in HTTP and
  WebSocket URLs), optionally from a given nameserver, guarded by the NetworkPolicy;
- `probes.connect.http`: HTTP exchanges, every redirect hop checked anew, bodies capped;
- `probes.connect.websocket`: WebSocket (RFC 7395) over the same guarded connections;
- `probes.connect.tls`: TLS contexts (system store plus an optional CA file) and handshake facts;
- `probes.connect.xmpp`: a domain's XMPP endpoints and the connection of a ProbeClient to one.

Every address passes the NetworkPolicy before anything is sent (for HTTP and WebSocket at the
socket itself, so that no spelling of a URL's host escapes it); every operation is bounded in
time and size; failures are the exceptions of probes.errors, in words, with URLs redacted.

The public names are re-exported here for callers outside probes/ (the website's fetch and system
checks), each loaded from its submodule when first asked for: `from probes.connect import
is_ip_literal` loads dnspython, not aiohttp and slixmpp (`websocket()` is not among them: the
name is its submodule's). Modules of probes/ import them from their submodule.
"""

import importlib

EXPORTS = {
    "Endpoint": "probes.connect.xmpp",
    "HttpResponse": "probes.connect.http",
    "Resolver": "probes.connect.dns",
    "SrvTarget": "probes.connect.dns",
    "TlsFacts": "probes.connect.tls",
    "WebSocket": "probes.connect.websocket",
    "http_request": "probes.connect.http",
    "is_ip_literal": "probes.connect.dns",
    "open_xmpp": "probes.connect.xmpp",
    "split_nameserver": "probes.connect.dns",
    "tls_context": "probes.connect.tls",
    "tls_facts": "probes.connect.tls",
    "xmpp_endpoints": "probes.connect.xmpp",
}
__all__ = sorted(EXPORTS)


def __getattr__(name: str):
    if name not in EXPORTS:
        raise AttributeError(f"module 'probes.connect' has no attribute {name!r}")
    return getattr(importlib.import_module(EXPORTS[name]), name)
