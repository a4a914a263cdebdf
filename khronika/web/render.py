"""How a view answers: an HTML page or its JSON twin, and the one error shape.

A page is asked for as JSON by a `.json` suffix (`/people/p1.json`, `/.json` for the home
page) or by `Accept: application/json`. Every JSON error has the same shape:
`{"ok": false, "status": 404, "error": "…", "errors": ["…"]}`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from importlib import resources
from typing import Any
from urllib.parse import urlencode

import orjson
from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from khronika.privacy import min_cell
from khronika.web import i18n
from khronika.web.labels import said_of

__all__ = [
    "ORJSONResponse",
    "accepts_json",
    "error_body",
    "error_response",
    "lang_of",
    "make_templates",
    "page",
    "today",
    "today_of",
    "url_for_lang",
    "wants_json",
]


class ORJSONResponse(JSONResponse):
    """JSON serialised by orjson (UTF-8 kept, fast)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        """Serialise `content` as JSON bytes."""
        return orjson.dumps(content)


def make_templates() -> Environment:
    """Create the Jinja2 environment of the pages (autoescaped; translations per request)."""
    root = resources.files("khronika.web") / "templates"
    env = Environment(
        loader=FileSystemLoader(str(root)),
        autoescape=select_autoescape(["html", "xml"]),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.globals.update(
        _=i18n.gettext,
        ngettext=i18n.ngettext,
        LANGS=i18n.LANGS,
        language_name=i18n.language_name,
        partial=lambda text: i18n.format_partial(text, i18n.current_lang()),
        day=lambda d: i18n.format_day(d, i18n.current_lang()),
        num=lambda n: i18n.format_number(n, i18n.current_lang()),
        said_of=said_of,
        # The threshold below which a public breakdown says "fewer than N" (read per render:
        # settings are never cached).
        min_cell=min_cell,
    )
    return env


def lang_of(request: Request) -> str:
    """Return the language of a request (set by `khronika.web.app.PathConventions`)."""
    return getattr(request.state, "lang", i18n.DEFAULT_LANG)


def wants_json(request: Request) -> bool:
    """True when the request asks for the page's JSON twin."""
    return accepts_json(getattr(request.state, "json", False), request.headers.get("accept", ""))


def accepts_json(suffix: bool, accept: str) -> bool:
    """True for a `.json` suffix, or an Accept header asking for JSON rather than HTML."""
    return suffix or ("application/json" in accept and "text/html" not in accept)


def url_for_lang(request: Request, lang: str) -> str:
    """The current page in another language (the switch keeps path and query)."""
    path = getattr(request.state, "bare_path", request.url.path)
    query = f"?{request.url.query}" if request.url.query else ""
    return f"/{lang}{path if path != '/' else '/'}{query}"


def today(request: Request) -> date:
    """Today (UTC) for this request; tests fix it through `app.state.clock`."""
    return today_of(request.app.state)


def today_of(state: Any) -> date:
    """Today (UTC) for an app; tests fix it through `state.clock`."""
    clock = getattr(state, "clock", None)
    return clock() if clock else datetime.now(UTC).date()


def page(
    request: Request,
    template: str,
    data: dict[str, Any],
    *,
    context: dict[str, Any] | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Any:
    """Answer with the HTML page, or with `data` as JSON when the JSON twin is asked for.

    `data` is what both share (already through `khronika.privacy`); `context` holds what
    only the HTML needs (formatted labels, pagination links).
    """
    if wants_json(request):
        return ORJSONResponse({"ok": True, **data}, status_code=status, headers=headers)
    lang = lang_of(request)
    i18n.use_lang(lang)
    env: Environment = request.app.state.templates
    cat = request.app.state.catalogue.peek()  # the meta only: never waits for a build
    html = env.get_template(template).render(
        request=request,
        lang=lang,
        lang_url=lambda code: url_for_lang(request, code),
        u=lambda path, **q: link(lang, path, **q),
        synthetic=cat.synthetic,
        json_url=_json_url(request),
        user=getattr(request.state, "user", None),
        **data,
        **(context or {}),
    )
    return HTMLResponse(html, status_code=status, headers=headers)


def _json_url(request: Request) -> str:
    path = getattr(request.state, "bare_path", request.url.path)
    query = f"?{request.url.query}" if request.url.query else ""
    return ("/.json" if path == "/" else f"{path}.json") + query


def link(lang: str, path: str, **query: Any) -> str:
    """A link inside the site in `lang`, with the query parameters that are set."""
    q = {k: v for k, v in query.items() if v not in (None, "", [])}
    return f"/{lang}{path}" + (f"?{urlencode(q, doseq=True)}" if q else "")


def error_body(status: int, message: str, errors: list[str] | None = None) -> dict[str, Any]:
    """The one JSON error shape."""
    return {"ok": False, "status": status, "error": message, "errors": errors or [message]}


def error_response(
    request: Request, status: int, message: str, errors: list[str] | None = None
) -> Any:
    """Answer with an error: the JSON shape for machines, a page for people."""
    path = request.url.path
    # Feeds and exports are read by programs too: their errors are JSON like the API's.
    machine = path.startswith(("/api/", "/openapi", "/exports/", "/feed.atom")) or wants_json(
        request
    )
    if machine:
        return ORJSONResponse(error_body(status, message, errors), status_code=status)
    try:
        return page(
            request,
            "error.html",
            {"status": status, "error": message},
            status=status,
        )
    except Exception:  # the error page itself failed: answer plainly
        return HTMLResponse(f"<h1>{status}</h1>", status_code=status)
