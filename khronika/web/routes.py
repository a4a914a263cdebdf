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
| `/check` | is a channel, account, site or name on an official list (`views/check.py`) |
| `/lists/{id}/feed.atom` | Atom feed of one official list's changes |
| `/media`, `/media/outlets/{id}`, `/media/items/{id}` | state outlets and public items (`views/media.py`) |
| `/api/v1/…` | JSON API (OpenAPI at `/openapi.json`) |
| `/console/…` | the analyst console (login) |
"""

from __future__ import annotations

from fastapi import FastAPI

from khronika.web.routing import Route
from khronika.web.schemas import RESPONSES
from khronika.web.views import api, check, console, exports, figures, home, media, people

__all__ = ["ROUTES", "Route", "add_routes"]

ROUTES: list[Route] = [
    Route("/", home.home, "home"),
    Route("/people", people.gallery, "gallery"),
    Route("/people/{person_id}/photo", people.photo, "photo"),
    Route("/people/{person_id}", people.person, "person"),
    Route("/figures", figures.figures_page, "figures"),
    Route("/feed.atom", exports.feed, "feed", documented=True),
    Route(
        "/exports/khronika-public.ndjson", exports.export_ndjson, "export_ndjson", documented=True
    ),
    Route("/exports/khronika-public-csv.zip", exports.export_csv, "export_csv", documented=True),
    Route("/api/v1/meta", api.api_meta, "api_meta", documented=True),
    Route("/api/v1/people", api.api_people, "api_people", documented=True),
    Route("/api/v1/people/{person_id}", api.api_person, "api_person", documented=True),
    Route("/api/v1/search", api.api_search, "api_search", documented=True),
    Route("/api/v1/events", api.api_events, "api_events", documented=True),
    Route("/api/v1/events/{event_id}", api.api_event, "api_event", documented=True),
    Route("/api/v1/sources", api.api_sources, "api_sources", documented=True),
    Route("/api/v1/sources/{source_id}", api.api_source, "api_source", documented=True),
    Route("/api/v1/figures", figures.api_figures, "api_figures", documented=True),
    Route("/api/v1/flows", figures.api_flows, "api_flows", documented=True),
    Route("/api/v1/series", figures.api_series, "api_series", documented=True),
    Route("/api/v1/import", api.api_import, "api_import", documented=True, methods=("POST",)),
    Route("/charts/{name}.svg", figures.chart, "chart"),
    *console.ROUTES,
    *media.ROUTES,
    *check.ROUTES,
]


def add_routes(app: FastAPI) -> None:
    """Register every route of `ROUTES` on the app."""
    for r in ROUTES:
        doc = (r.endpoint.__doc__ or "").strip()
        app.add_api_route(
            r.path,
            r.endpoint,
            name=r.name,
            methods=list(r.methods),
            include_in_schema=r.documented,
            # The views answer with their own JSON; RESPONSES documents its shape.
            response_model=None,
            responses=RESPONSES.get(r.name) if r.documented else None,
            summary=doc.splitlines()[0] if doc else None,
        )
