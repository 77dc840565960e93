"""Pages that run on the event loop and hand only their waiting back to it.

A page's handler is ordinary synchronous code. `run_page` runs it in a greenlet of its own on the event loop's
thread. Where the handler has to wait, it hands the waiting to the loop: `pause(seconds)` suspends the page for a
while (a busy SQLite file, tried again after it), `off_loop(fn, …)` suspends it while `fn` runs in the thread pool
(work that may block: a write that rebases and retries). The page resumes with the result or the exception, and the
loop goes on with the other requests meanwhile. Outside a page (a route in the thread pool, a background thread, a
test calling the context directly) `off_loop` simply calls `fn`.

What `off_loop` runs must take and give back its own database connection: a page never holds a pooled connection
while it is suspended (the pool could otherwise run dry with every holder waiting for the loop).
"""

from __future__ import annotations

import contextvars
import sys
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, ParamSpec, TypeVar, cast

import anyio.to_thread
import greenlet

P = ParamSpec("P")
T = TypeVar("T")


class _Page(greenlet.greenlet):  # type: ignore[misc]
    """The greenlet a page's handler runs in (how `off_loop` knows it is inside one)."""


async def run_page(handler: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run `handler` on the event loop, awaiting in between whatever it hands over through `off_loop`."""
    page = _Page(partial(handler, *args, **kwargs), greenlet.getcurrent())
    page.gr_context = contextvars.copy_context()  # the request's context variables, as a coroutine would see them
    handed = page.switch()
    while not page.dead:
        try:
            result = await cast(Awaitable[Any], handed)
        except BaseException:  # noqa: BLE001 - the handler's own call raises it (cancellation included)
            handed = page.throw(*sys.exc_info())
        else:
            handed = page.switch(result)
    return cast(T, handed)


def in_page() -> bool:
    """Whether this code runs in a page on the event loop (`run_page`)."""
    return isinstance(greenlet.getcurrent(), _Page)


def pause(seconds: float) -> None:
    """Let a page wait `seconds` on the event loop, which goes on with the other requests meanwhile."""
    current = greenlet.getcurrent()
    if not isinstance(current, _Page):
        raise RuntimeError("pause() is for pages on the event loop (run_page)")
    current.parent.switch(anyio.sleep(seconds))


def off_loop(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(*args, **kwargs)`, run in the thread pool when called from a page on the event loop."""
    current = greenlet.getcurrent()
    if not isinstance(current, _Page):
        return fn(*args, **kwargs)
    return cast(T, current.parent.switch(anyio.to_thread.run_sync(partial(fn, *args, **kwargs))))
