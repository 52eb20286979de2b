"""probes.connect.tls, offline: contexts are built once, and off the event loop for coroutines."""

from __future__ import annotations

import asyncio
import ssl
import threading
import time

import pytest

from probes.connect import tls


@pytest.fixture
def builds(monkeypatch):
    """No context built yet; each build is recorded (its thread) and takes 0.2 s."""
    monkeypatch.setattr(tls, "_CONTEXTS", {})
    made: list[str] = []

    def slow_build(ca_file, alpn, check_hostname):
        made.append(threading.current_thread().name)
        time.sleep(0.2)  # like loading the system store, without the GIL
        return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)

    monkeypatch.setattr(tls, "_build", slow_build)
    return made


def test_it_builds_a_context_once_for_every_coroutine_that_asks(builds):
    async def scenario():
        return await asyncio.gather(*(tls.load_tls_context(alpn=("x",)) for _ in range(5)))

    contexts = asyncio.run(scenario())
    assert len({id(context) for context in contexts}) == 1
    assert len(builds) == 1
    assert tls.tls_context(alpn=("x",)) is contexts[0]  # and the same for synchronous callers
    assert len(builds) == 1


def test_it_builds_contexts_off_the_event_loop(builds):
    async def scenario():
        ticks = 0

        async def ticker():
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        running = asyncio.create_task(ticker())
        await tls.load_tls_context()
        running.cancel()
        return ticks

    assert asyncio.run(scenario()) >= 10  # the loop went on during the 0.2 s build
    assert builds[0].startswith("tls-context")


def test_it_returns_a_context_built_already_without_a_thread(builds):
    tls.tls_context()

    async def scenario():
        return await tls.load_tls_context()

    assert asyncio.run(scenario()) is tls.tls_context()
    assert builds == ["MainThread"]
