"""WebSocket (RFC 7395) through the same guarded connections as HTTP; a handshake answered
without upgrading (a redirect included: it is not followed) is UpgradeRefused."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp

from probes.connect.dns import Resolver
from probes.connect.http import (
    REDIRECT_STATUSES,
    check_url,
    guarded_connector,
    network_error,
)
from probes.errors import NetworkError, NetworkTimeout, UpgradeRefused
from probes.evidence import redact_urls


class WebSocket:
    """A WebSocket opened by `websocket()`: text frames in and out, each read bounded in time
    (`url`, redacted, is for messages)."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, url: str) -> None:
        self._ws, self.url = ws, url
        self.protocol = ws.protocol

    async def send(self, text: str) -> None:
        await self._ws.send_str(text)

    async def receive(self, timeout: float) -> str:
        try:
            message = await self._ws.receive(timeout=timeout)
        except TimeoutError as exc:
            message = f"No WebSocket frame from {self.url} within {timeout:g} s."
            raise NetworkTimeout(message) from exc
        if message.type == aiohttp.WSMsgType.TEXT:
            return message.data
        if message.type == aiohttp.WSMsgType.ERROR:
            raise NetworkError(f"The WebSocket at {self.url} failed: {message.data}")
        if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            raise NetworkError(f"The WebSocket at {self.url} was closed by the server.")
        raise NetworkError(f"The WebSocket at {self.url} sent a {message.type.name} frame.")


@asynccontextmanager
async def websocket(
    url: str,
    *,
    resolver: Resolver,
    timeout: float,
    max_bytes: int,
    protocols: tuple[str, ...] = ("xmpp",),
    ssl_context: ssl.SSLContext | None = None,
) -> AsyncIterator[WebSocket]:
    """A WebSocket to a guarded address; UpgradeRefused when HTTP answers without upgrading."""
    parsed = check_url(url, ("ws", "wss"))
    shown = redact_urls(url)

    async def no_redirects(request: aiohttp.ClientRequest, handler) -> aiohttp.ClientResponse:
        response = await handler(request)
        if response.status in REDIRECT_STATUSES:
            response.close()
            raise UpgradeRefused(shown, response.status)
        return response

    session = aiohttp.ClientSession(
        connector=guarded_connector(resolver, ssl_context),
        trust_env=False,
        middlewares=(no_redirects,),
    )
    async with session:
        try:
            async with asyncio.timeout(timeout):
                ws = await session.ws_connect(
                    url, protocols=protocols, max_msg_size=max_bytes, autoping=False
                )
        except TimeoutError as exc:
            message = f"No WebSocket handshake with {shown} within {timeout:g} s."
            raise NetworkTimeout(message) from exc
        except aiohttp.WSServerHandshakeError as exc:
            raise UpgradeRefused(shown, exc.status) from exc
        except aiohttp.ClientError as exc:
            raise network_error(url.replace("ws", "http", 1), exc, parsed) from exc
        try:
            yield WebSocket(ws, shown)
        finally:
            try:
                async with asyncio.timeout(1):
                    await ws.close()
            except (TimeoutError, aiohttp.ClientError):
                pass
