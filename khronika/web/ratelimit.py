"""Rate limits of the public site and the API per client address (a token bucket each).

A scraper that enumerates ids or pages through every person at machine speed gets 429 with
`Retry-After`; a reader never notices. Each worker process keeps its own buckets (no shared
store to run), so with N workers an address may get up to N times the rate. Behind a proxy
every request comes from the proxy's address unless uvicorn is told to trust its headers.
The console is left out: it has its own login throttling, and analysts work in bursts.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

from khronika import settings
from khronika.web import i18n

__all__ = ["Buckets", "RateLimit"]

# Paths never limited: the stylesheet and icons of a page already counted, and the console.
_EXEMPT = ("/static/", "/console", *(f"/{lang}/console" for lang in i18n.LANGS))
# When this many addresses are tracked, the ones whose bucket is full again are forgotten.
_MAX_TRACKED = 50_000


class Buckets:
    """Token buckets by key: `capacity` requests at once, refilled at `rate` per second."""

    def __init__(
        self, rate: float, capacity: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate, self.capacity, self.clock = rate, capacity, clock
        self._state: dict[str, tuple[float, float]] = {}

    def take(self, key: str) -> float:
        """Spend one token of `key`'s bucket: 0 when allowed, else seconds until one is back."""
        now = self.clock()
        tokens, last = self._state.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        if tokens < 1:
            self._state[key] = (tokens, now)
            return (1 - tokens) / self.rate
        self._state[key] = (tokens - 1, now)
        if len(self._state) > _MAX_TRACKED:
            self._forget_full(now)
        return 0.0

    def _forget_full(self, now: float) -> None:
        full = [
            k
            for k, (t, last) in self._state.items()
            if t + (now - last) * self.rate >= self.capacity
        ]
        for k in full:
            del self._state[k]


class RateLimit:
    """ASGI middleware: 429 for an address over `KHRONIKA_WEB_RATE` requests a minute
    (bursts up to `KHRONIKA_WEB_RATE_BURST`); 0 turns it off."""

    def __init__(self, app: ASGIApp, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        per_minute = float(settings.get("KHRONIKA_WEB_RATE"))
        burst = float(settings.get("KHRONIKA_WEB_RATE_BURST"))
        self.buckets = Buckets(per_minute / 60, burst, clock=clock) if per_minute > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.buckets is None or scope["type"] != "http" or scope["path"].startswith(_EXEMPT):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.buckets.take(client[0] if client else "")
        if not wait:
            await self.app(scope, receive, send)
            return
        retry = str(max(1, math.ceil(wait)))
        message = f"too many requests from your address: try again in {retry} s"
        body = orjson.dumps({"ok": False, "status": 429, "error": message, "errors": [message]})
        await send(
            {
                "type": "http.response.start",
                "status": 429,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"retry-after", retry.encode()),
                    (b"cache-control", b"no-store"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
