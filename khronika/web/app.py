"""The web app: `create_app(...)` builds it around one database.

    app = create_app(Database("sqlite:///khronika.db"))

Served by `khronika serve`; each worker process calls `app_from_env()` and opens the
database named by KHRONIKA_DB_URL.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, MutableMapping
from contextlib import asynccontextmanager
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

# The console's review queue decides pairs of every kind: import the areas declaring them.
import khronika.listwatch  # noqa: F401  (entry-person)
import khronika.media  # noqa: F401  (mention-person)
from khronika import __version__, settings
from khronika.errors import Conflict, InvalidValue, NotFound
from khronika.storage import Database, open_database
from khronika.web import i18n
from khronika.web.catalogue import CatalogueHolder
from khronika.web.offload import settle_catalogue
from khronika.web.pagecache import PageCache, page_key
from khronika.web.ratelimit import RateLimit
from khronika.web.render import accepts_json, error_response, make_templates, today_of
from khronika.web.routes import add_routes
from khronika.web.views.check import CheckHolder

__all__ = ["PathConventions", "app_from_env", "create_app"]

# Paths that never take a language prefix or a `.json` twin suffix.
_MACHINE = ("/api/", "/static/", "/exports/", "/openapi.json", "/feed.atom", "/-/", "/charts/")

# Pages served from the page cache (see khronika.web.pagecache.cached_page).
_CACHED = ("/people", "/figures")

_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    # A link out of a solidarity page must not tell the other site who was being read.
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
]


class PathConventions:
    """ASGI middleware for the URL conventions: language prefix, `.json` twin, headers.

    `/ru/people/p1` → `/people/p1` in Russian; `/people/p1.json` → `/people/p1` as JSON.
    Without a prefix the language comes from `?lang=`, then Accept-Language.
    """

    def __init__(self, app: ASGIApp, *, state: Any = None) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        state = scope.setdefault("state", {})
        lang = None
        head, _, rest = path[1:].partition("/")
        if head in i18n.LANGS:
            lang, path = head, "/" + rest
        if not path.startswith(_MACHINE) and path.endswith(".json"):
            path = path[: -len(".json")] or "/"
            if path.endswith("/") and path != "/":
                path = path.rstrip("/") or "/"
            state["json"] = True
        if lang is None:
            lang = _query_lang(scope) or i18n.negotiate(_header(scope, b"accept-language"))
        state["lang"] = lang
        i18n.use_lang(lang)  # messages made before rendering (errors, notices) use it too
        state["bare_path"] = path
        if path != scope["path"]:
            scope = dict(scope, path=path, raw_path=path.encode())
        if self.state is not None and not path.startswith("/static/"):
            # The catalogue's change check reads the database: done in a worker thread
            # when due, so that the cache's key and the views read memory only.
            await settle_catalogue(self.state.catalogue)
        cacheable = path == "/" or path.startswith(_CACHED)
        if scope["method"] == "GET" and cacheable and self.state is not None:
            # A cached public page is answered here, before routing: the busiest path.
            hit = self._cached(scope, path, lang, state.get("json", False))
            if hit is not None:
                headers = hit.raw_headers()
                await send_with_headers_for(send, lang)(
                    {"type": "http.response.start", "status": hit.status, "headers": headers}
                )
                await send({"type": "http.response.body", "body": hit.body})
                return

        await self.app(scope, receive, send_with_headers_for(send, lang))

    def _cached(self, scope: Scope, path: str, lang: str, suffix: bool) -> Any:
        holder = self.state.catalogue
        if not holder.complete:
            return None  # starting up: nothing is cached yet, and nothing may wait here
        # `generation` moved already if a change was seen (`settle_catalogue`, above).
        key = page_key(
            path,
            scope.get("query_string", b"").decode("latin-1"),
            lang,
            accepts_json(suffix, _header(scope, b"accept") or ""),
            today_of(self.state),
            holder.generation,
        )
        return self.state.page_cache.get(key)


def send_with_headers_for(send: Send, lang: str) -> Send:
    """Wrap `send` so every response carries the security headers and its language."""

    async def send_with_headers(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            names = {k.lower() for k, _ in headers}
            headers.extend(h for h in _SECURITY_HEADERS if h[0] not in names)
            if b"content-language" not in names:
                headers.append((b"content-language", lang.encode()))
            message = dict(message, headers=headers)
        await send(message)

    return send_with_headers


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers", ()):
        if k == name:
            return str(v.decode("latin-1"))
    return None


def _query_lang(scope: Scope) -> str | None:
    raw: bytes = scope.get("query_string", b"")
    qs = raw.decode("latin-1")
    for part in qs.split("&"):
        k, _, v = part.partition("=")
        if k == "lang" and v in i18n.LANGS:
            return v
    return None


def create_app(
    db: Database,
    *,
    data_dir: str | Path | None = None,
    clock: Callable[[], date] | None = None,
    refresh: float | None = None,
    background: bool = True,
) -> Any:
    """Build the web app around `db` (migrated).

    Args:
        db: the database.
        data_dir: where archived files live (default KHRONIKA_DATA_DIR).
        clock: returns today's date; tests fix it (default: the UTC date now).
        refresh: seconds between checks for changed data (default KHRONIKA_WEB_REFRESH).
        background: rebuild the catalogue and the lists check's index in a background thread
            (tests: in the request).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The catalogue, its search index and the lists check's index take seconds each at
        # 100k people and 20,000 list entries: built in a thread while the worker already
        # answers (person pages from the database), never inside a request.
        app.state.catalogue.after_first = app.state.check_index.get
        app.state.catalogue.start()
        yield

    app = FastAPI(
        title="khronika",
        version=__version__,
        description=(
            "Public data of a khronika registry: people documented as persecuted, what "
            "happened to them and the sources that say so. Only what may be published is "
            "served; every error has the shape {ok, status, error, errors}."
        ),
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.db = db
    app.state.data_dir = Path(data_dir or settings.get("KHRONIKA_DATA_DIR"))
    app.state.clock = clock
    app.state.templates = make_templates()
    # A serving worker keeps its first catalogue for the next one (`khronika.web.warm`).
    kept = app.state.data_dir / "cache" if background else None
    app.state.catalogue = CatalogueHolder(db, refresh=refresh, background=background, keep_in=kept)
    app.state.page_cache = PageCache()
    app.state.check_index = CheckHolder(db, background=background)
    add_routes(app)
    static = Path(str(_resource("static")))
    app.mount("/static", StaticFiles(directory=static), name="static")
    _add_error_handlers(app)
    app.add_middleware(PathConventions, state=app.state)
    # Outermost: an address over its limit costs no routing, no rendering, no database.
    app.add_middleware(RateLimit)
    return app


def _resource(name: str) -> Any:

    return resources.files("khronika.web") / name


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        message = str(exc.detail) if exc.detail else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = "not found"
        return error_response(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Any:
        errors = [
            f"{'.'.join(str(p) for p in e['loc'][1:]) or e['loc'][0]}: {e['msg']}"
            for e in exc.errors()
        ]
        return error_response(request, 400, "invalid request", errors)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Any:
        return error_response(request, 404, "not found")

    @app.exception_handler(InvalidValue)
    async def bad_value(request: Request, exc: InvalidValue) -> Any:
        return error_response(request, 400, str(exc))

    @app.exception_handler(Conflict)
    async def conflict(request: Request, exc: Conflict) -> Any:
        return error_response(request, 409, str(exc))


def app_from_env() -> Any:
    """Build the app for a server worker: the database from KHRONIKA_DB_URL."""
    db = open_database()
    db.require_current()
    return create_app(db)
