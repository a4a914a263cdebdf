"""Headline figures (`/` and `/figures`) from `khronika.stats`, suppressed for the public.

The web app computes no figure itself. Until `khronika.stats` is installed the pages say
so plainly and the API answers 501; nothing is estimated in its place.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Annotated, Any

from fastapi import HTTPException, Query, Request

from khronika.errors import KhronikaError
from khronika.privacy import suppress_small
from khronika.web.pagecache import cached_page
from khronika.web.render import ORJSONResponse, error_body, page, today

__all__ = ["figures_page", "headline", "stats_module"]


@functools.cache
def stats_module() -> Any | None:
    """Return `khronika.stats` when it is installed, else None."""
    try:
        from khronika import stats  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return None
    return stats


def headline(
    db: Any, as_of: date, *, known_on: str | None = None, by: str | None = None
) -> tuple[dict[str, Any] | None, str | None]:
    """Return (public figures on `as_of`, None) or (None, why they are not available).

    Breakdowns (by sex, region, article) go through `suppress_small`: a count below
    KHRONIKA_MIN_CELL is shown as "fewer than N", never as the number.
    """
    stats = stats_module()
    if stats is None:
        return None, "not-installed"
    try:
        f = stats.figures(db, as_of.isoformat(), known_on=known_on, by=by)
    except KhronikaError as e:
        return None, str(e)
    out = dict(f)
    for key in ("by_sex", "by_region", "by_article"):
        if isinstance(out.get(key), dict):
            out[key] = suppress_small(out[key])
    return out, None


@cached_page
async def figures_page(
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
    return page(request, "figures.html", data)


async def api_figures(
    request: Request,
    as_of: Annotated[date | None, Query()] = None,
    known_on: Annotated[date | None, Query()] = None,
    by: Annotated[str | None, Query(max_length=200)] = None,
) -> Any:
    """Figures as JSON; 501 in the error shape until khronika.stats is installed."""
    day = as_of or today(request)
    figures, reason = headline(
        request.app.state.db, day, known_on=known_on.isoformat() if known_on else None, by=by
    )
    if figures is None:
        if reason == "not-installed":
            return ORJSONResponse(
                error_body(501, "figures are not available: khronika.stats is not installed"),
                status_code=501,
            )
        raise HTTPException(400, reason or "figures are not available")
    return ORJSONResponse({"ok": True, **figures})


async def api_not_yet(request: Request) -> Any:
    """Flows and series: served once khronika.stats is merged (501 until then)."""
    return ORJSONResponse(
        error_body(501, "not available yet: flows and series come with khronika.stats"),
        status_code=501,
    )
