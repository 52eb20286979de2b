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

The public names are re-exported here for callers outside probes/ (the website's fetch);
modules of probes/ import them from their submodule.
"""

from probes.connect.dns import Resolver, SrvTarget, is_ip_literal, split_nameserver
from probes.connect.http import HttpResponse, http_request
from probes.connect.tls import TlsFacts, tls_context, tls_facts
from probes.connect.websocket import WebSocket, websocket
from probes.connect.xmpp import Endpoint, open_xmpp, xmpp_endpoints

__all__ = [
    "Endpoint",
    "HttpResponse",
    "Resolver",
    "SrvTarget",
    "TlsFacts",
    "WebSocket",
    "http_request",
    "is_ip_literal",
    "open_xmpp",
    "split_nameserver",
    "tls_context",
    "tls_facts",
    "websocket",
    "xmpp_endpoints",
]
