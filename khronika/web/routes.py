"""The whole URL table of the web app, in one place.

Every public page also answers as JSON (`.json` suffix or `Accept: application/json`) and
in every language (`/be/…`, `/ru/…`, `/en/…` or `?lang=`); see `khronika.web.app`.

| path | what |
|---|---|
| `/` | home: figures, people in custody, latest events |
| `/people` | gallery (`q`, `status`, `sex`, `region`, `article`, `year`, `page`) |
| `/people/{id}` | one person; `/people/{id}/photo` their photo |
| `/figures` | figures as of a day, as known on a day, per recogniser |
| `/charts/{name}.svg` | charts by khronika.stats: `prisoners`, `flows` |
| `/feed.atom` | Atom feed of new public events |
| `/exports/khronika-public.ndjson`, `/exports/khronika-public-csv.zip` | public exports |
| `/media`, `/media/outlets/{id}`, `/media/items/{id}` | state outlets and public items (`views/media.py`) |
| `/api/v1/…` | JSON API (OpenAPI at `/openapi.json`) |
| `/console/…` | the analyst console (login) |
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from khronika.web.views import api, console, exports, figures, home, media, people

__all__ = ["ROUTES", "add_routes"]

# (path, endpoint, name, in the OpenAPI document, methods)
ROUTES: list[tuple[str, Callable[..., Any], str, bool, tuple[str, ...]]] = [
    ("/", home.home, "home", False, ("GET",)),
    ("/people", people.gallery, "gallery", False, ("GET",)),
    ("/people/{person_id}/photo", people.photo, "photo", False, ("GET",)),
    ("/people/{person_id}", people.person, "person", False, ("GET",)),
    ("/figures", figures.figures_page, "figures", False, ("GET",)),
    ("/feed.atom", exports.feed, "feed", True, ("GET",)),
    ("/exports/khronika-public.ndjson", exports.export_ndjson, "export_ndjson", True, ("GET",)),
    ("/exports/khronika-public-csv.zip", exports.export_csv, "export_csv", True, ("GET",)),
    ("/api/v1/meta", api.api_meta, "api_meta", True, ("GET",)),
    ("/api/v1/people", api.api_people, "api_people", True, ("GET",)),
    ("/api/v1/people/{person_id}", api.api_person, "api_person", True, ("GET",)),
    ("/api/v1/search", api.api_search, "api_search", True, ("GET",)),
    ("/api/v1/events", api.api_events, "api_events", True, ("GET",)),
    ("/api/v1/events/{event_id}", api.api_event, "api_event", True, ("GET",)),
    ("/api/v1/sources", api.api_sources, "api_sources", True, ("GET",)),
    ("/api/v1/sources/{source_id}", api.api_source, "api_source", True, ("GET",)),
    ("/api/v1/figures", figures.api_figures, "api_figures", True, ("GET",)),
    ("/api/v1/flows", figures.api_flows, "api_flows", True, ("GET",)),
    ("/api/v1/series", figures.api_series, "api_series", True, ("GET",)),
    ("/charts/{name}.svg", figures.chart, "chart", False, ("GET",)),
    *console.ROUTES,
    *media.ROUTES,
]


def add_routes(app: FastAPI) -> None:
    """Register every route of `ROUTES` on the app."""
    for path, endpoint, name, documented, methods in ROUTES:
        app.add_api_route(
            path,
            endpoint,
            name=name,
            methods=list(methods),
            include_in_schema=documented,
            response_model=None,
            summary=(endpoint.__doc__ or "").strip().splitlines()[0] if endpoint.__doc__ else None,
        )
