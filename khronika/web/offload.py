"""Blocking work kept off the event loop: the catalogue's change check, and sync views.

A worker answers every request on one event loop: a view that queries the database,
builds an index or draws a chart there holds up every other request of the worker
(p99 of seconds under load). So views that do such work are plain `def` (FastAPI runs
them in its thread pool), async views hand the blocking part to `run_in_threadpool`,
and what stays on the loop only reads memory. The one catch is the catalogue: its `get`
is cheap, except every KHRONIKA_WEB_REFRESH seconds, when it checks the database for
changes and reads what changed (seconds after a large import); `catalogue_of` and
`settle_catalogue` do that part in a worker thread.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from functools import wraps
from typing import Any

from starlette.concurrency import run_in_threadpool

from khronika.web.catalogue import Catalogue, CatalogueHolder

__all__ = ["call_view", "catalogue_of", "one_at_a_time", "settle_catalogue"]


async def catalogue_of(holder: CatalogueHolder) -> Catalogue:
    """The catalogue, for the event loop: `holder.get()` in a worker thread when it would
    read the database (the first build, a change check), else here (a memory read)."""
    if holder.check_due:
        return await run_in_threadpool(holder.get)
    return holder.get()


async def settle_catalogue(holder: CatalogueHolder) -> None:
    """Run a due change check in a worker thread, so that what the request reads next
    (`get`, `peek`, the page cache's generation) is a memory read.

    Never waits for the first build: while a worker starts up this does nothing.
    """
    if holder.complete and holder.check_due:
        await run_in_threadpool(holder.get)


#: Held while a page renders in a worker thread: one render at a time per worker.
_RENDERING = threading.Lock()


def one_at_a_time(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run a plain `def` view's work one call at a time in this worker.

    A page rendered from the catalogue is pure Python: several at once in threads share
    the one interpreter lock, each slower by as many, and the event loop waits for the
    lock behind all of them (measured at 100k people under load: half the requests and
    twice the p99 of rendering on the loop). One at a time, a render runs at full speed,
    the others wait without holding the lock, and the loop goes on answering.
    """

    @wraps(view)
    def serially(*args: Any, **kwargs: Any) -> Any:
        with _RENDERING:
            return view(*args, **kwargs)

    return serially


async def call_view(
    view: Callable[..., Any], *args: Any, serial: bool = True, **kwargs: Any
) -> Any:
    """Call a view from the event loop: an async one awaited, a plain `def` one in a
    worker thread (as FastAPI would), one render at a time (`one_at_a_time`) unless
    `serial` is False (at start-up, when a view may wait for the first catalogue and
    must not hold up the person pages read from the database meanwhile)."""
    if inspect.iscoroutinefunction(view):
        return await view(*args, **kwargs)
    return await run_in_threadpool(one_at_a_time(view) if serial else view, *args, **kwargs)
