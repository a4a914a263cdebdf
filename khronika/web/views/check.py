"""`/check`: is my channel, my chat, my nickname or my name on an official list?

The form posts (the query is in the body, never in a URL a proxy logs); the answer says on
which list, which entry, since when (the first snapshot that had it, and the list's own
date), and what such a listing means. Nothing about the query is kept: no log line, no
cookie, no cache entry (`cache-control: no-store`), no table. It answers from the official
lists only (`khronika.listwatch.check`), never from the registry. It works without
JavaScript.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from khronika.errors import NotFound
from khronika.listwatch.check import CheckIndex, build_index, check, index_version
from khronika.listwatch.feed import render_feed
from khronika.listwatch.figures import CHART_SIZES, list_chart, list_figures
from khronika.listwatch.figures import MEDIA as MEDIA_ORDER
from khronika.storage import Database
from khronika.web import i18n
from khronika.web.labels import label
from khronika.web.render import lang_of, page, wants_json
from khronika.web.routing import Route

__all__ = [
    "ROUTES",
    "CheckHolder",
    "check_answer",
    "check_form",
    "list_feed",
    "list_figures_chart",
    "list_page",
]

#: Queries answered in one request (one per line).
MAX_QUERIES = 20
#: Characters of one query (a URL, a title or a name is shorter).
MAX_QUERY = 300
_NO_STORE = {"cache-control": "no-store"}


class CheckHolder:
    """The check index of one worker, rebuilt when a list has a new snapshot.

    A rebuild takes seconds at 20,000 entries, so by default it runs in a background
    thread while requests keep answering from the previous index (the official lists as
    they were a moment ago; the page names each list's snapshot day). Only the first index
    is built in the caller, at the app's start.
    """

    def __init__(self, db: Database, *, background: bool = True) -> None:
        self.db = db
        self.background = background
        self._index: CheckIndex | None = None
        self._lock = threading.Lock()
        self._builder: threading.Thread | None = None

    def get(self) -> CheckIndex:
        """The current index (one cheap query says whether it is still current)."""
        version = index_version(self.db)
        index = self._index
        if index is not None and index.version == version:
            return index
        with self._lock:
            if self._index is None or not self.background:
                if self._index is None or self._index.version != version:
                    self._index = build_index(self.db)
                return self._index
            if self._builder is None or not self._builder.is_alive():
                self._builder = threading.Thread(target=self._rebuild, daemon=True)
                self._builder.start()
            return self._index

    def settle(self, timeout: float | None = None) -> None:
        """Wait for a rebuild under way to finish (for tests and orderly shutdown)."""
        builder = self._builder
        if builder is not None:
            builder.join(timeout)

    def _rebuild(self) -> None:
        # A snapshot imported while this runs moves the version again: the next `get`
        # sees it and starts another build.
        index = build_index(self.db)
        with self._lock:
            self._index = index


def _holder(request: Request) -> CheckHolder:
    holder: CheckHolder = request.app.state.check_index  # made by create_app
    return holder


# Every view here reads the database (the index's version, a list's figures or feed) or
# searches the index: plain `def`, run in FastAPI's thread pool, so that a request waiting
# for the index build holds up no other. Only reading the posted form is async.


def check_form(request: Request) -> Any:
    """The form, and which lists the check searches."""
    index = _holder(request).get()
    data = {"lists": _lists(index), "answers": None}
    return page(request, "check.html", data, context={"text": ""}, headers=_NO_STORE)


async def check_answer(request: Request) -> Any:
    """Answer the posted queries (field `q`, one per line)."""
    form = await request.form()
    raw = form.get("q")
    text = raw if isinstance(raw, str) else ""
    queries = [q.strip()[:MAX_QUERY] for q in text.splitlines() if q.strip()][:MAX_QUERIES]
    return await run_in_threadpool(_answer, request, text, queries)


def _answer(request: Request, text: str, queries: list[str]) -> Any:
    """The page answering `queries` (in a worker thread: the index may be being built)."""
    index = _holder(request).get()
    answers = check(index, queries)
    for answer in answers:
        for hit in answer["hits"]:
            hit["list_title"] = index.lists.get(hit["list"], hit["list"])
    data = {"lists": _lists(index), "answers": answers}
    return page(request, "check.html", data, context={"text": text}, headers=_NO_STORE)


def _lists(index: CheckIndex) -> list[dict[str, Any]]:
    """The lists searched, each with the day of its latest snapshot."""
    out = []
    for list_id, snapshot in index.version:
        # A snapshot id starts with its time: `20260120…` is 2026-01-20.
        day = f"{snapshot[:4]}-{snapshot[4:6]}-{snapshot[6:8]}"
        out.append({"id": list_id, "title": index.lists.get(list_id, list_id), "updated": day})
    return out


#: Snapshot changes in a list's feed.
FEED_SIZE = 20


def list_feed(request: Request, list_id: str) -> Any:
    """Atom feed of one official list's changes (added, removed, changed; no birth dates)."""
    try:
        xml = render_feed(request.app.state.db, list_id, limit=FEED_SIZE)
    except NotFound:
        raise HTTPException(404, "not found") from None
    return Response(xml, media_type="application/atom+xml")


def _served(
    request: Request, list_id: str, what: str, render: Callable[[dict[str, Any], str], Any]
) -> Any:
    """One official list's figures (every one public) drawn by `render(figures, title)`,
    or 404; kept in the page cache until the list has a new snapshot."""
    index = _holder(request).get()
    lang = lang_of(request)
    snapshot = dict(index.version).get(list_id)
    key = ("list", what, list_id, snapshot, lang, wants_json(request))
    cache = request.app.state.page_cache
    hit = cache.get(key)
    if hit is not None:
        return hit.response()
    try:
        figures = list_figures(request.app.state.db, list_id)
    except NotFound:
        raise HTTPException(404, "not found") from None
    i18n.use_lang(lang)
    response = render(figures, index.lists.get(list_id, list_id))
    cache.put(key, response)
    return response


def list_page(request: Request, list_id: str) -> Any:
    """One official list: entries in each snapshot and additions per month, by medium."""

    def render(figures: dict[str, Any], title: str) -> Any:
        shown = [m for m in MEDIA_ORDER if any(m in s["by_medium"] for s in figures["snapshots"])]
        context = {"media": shown, "medium": lambda code: label("medium", code)}
        return page(request, "list.html", {"title": title, **figures}, context=context)

    return _served(request, list_id, "page", render)


def list_figures_chart(request: Request, list_id: str) -> Any:
    """The additions per month of one list, stacked by medium, as SVG; `?size=phone` draws it
    for a phone's width (the page offers it there)."""
    size = request.query_params.get("size", "desktop")
    if size not in CHART_SIZES:
        raise HTTPException(404, "not found")

    def render(figures: dict[str, Any], title: str) -> Any:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "list.svg"
            list_chart(
                figures,
                path,
                title=i18n.gettext("%(list)s: entries added per month") % {"list": title},
                label=lambda code: label("medium", code),
                ylabel=i18n.gettext("entries added"),
                size=size,
            )
            return Response(path.read_bytes(), media_type="image/svg+xml")

    return _served(request, list_id, f"chart-{size}", render)


ROUTES = [
    Route("/lists/{list_id}/feed.atom", list_feed, "list_feed"),
    Route("/lists/{list_id}/figures.svg", list_figures_chart, "list_figures_chart"),
    Route("/lists/{list_id}", list_page, "list_page"),
    Route("/check", check_form, "check"),
    Route("/check", check_answer, "check_answer", methods=("POST",)),
]
