"""probes.connect.http, offline: what is refused before any connection. Against real servers:
tests/probes/live/connect/."""

from __future__ import annotations

import asyncio

import pytest

from probes.connect.dns import Resolver
from probes.connect.http import http_request
from probes.errors import ProtocolError


def test_it_refuses_other_schemes():
    with pytest.raises(ProtocolError, match="Only http and https"):
        asyncio.run(
            http_request("GET", "file:///etc/passwd", resolver=Resolver(), timeout=1, max_bytes=10)
        )
