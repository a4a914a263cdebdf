"""State-media pages: outlets and items for the public, every item for the console.

Public pages show an item only when `khronika.privacy` lets it through (its source made
public by the team, and nobody it names hidden); a hidden item answers exactly like a
missing one. The console shows every item, with its mentions, links and reviews.

| path | what |
|---|---|
| `/media` | the outlets, with how many public items each has |
| `/media/outlets/{id}` | one outlet: what it is, its public items, their narratives |
| `/media/items/{id}` | one public item: text with narratives and people marked |
| `/media/narratives.svg` | the narrative timeline: items per narrative per month (items, never people) |
| `/api/v1/media/outlets`, `/api/v1/media/items/{id}` | the same as JSON |
| `/console/media` | every item, newest first, with narratives per month, and the officials' totals beside the registry's people |
| `/console/media/items/{id}` | one item as the team sees it |
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import Response

from khronika.errors import NotFound
from khronika.media.charts import SIZES as CHART_SIZES
from khronika.media.charts import narrative_chart
from khronika.media.figures import narrative_series, officials_vs_registry
from khronika.media.narratives import load_taxonomy
from khronika.media.outlets import Outlet, starter_outlets
from khronika.media.reports import campaign_report, item_report, list_item_reports
from khronika.privacy import Audience, min_cell, public_context, redact
from khronika.storage import media as media_store
from khronika.web import auth, i18n
from khronika.web.render import lang_of, page
from khronika.web.routing import Route
from khronika.web.views.console import not_found_page, render_console, require_session

__all__ = [
    "ROUTES",
    "Segment",
    "api_item",
    "api_outlets",
    "console_item",
    "console_items",
    "item_page",
    "media_index",
    "narrative_timeline",
    "narrative_label",
    "outlet_page",
    "segments",
]


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of an item's text and what marks it: narratives, and the person named there."""

    text: str
    tags: tuple[str, ...] = ()
    mention: dict[str, Any] | None = None


def segments(
    text: str, narratives: list[dict[str, Any]], mentions: list[dict[str, Any]]
) -> list[Segment]:
    """Cut `text` where any narrative evidence or mention begins or ends (spans may overlap)."""
    cuts = {0, len(text)}
    for span in (*narratives, *mentions):
        cuts |= {
            max(0, min(len(text), int(span["start"]))),
            max(0, min(len(text), int(span["end"]))),
        }
    bounds = sorted(cuts)
    out: list[Segment] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        if a == b:
            continue
        tags = tuple(sorted({n["tag"] for n in narratives if n["start"] <= a and b <= n["end"]}))
        mention = next((m for m in mentions if m["start"] <= a and b <= m["end"]), None)
        out.append(Segment(text[a:b], tags, mention))
    return out


def narrative_label(request: Request) -> Callable[[str], str]:
    """A narrative tag's label in the page's language (the taxonomy's own labels)."""
    labels, lang = load_taxonomy().labels, lang_of(request)
    return lambda tag: labels.get(tag, {}).get(lang) or labels.get(tag, {}).get("en") or tag


def _outlets(request: Request) -> dict[str, Outlet]:
    with request.app.state.db.connect() as conn:
        stored = [Outlet.from_json(o) for o in media_store.list_outlets(conn)]
    return {o.id: o for o in stored or starter_outlets()}


def _public_items(request: Request, reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reports the public may see, through `redact`, judged on current versions."""
    named = {m[k] for r in reports for m in r["mentions"] for k in ("person", "candidate") if m[k]}
    with request.app.state.db.connect() as conn:
        ctx = public_context(
            conn, persons=named, sources={r["source"] for r in reports}, facilities=()
        )
    shown = (redact("media_item", r, Audience.PUBLIC, ctx) for r in reports)
    return [r for r in shown if r is not None]


def _outlet_json(o: Outlet, items: int | None = None) -> dict[str, Any]:
    out = {k: v for k, v in o.to_json().items() if k != "feeds"}
    if items is not None:
        out["items"] = items
    return out


# ---- public ------------------------------------------------------------------------------

# Every view here reads the database (and two draw a chart): plain `def`, run in FastAPI's
# thread pool, never on the event loop.


def media_index(request: Request) -> Any:
    """State outlets khronika watches, with how many of their items are public."""
    outlets = _outlets(request)
    reports = list_item_reports(request.app.state.db)
    per = Counter(i["outlet"] for i in _public_items(request, reports))
    data = {"outlets": [_outlet_json(o, per.get(o.id, 0)) for o in outlets.values()]}
    context = {
        "nlabel": narrative_label(request),
        "any_items": any(r["published"] for r in reports),
    }
    return page(request, "media.html", data, context=context)


def outlet_page(request: Request, outlet_id: str) -> Any:
    """One outlet: what it is, its public items and their narratives."""
    outlet = _outlets(request).get(outlet_id)
    if outlet is None:
        raise HTTPException(404, "not found")
    reports = list_item_reports(request.app.state.db, outlet=outlet_id)
    items = sorted(
        _public_items(request, reports), key=lambda i: i["published"] or "", reverse=True
    )
    narratives = Counter(
        n["tag"] for i in items for n in {x["tag"]: x for x in i["narratives"]}.values()
    )
    data = {
        "outlet": _outlet_json(outlet),
        "narratives": dict(sorted(narratives.items())),
        "items": [
            {k: i[k] for k in ("item", "url", "published", "title", "lang")}
            | {"narratives": sorted({n["tag"] for n in i["narratives"]})}
            for i in items
        ],
    }
    return page(request, "media_outlet.html", data, context={"nlabel": narrative_label(request)})


def _public_item(request: Request, item_id: str) -> dict[str, Any]:
    try:
        report = item_report(request.app.state.db, item_id)
    except NotFound:
        report = None
    # Only the khronika id: an external id (a channel's message number) is no address.
    shown = _public_items(request, [report]) if report and report["item"] == item_id else []
    if not shown:
        raise HTTPException(404, "not found")
    return shown[0]


def item_page(request: Request, item_id: str) -> Any:
    """One public item: its text with narratives and the people it names marked."""
    item = _public_item(request, item_id)
    outlet = _outlets(request).get(item["outlet"] or "")
    data = {"item": item, "outlet": _outlet_json(outlet) if outlet else None}
    context = {
        "segments": segments(item["text"], item["narratives"], item["mentions"]),
        "nlabel": narrative_label(request),
    }
    return page(request, "media_item.html", data, context=context)


def api_outlets(request: Request) -> Any:
    """State outlets, with how many of their items are public."""
    request.state.json = True
    return media_index(request)


def api_item(request: Request, item_id: str) -> Any:
    """One public state-media item with its narratives and mentions."""
    request.state.json = True
    return item_page(request, item_id)


def _monthly(reports: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Items per narrative per month from the first dated item's month to the last's."""
    dated = sorted(r["published"][:10] for r in reports if r["published"])
    if not dated:
        return None
    first = (dated[0] + "-01-01")[:10] if len(dated[0]) < 10 else dated[0]
    last = (dated[-1] + "-12-31")[:10] if len(dated[-1]) < 10 else dated[-1]
    return narrative_series(reports, date_from=first, date_to=last, step="month")


def narrative_timeline(request: Request) -> Any:
    """The narrative timeline as SVG: every item khronika holds, per narrative per month.

    It counts hidden items too (items, never people), so a month's count under k is not
    drawn: a lone item naming a withheld person would otherwise show as a point of one.
    `?size=phone` draws it for a phone's width (the page offers it there).
    """
    size = request.query_params.get("size", "desktop")
    if size not in CHART_SIZES:
        raise HTTPException(404, "not found")
    holder = request.app.state.catalogue
    cat = holder.get()  # in a worker thread: at start-up, waits for the catalogue there
    lang = lang_of(request)
    key = ("media-chart", lang, size, holder.generation)
    cache = request.app.state.page_cache
    hit = cache.get(key)
    if hit is not None:
        return hit.response()
    data = _monthly(list_item_reports(request.app.state.db))
    if data is None:
        raise HTTPException(404, "not found")
    i18n.use_lang(lang)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "narratives.svg"
        narrative_chart(
            data,
            path,
            label=narrative_label(request),
            title=i18n.gettext("State-media items per narrative per month"),
            other=i18n.gettext("other"),
            synthetic=i18n.gettext("synthetic data") if cat.synthetic else None,
            minimum=min_cell(),
            note=i18n.gettext("counts under %(k)d are not drawn") % {"k": min_cell()},
            size=size,
        )
        body = path.read_bytes()
    response = Response(body, media_type="image/svg+xml")
    cache.put(key, response)
    return response


# ---- console -----------------------------------------------------------------------------


@require_session
def console_items(request: Request, session: auth.Session) -> Response:
    """Every item, newest first, and the items per narrative per month."""
    db = request.app.state.db
    reports = list_item_reports(db)
    months = _monthly(reports)
    reports.sort(key=lambda r: (r["published"] or "", r["item"]), reverse=True)
    today = datetime.now(UTC).date().isoformat()
    return render_console(
        request,
        "console/media.html",
        session=session,
        items=reports[:500],
        months=months,
        nlabel=narrative_label(request),
        totals=officials_vs_registry(campaign_report(db, today)),
        today=today,
    )


@require_session
def console_item(request: Request, session: auth.Session) -> Response:
    """One item as the team sees it: text, narratives, mentions with their links."""
    try:
        item = item_report(request.app.state.db, request.path_params["item_id"])
    except NotFound:
        return not_found_page(request, session)
    return render_console(
        request,
        "console/media_item.html",
        session=session,
        item=item,
        outlet=_outlets(request).get(item["outlet"] or ""),
        segments=segments(item["text"], item["narratives"], item["mentions"]),
        nlabel=narrative_label(request),
    )


ROUTES: list[Route] = [
    Route("/media", media_index, "media"),
    Route("/media/outlets/{outlet_id}", outlet_page, "media_outlet"),
    Route("/media/items/{item_id}", item_page, "media_item"),
    Route("/media/narratives.svg", narrative_timeline, "media_narratives_chart"),
    Route("/api/v1/media/outlets", api_outlets, "api_media_outlets", documented=True),
    Route("/api/v1/media/items/{item_id}", api_item, "api_media_item", documented=True),
    Route("/console/media", console_items, "console_media"),
    Route("/console/media/items/{item_id}", console_item, "console_media_item"),
]
