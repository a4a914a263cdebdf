"""Rendered pages kept per worker, keyed by what they depend on (and the data generation).

A person page depends on the person, the language, HTML or JSON, today's date (days in
custody) and the data; the key holds all of them, the data as the catalogue's
`generation`, which moves as soon as a change is seen. So a cached page never outlives
the data it shows by more than the change check's interval (KHRONIKA_WEB_REFRESH).
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from starlette.responses import Response

from khronika.web.offload import call_view, catalogue_of
from khronika.web.render import lang_of, today, wants_json

__all__ = ["CachedPage", "PageCache", "cached_page", "page_key"]


@dataclass(frozen=True, slots=True)
class CachedPage:
    """A response's status, body and headers."""

    status: int
    body: bytes
    media_type: str | None
    headers: tuple[tuple[str, str], ...]

    def raw_headers(self) -> list[tuple[bytes, bytes]]:
        """The headers as an ASGI response start message lists them."""
        return [(k.encode("latin-1"), v.encode("latin-1")) for k, v in self.headers] + [
            (b"content-length", str(len(self.body)).encode())
        ]

    def response(self) -> Response:
        """A fresh response with the cached content."""
        return Response(
            self.body,
            status_code=self.status,
            media_type=self.media_type,
            headers=dict(self.headers),
        )


class PageCache:
    """A bounded least-recently-used cache of responses."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._pages: OrderedDict[Hashable, CachedPage] = OrderedDict()
        self._lock = threading.Lock()
        #: Pages being rendered now, by key (on the worker's event loop): a request for one
        #: waits for that render instead of rendering the same page again.
        self.rendering: dict[Hashable, asyncio.Future[CachedPage | None]] = {}

    def get(self, key: Hashable) -> CachedPage | None:
        """Return the cached page for `key`, or None."""
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: Hashable, response: Any) -> CachedPage | None:
        """Keep a rendered response (only complete bodies: never a stream); return what
        was kept, or None."""
        body = getattr(response, "body", None)
        if not isinstance(body, bytes):
            return None
        headers = tuple(
            (k, v) for k, v in response.headers.items() if k.lower() not in ("content-length",)
        )
        page = CachedPage(response.status_code, body, response.media_type, headers)
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)
        return page


def page_key(
    path: str, query: str, lang: str, as_json: bool, today: Any, generation: int
) -> Hashable:
    """The cache key of a public page: everything its content depends on."""
    return (path, query, lang, as_json, today, generation)


def cached_page(view: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    """Serve a public page from the worker's cache while the data has not changed.

    The key is the path, query, language, HTML or JSON, today's date and the catalogue's
    generation. Only public pages may use it (the console never does). A plain `def`
    view is rendered in a worker thread, off the event loop, as FastAPI would run it.
    """

    @wraps(view)
    async def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
        holder = request.app.state.catalogue
        if not holder.complete:
            # Starting up: the page is not kept (it may be read from the database, not
            # from the catalogue the key's generation names).
            return await call_view(view, request, *args, serial=False, **kwargs)
        # Notices changes (moving `generation`) at most every few seconds, in a thread.
        await catalogue_of(holder)
        key = page_key(
            request.url.path,
            request.url.query,
            lang_of(request),
            wants_json(request),
            today(request),
            holder.generation,
        )
        cache: PageCache = request.app.state.page_cache
        hit = cache.get(key)
        if hit is not None:
            return hit.response()
        # After each change every popular page is missed at once by many clients: the
        # first renders it, the others wait for that page (rendering it N times over
        # would share the worker's one interpreter N ways and make each N times slower).
        rendering = cache.rendering.get(key)
        if rendering is not None:
            page = await asyncio.shield(rendering)
            if page is not None:
                return page.response()
            return await call_view(view, request, *args, **kwargs)  # that render failed
        rendering = asyncio.get_running_loop().create_future()
        cache.rendering[key] = rendering
        kept: CachedPage | None = None
        try:
            response = await call_view(view, request, *args, **kwargs)
            kept = cache.put(key, response)
            return response
        finally:
            del cache.rendering[key]
            rendering.set_result(kept)

    return wrapper
