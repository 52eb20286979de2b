"""A real HTTP server on loopback (aiohttp, 127.0.0.1, an ephemeral port), in two forms:

- `serve(routes, ssl_context=None)`, for asyncio tests: `async with serve([web.get(...)]) as
  site:` serves aiohttp routes on the running loop; `site.port` and `site.url` ('http://127.0.0.1:
  PORT', https with an ssl_context) say where;
- `ThreadedSite(files, ssl_context=None)`, for synchronous tests (Django's included):
  `with ThreadedSite() as site:`
  runs the same server in a thread of its own, answering each request from `site.files`, a dict
  of path (with its query) -> (status, body, headers); `redirect(location)` makes such an answer,
  HANG (a request read and never answered, until the server stops) and a callable
  (aiohttp request -> answer) may stand in its place; anything else is 404. `site.requests` lists
  the paths asked for, in order.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiohttp import web

Answer = tuple[int, bytes, dict[str, str]]  # status, body, headers
HANG = object()  # in ThreadedSite.files: read the request, never answer it
NOT_FOUND: Answer = (404, b"not found", {})


@dataclass(frozen=True)
class Site:
    """Where a loopback server listens."""

    port: int
    scheme: str = "http"

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"


@asynccontextmanager
async def serve(
    routes: Iterable[web.AbstractRouteDef], ssl_context: ssl.SSLContext | None = None
) -> AsyncIterator[Site]:
    """The routes served on 127.0.0.1 at an ephemeral port until the block ends."""
    app = web.Application()
    app.add_routes(routes)
    runner = web.AppRunner(app)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=ssl_context)
    await tcp.start()
    try:
        port = tcp._server.sockets[0].getsockname()[1]
        yield Site(port, "https" if ssl_context is not None else "http")
    finally:
        await runner.cleanup()


def redirect(location: str, status: int = 302) -> Answer:
    """An answer redirecting to location."""
    return status, b"", {"Location": location}


class ThreadedSite:
    """`serve()` in a thread with its own event loop, answering from `files` (see the module)."""

    def __init__(
        self,
        files: dict[str, Answer | object | Callable[[web.Request], Answer]] | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.files = dict(files or {})
        self.requests: list[str] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._served = serve([web.route("*", "/{tail:.*}", self._answer)], ssl_context)
        self._stopping: asyncio.Event | None = None
        self.site: Site | None = None

    @property
    def port(self) -> int:
        assert self.site is not None, "the server is not running"
        return self.site.port

    @property
    def url(self) -> str:
        assert self.site is not None, "the server is not running"
        return self.site.url

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(request.path_qs)
        answer = self.files.get(request.path_qs, NOT_FOUND)
        if answer is HANG:
            await self._stopping.wait()
            return web.Response(status=503)
        status, body, headers = answer(request) if callable(answer) else answer
        return web.Response(status=status, body=body, headers=headers)

    def _run(self, coroutine, timeout: float = 10.0):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def __enter__(self) -> ThreadedSite:
        self._thread.start()

        async def start() -> Site:
            self._stopping = asyncio.Event()
            return await self._served.__aenter__()

        self.site = self._run(start())
        return self

    def __exit__(self, *exc_info) -> None:
        async def stop() -> None:
            self._stopping.set()  # hanging requests end, so that the server stops at once
            await self._served.__aexit__(None, None, None)

        try:
            self._run(stop())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop.close()
