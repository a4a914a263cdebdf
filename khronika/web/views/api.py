"""The JSON API under `/api/v1/`: people, events, sources, search, figures.

Lists are paginated (`page`, `size` ≤ 200) and say `total` and `next`; every error has
the one shape. Everything comes from the public catalogue or through `khronika.privacy`.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool

from khronika.errors import ImportRejected
from khronika.interchange import import_records, read_ndjson
from khronika.web import auth
from khronika.web.catalogue import Card
from khronika.web.offload import catalogue_of, one_at_a_time
from khronika.web.render import ORJSONResponse, error_body, lang_of, today
from khronika.web.views import people as people_views

__all__ = [
    "api_event",
    "api_events",
    "api_import",
    "api_meta",
    "api_people",
    "api_person",
    "api_search",
    "api_source",
    "api_sources",
]

MAX_SIZE = 200


@dataclass(frozen=True, slots=True)
class Paging:
    """Which page of a list to answer, and how many items a page."""

    page: int
    size: int


def paging(
    page: int = Query(1, ge=1, le=100_000), size: int = Query(50, ge=1, le=MAX_SIZE)
) -> Paging:
    """Read a list's `page` and `size` from the query string (a FastAPI dependency)."""
    return Paging(page, size)


#: The `page` and `size` parameters of a list (the default of a view's `Paging` argument).
PAGING = Depends(paging)


def _paged(
    request: Request,
    items: Sequence[Any],
    paging: Paging,
    *,
    shown: Callable[[Any], Any] | None = None,
    **query: Any,
) -> Any:
    """Answer one page of `items` (each passed through `shown` when given: only the page's
    items are converted), with the totals and the next page's link."""
    page, size = paging.page, paging.size
    total = len(items)
    pages = max(1, math.ceil(total / size))
    chunk = items[(page - 1) * size : page * size]
    body: dict[str, Any] = {
        "ok": True,
        "total": total,
        "page": page,
        "size": size,
        "pages": pages,
        "items": [shown(i) for i in chunk] if shown else list(chunk),
    }
    if page < pages:
        q = {k: v for k, v in query.items() if v not in (None, "")}
        q.update(page=page + 1, size=size)
        body["next"] = f"{request.url.path}?{urlencode(q)}"
    return ORJSONResponse(body)


# Views that go through the whole catalogue (search, filters, every card or event) are plain
# `def`: FastAPI runs them in its thread pool, so the event loop goes on answering. Those
# that read one entry stay on the loop.


@one_at_a_time
def api_people(
    request: Request,
    filters: people_views.Filters = people_views.GALLERY_FILTERS,
    page: Paging = PAGING,
) -> Any:
    """Public people, searched and filtered like the gallery."""
    cards, shown = _cards(request, filters)
    return _paged(request, cards, page, shown=shown, **asdict(filters))


def _cards(
    request: Request, filters: people_views.Filters
) -> tuple[Sequence[Card], Callable[[Card], dict[str, Any]]]:
    """The public cards `filters` select (in a worker thread), and how the API shows one
    (applied only to the cards answered: at 100k people, not to every card)."""
    cat = request.app.state.catalogue.get()
    lang, on = lang_of(request), today(request)
    cards = people_views.select_cards(request, cat, filters)
    return cards, lambda c: people_views.card_json(c, lang, on)


async def api_person(request: Request, person_id: str) -> Any:
    """One public person with their public events and sources."""
    request.state.json = True
    return await people_views.person(request, person_id)


@one_at_a_time
def api_search(
    request: Request,
    q: str = Query(..., min_length=1, max_length=200, description="Name, in any script."),
    size: int = Query(20, ge=1, le=MAX_SIZE),
) -> Any:
    """Find public people by name (cross-script when the name matcher is installed)."""
    cards, shown = _cards(request, people_views.Filters(q=q))
    items = [shown(c) for c in cards[:size]]
    return ORJSONResponse({"ok": True, "query": q, "total": len(cards), "items": items})


def api_events(
    request: Request,
    person: str | None = Query(None, max_length=200),
    kind: str | None = Query(None, max_length=40),
    page: Paging = PAGING,
) -> Any:
    """Public events, newest recorded first."""
    cat = request.app.state.catalogue.get()
    items = [
        e
        for e in cat.events
        if (person is None or e["person"] == person) and (kind is None or e["kind"] == kind)
    ]
    return _paged(request, items, page, person=person, kind=kind)


def api_event(request: Request, event_id: str) -> Any:
    """One public event."""
    cat = request.app.state.catalogue.get()  # a pass over every event: in a worker thread
    for e in cat.events:
        if e["id"] == event_id:
            return ORJSONResponse({"ok": True, "event": e})
    raise HTTPException(404, "not found")


def api_sources(
    request: Request,
    page: Paging = PAGING,
) -> Any:
    """Public sources, by id."""
    cat = request.app.state.catalogue.get()
    items = [cat.sources[k] for k in sorted(cat.sources)]
    return _paged(request, items, page)


async def api_source(request: Request, source_id: str) -> Any:
    """One public source."""
    cat = await catalogue_of(request.app.state.catalogue)
    s = cat.sources.get(source_id)
    if s is None:
        raise HTTPException(404, "not found")
    return ORJSONResponse({"ok": True, "source": s})


async def api_meta(request: Request) -> Any:
    """What this dataset is, and how many people it counts (named or not)."""
    cat = await catalogue_of(request.app.state.catalogue)
    total = sum(cat.counts.values())
    return ORJSONResponse(
        {
            "ok": True,
            "meta": cat.meta,
            "synthetic": cat.synthetic,
            "people": {"total": total, "named": len(cat.cards)},
        }
    )


MAX_IMPORT_BYTES = 64 * 1024 * 1024


async def api_import(request: Request) -> Any:
    """Import NDJSON records (the body) through the write path: all or nothing.

    Needs a write token (`Authorization: Bearer …`) of an editor or admin, or a console
    session of one with its CSRF token in `X-CSRF-Token`. Answers what was added,
    unchanged and superseded, or 400 with every rejected line and why.
    """
    account = await run_in_threadpool(auth.api_account, request)  # reads the database
    if account is None:
        return ORJSONResponse(
            error_body(401, "sign in: a write token or a console session"),
            status_code=401,
            headers={"www-authenticate": "Bearer"},
        )
    if not account.can("editor"):
        return ORJSONResponse(
            error_body(403, "this account or token may read but not write"), status_code=403
        )
    body = await request.body()
    if len(body) > MAX_IMPORT_BYTES:
        return ORJSONResponse(error_body(413, "the body is over 64 MiB"), status_code=413)
    try:
        # In a worker thread: a large import must not stop the event loop's other readers.
        report = await run_in_threadpool(
            import_records,
            request.app.state.db,
            read_ndjson(io.BytesIO(body), "body"),
            recorded_by=account.username,
        )
    except ImportRejected as e:
        problems = e.problems or [str(e)]
        return ORJSONResponse(error_body(400, "nothing imported", problems), status_code=400)
    request.app.state.catalogue.invalidate()
    return ORJSONResponse(
        {
            "ok": True,
            "added": dict(report.added),
            "unchanged": dict(report.unchanged),
            "superseded": report.retracted,
        }
    )
