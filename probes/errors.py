"""Every exception of the probes, in one place; each says what happened in words.

- the network: a NetworkError (NetworkTimeout: a time bound; NoEndpoint: DNS names no server;
  NothingListens: every address of a web origin refused the connection; TlsFailure: the TLS
  handshake or the certificate; probes.stream.StreamClosed, also slixmpp's own error: sending on
  a closed stream) is never a protocol verdict (the web checks read NothingListens at every
  origin they tried as a server that offers no such endpoint: probes.web.nothing_listens);
- policy: AddressRefused, a connection refused before anything was sent;
- the server: a ProtocolError is what a server should not have handed out or answered (malformed
  XML or URL, a redirect loop or from https to http; SaslUnusable: no SASL mechanism the probe
  may use), a StanzaError an error stanza answering a request, ResponseTooLarge a response over
  its size cap, UpgradeRefused an HTTP answer to a WebSocket handshake;
- the test: CouldNotTest (the reason the test cannot be made), AuthenticationFailed (the test
  account's credentials were refused);
- the command line: UsageError.

URLs in their messages are redacted by whoever raises them. This module imports no library
(probes.addresses, which the website's system checks use, raises AddressRefused).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from probes.connect.tls import TlsFacts


class NetworkError(Exception):
    """The network failed: no such name, connection refused or reset, TLS handshake failure."""


class NetworkTimeout(NetworkError):
    """An operation did not finish within its time bound."""


class NoEndpoint(NetworkError):
    """DNS names no server for the service (and there is no fallback)."""


class NothingListens(NetworkError):
    """An HTTP or WebSocket URL's origin refused the connection on every address (ECONNREFUSED:
    nothing listens on that port); `origin` is scheme://host[:port]."""

    def __init__(self, message: str, origin: str) -> None:
        super().__init__(message)
        self.origin = origin


class TlsFailure(NetworkError):
    """The TLS handshake failed or the certificate was not accepted (chain, expiry or name)."""

    def __init__(self, message: str, facts: TlsFacts | None = None) -> None:
        super().__init__(message)
        self.facts = facts


class AddressRefused(Exception):
    """A connection was refused by policy before anything was sent."""


class ResponseTooLarge(Exception):
    """A response exceeded its size cap."""


class UpgradeRefused(Exception):
    """An HTTP server answered a WebSocket handshake with something other than 101 (a redirect
    included: it is not followed, as browsers do not follow one either)."""

    def __init__(self, url: str, status: int) -> None:
        super().__init__(f"{url} answered HTTP {status} instead of switching to WebSocket.")
        self.url, self.status = url, status


class ProtocolError(Exception):
    """The server broke the protocol (malformed XML, a forbidden DTD, an oversized stanza...)."""


class SaslUnusable(ProtocolError):
    """No SASL mechanism the probe may use was offered: none of SCRAM and PLAIN, or no TLS."""


class StanzaError(Exception):
    """The server answered a request with an error stanza."""

    def __init__(self, condition: str, error_type: str = "", text: str = "", xml: str = ""):
        self.condition, self.error_type, self.text, self.xml = condition, error_type, text, xml
        self.request = "a request"  # what was asked, in words (set by whoever sent it)
        super().__init__(f"{condition}" + (f" ({text})" if text else ""))


class CouldNotTest(Exception):
    """Raised inside a check when the test cannot be made; the message is the reason."""


class AuthenticationFailed(Exception):
    """The server refused the test account's credentials (SASL <failure/>)."""


class UsageError(ValueError):
    """Bad command-line usage: reported with exit status 2."""
