"""Real servers for the tests, run on loopback: a test CA, a DNS server, HTTP servers (asyncio and
threaded), Prosody and hostile XMPP servers.

Each module starts and stops its own servers; none is a fixture (the conftest.py files that need
them make fixtures of them).
"""

from __future__ import annotations

import socket

LOOPBACK = ("127.0.0.0/8", "::1/128")  # the networks to allow for probing these servers


def free_port() -> int:
    """A loopback port that was free a moment ago (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    return free_port()
