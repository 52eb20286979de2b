"""The one bridge from synchronous Django code to the asyncio code of probes/.

The ORM must not be called inside a running event loop (it raises SynchronousOnlyOperation),
and probes/ is asyncio throughout. `run_async` runs a coroutine function to completion on an
event loop of its own and hands each progress report back to the calling thread, where the
callback may use the ORM; the coroutine waits for each callback to finish before it goes on, so
reports arrive in order and none is lost.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from asgiref.sync import async_to_sync, sync_to_async

T = TypeVar("T")


def run_async(
    function: Callable[..., Awaitable[T]],
    /,
    *args: Any,
    progress: Callable[..., None] | None = None,
    **kwargs: Any,
) -> T:
    """function(*args, **kwargs) awaited from synchronous code; with `progress`, the coroutine
    gets `progress=` an async callable that runs progress(...) in the calling thread."""
    if progress is not None:
        kwargs["progress"] = sync_to_async(progress, thread_sensitive=True)
    return async_to_sync(function)(*args, **kwargs)
