"""Pages that run on the event loop and hand only their waiting back to it.

A page's handler is ordinary synchronous code. `run_page` runs it in a greenlet of its own on the event loop's
thread, with SQLAlchemy's bridge between synchronous code and asyncio (the one its asyncio extension runs on, so a
database driver's asyncio connection works from a page too). Where the handler has to wait, it hands the waiting to
the loop: `pause(seconds)` suspends the page for a while (a busy SQLite file, tried again after it), `off_loop(fn, …)`
suspends it while `fn` runs in the thread pool (work that may block: a write that rebases and retries). The page
resumes with the result or the exception, and the loop goes on with the other requests meanwhile. Outside a page (a
route in the thread pool, a background thread, a test calling the context directly) `off_loop` simply calls `fn`.

What `off_loop` runs must take and give back its own database connection: a page never holds a pooled connection
of a thread's engine while it is suspended (the pool could otherwise run dry with every holder waiting for the loop).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ParamSpec, TypeVar

import anyio
import anyio.to_thread
from sqlalchemy.util import await_, greenlet_spawn
from sqlalchemy.util.concurrency import in_greenlet

P = ParamSpec("P")
T = TypeVar("T")


async def run_page(handler: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run `handler` on the event loop, awaiting in between whatever it hands over (`pause`, `off_loop`, or a
    database driver's asyncio calls)."""
    return await greenlet_spawn(partial(handler, *args, **kwargs))


def in_page() -> bool:
    """Whether this code runs in a page on the event loop (`run_page`)."""
    return bool(in_greenlet())


def pause(seconds: float) -> None:
    """Let a page wait `seconds` on the event loop, which goes on with the other requests meanwhile."""
    if not in_page():
        raise RuntimeError("pause() is for pages on the event loop (run_page)")
    await_(anyio.sleep(seconds))


def off_loop(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(*args, **kwargs)`, run in the thread pool when called from a page on the event loop."""
    if not in_page():
        return fn(*args, **kwargs)
    return await_(anyio.to_thread.run_sync(partial(fn, *args, **kwargs)))
