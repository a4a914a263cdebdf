"""Headline figures (`/` and `/figures`) from `khronika.stats`, suppressed for the public.

The web app computes no figure itself; nothing is estimated in its place. Every view here
reads the database or draws a chart: each is a plain `def`, run in FastAPI's thread pool,
never on the event loop.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import HTTPException, Query, Request
from fastapi.responses import Response

from khronika import settings, stats
from khronika.errors import KhronikaError
from khronika.privacy import min_cell, suppress_flows, suppress_small
from khronika.stats import charts
from khronika.web.pagecache import cached_page
from khronika.web.render import ORJSONResponse, lang_of, page, today

__all__ = [
    "api_figures",
    "api_flows",
    "api_series",
    "chart",
    "figures_page",
    "headline",
]


def headline(
    db: Any, as_of: date, *, known_on: str | None = None, by: str | None = None
) -> tuple[dict[str, Any] | None, str | None]:
    """Return (public figures on `as_of`, None) or (None, why they are not available).

    Breakdowns (by sex, region, article) go through `suppress_small`: a count below
    KHRONIKA_MIN_CELL is shown as "fewer than N", never as the number.
    """
    try:
        by = by or default_recogniser(db)
        f = stats.figures(db, as_of.isoformat(), known_on=known_on, by=by)
    except KhronikaError as e:
        return None, str(e)
    out = dict(f)
    for key in ("by_sex", "by_region", "by_article"):
        if isinstance(out.get(key), dict):
            out[key] = suppress_small(out[key])
    return out, None


def default_recogniser(db: Any) -> str | None:
    """KHRONIKA_DEFAULT_RECOGNISER, else the first recogniser (the page offers the others)."""
    chosen = settings.get("KHRONIKA_DEFAULT_RECOGNISER")
    if chosen:
        return chosen
    found = stats.recognisers(db)
    return str(found[0][0]) if found else None


def recogniser_choices(db: Any) -> list[tuple[str, str]]:
    """(id, name) of every recogniser, for the figures page's picker."""
    return [(str(i), str(n)) for i, n in stats.recognisers(db)]


@cached_page
def figures_page(
    request: Request,
    as_of: Annotated[date | None, Query(description="The day counted (default: today).")] = None,
    known_on: Annotated[date | None, Query(description="As known on this day.")] = None,
    by: Annotated[str | None, Query(max_length=200, description="Recogniser id.")] = None,
) -> Any:
    """Figures as of a day, as known on a day, per recogniser (needs khronika.stats)."""
    day = as_of or today(request)
    figures, reason = headline(
        request.app.state.db, day, known_on=known_on.isoformat() if known_on else None, by=by
    )
    data = {"as_of": day.isoformat(), "figures": figures, "available": figures is not None}
    if reason:
        data["reason"] = reason
    context = {
        "recognisers": recogniser_choices(request.app.state.db),
        "known_on": known_on.isoformat() if known_on else "",
    }
    return page(request, "figures.html", data, context=context)


def api_figures(
    request: Request,
    as_of: Annotated[date | None, Query()] = None,
    known_on: Annotated[date | None, Query()] = None,
    by: Annotated[str | None, Query(max_length=200)] = None,
) -> Any:
    """Figures as JSON (400 in the error shape when they cannot be computed)."""
    day = as_of or today(request)
    figures, reason = headline(
        request.app.state.db, day, known_on=known_on.isoformat() if known_on else None, by=by
    )
    if figures is None:
        raise HTTPException(400, reason or "figures are not available")
    return ORJSONResponse({"ok": True, **figures})


def _period(request: Request, date_from: date | None, date_to: date | None) -> tuple[date, date]:
    end = date_to or today(request)
    return date_from or date(2020, 1, 1), end


def api_flows(
    request: Request,
    date_from: Annotated[date | None, Query(alias="from", description="First day.")] = None,
    date_to: Annotated[date | None, Query(alias="to", description="Last day.")] = None,
    known_on: Annotated[date | None, Query()] = None,
    by: Annotated[str | None, Query(max_length=200)] = None,
) -> Any:
    """Recognitions, releases (by basis), deaths and prosecutions in a period (suppressed)."""
    d1, d2 = _period(request, date_from, date_to)
    try:
        f = stats.flows(
            request.app.state.db, d1, d2, known_on=known_on.isoformat() if known_on else None, by=by
        )
    except KhronikaError as e:
        raise HTTPException(400, str(e)) from None
    return ORJSONResponse({"ok": True, **_iso(suppress_flows(f))})


def api_series(
    request: Request,
    date_from: Annotated[date | None, Query(alias="from", description="First day.")] = None,
    date_to: Annotated[date | None, Query(alias="to", description="Last day.")] = None,
    step: Annotated[str, Query(pattern="^(month|quarter|year)$")] = "month",
    known_on: Annotated[str | None, Query(max_length=40)] = None,
    by: Annotated[str | None, Query(max_length=200)] = None,
) -> Any:
    """One point per step: political prisoners at its end, flows within it (suppressed)."""
    d1, d2 = _period(request, date_from, date_to)
    try:
        data = stats.series(
            request.app.state.db, d1, d2, step=step, by=by, known_on=known_on or None
        )
    except KhronikaError as e:
        raise HTTPException(400, str(e)) from None
    data = {**data, "points": [suppress_flows(p) for p in data.get("points", [])]}
    return ORJSONResponse({"ok": True, **_iso(data)})


def _iso(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso(v) for v in value]
    return value


_CHARTS = {"prisoners": "prisoners_chart", "flows": "flows_chart"}


def chart(request: Request, name: str) -> Any:
    """A chart as SVG (political prisoners over time; recognitions vs releases), by stats;
    `?size=phone` draws it for a phone's width (the pages offer it there)."""
    size = request.query_params.get("size", "desktop")
    if name not in _CHARTS or size not in charts.SIZES:
        raise HTTPException(404, "not found")
    holder = request.app.state.catalogue
    holder.get()  # in a worker thread: at start-up, waits for the catalogue there
    lang, on = lang_of(request), today(request)
    key = ("chart", name, lang, on, size, holder.generation)
    cache = request.app.state.page_cache
    hit = cache.get(key)
    if hit is not None:
        return hit.response()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}.svg"
        try:
            db = request.app.state.db
            options: dict[str, Any] = {"lang": lang, "by": default_recogniser(db)}
            if size != "desktop":
                options["size"] = size
            if name == "flows":
                # Public: a monthly count under k is not drawn, as the API does not say it.
                options["minimum"] = min_cell()
            getattr(charts, _CHARTS[name])(db, "2020-01-01", on.isoformat(), path, **options)
        except KhronikaError as e:
            raise HTTPException(404, str(e)) from None
        body = path.read_bytes()
    response = Response(body, media_type="image/svg+xml")
    cache.put(key, response)
    return response
