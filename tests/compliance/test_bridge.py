"""The sync-async bridge: a coroutine's result, its errors, and progress handed back to the
calling thread, where the ORM works."""

import asyncio
import threading

import pytest

from compliance.bridge import run_async
from compliance.models import Software


async def count_to(n: int, *, progress=None) -> int:
    for i in range(1, n + 1):
        await asyncio.sleep(0)
        if progress is not None:
            await progress(i, n)
    return n


def test_it_returns_the_result_and_raises_the_error():
    assert run_async(count_to, 3) == 3

    async def broken():
        raise LookupError("gone")

    with pytest.raises(LookupError, match="gone"):
        run_async(broken)


@pytest.mark.django_db
def test_progress_runs_in_the_calling_thread_in_order_and_may_use_the_orm():
    caller = threading.get_ident()
    seen = []

    def record(done: int, total: int) -> None:
        assert threading.get_ident() == caller
        Software.objects.create(name=f"step {done}", slug=f"step-{done}", role="server")
        seen.append((done, total))

    assert run_async(count_to, 3, progress=record) == 3
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert Software.objects.count() == 3  # written on the test's own connection
