"""The gallery of public people (`/people`) and one person's page (`/people/{id}`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from fastapi import Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse

from khronika.errors import NotFound
from khronika.privacy import Audience, context_from_rows, public_context, redact
from khronika.registry import archived_path, get_person
from khronika.storage.reads import current_rows
from khronika.storage.rows import content_from_row
from khronika.web.catalogue import Card, Catalogue
from khronika.web.custody import STATUSES, summarise
from khronika.web.i18n import pick_name, pick_story
from khronika.web.labels import label, region_name
from khronika.web.pagecache import cached_page
from khronika.web.render import lang_of, link, page, today
from khronika.web.search import find_people

__all__ = [
    "GALLERY_FILTERS",
    "Filters",
    "card_json",
    "gallery",
    "gallery_filters",
    "person",
    "photo",
    "photo_url",
    "select_cards",
]

PAGE_SIZE = 48


Found = tuple[
    dict[str, Any], list[dict[str, Any]], dict[str, dict[str, Any]], dict[str, dict[str, Any]]
]


def _from_catalogue(cat: Catalogue, person_id: str) -> Found | None:
    """A public person, their events, the sources and facilities they cite (in memory)."""
    card = cat.by_id.get(person_id)
    if card is None:
        return None
    events = cat.events_by_person.get(person_id, [])
    cited = {s for e in events for s in e.get("sources", ())}
    # As the database path reads them: content only, without transaction time.
    sources = {
        s: {k: v for k, v in cat.sources[s].items() if k not in ("recorded", "retracted")}
        for s in cited
        if s in cat.sources
    }
    return card.person, events, sources, cat.facilities


def _from_database(db: Any, person_id: str) -> Found | None:
    """The same, read from the database and put through `redact` here."""
    try:
        view = get_person(db, person_id)
    except NotFound:
        return None
    if view.person["visibility"] != "public":
        return None
    events = view.events
    source_ids = sorted({s for e in events for s in e.get("sources", ())})
    facility_ids = sorted(
        {e["details"]["facility"] for e in events if (e.get("details") or {}).get("facility")}
    )
    with db.connect() as conn:
        source_rows = [
            content_from_row("source", r) for r in current_rows(conn, "source", source_ids)
        ]
        facility_rows = [
            content_from_row("facility", r) for r in current_rows(conn, "facility", facility_ids)
        ]
    ctx = context_from_rows(persons=[view.person], sources=source_rows, facilities=facility_rows)
    p = redact("person", view.person, Audience.PUBLIC, ctx)
    if p is None:
        return None
    shown = [x for x in (redact("event", e, Audience.PUBLIC, ctx) for e in events) if x]
    sources = {}
    for row in source_rows:
        s = redact("source", row, Audience.PUBLIC, ctx)
        if s is not None:
            sources[s["id"]] = s
    facilities = {}
    for row in facility_rows:
        f = redact("facility", row, Audience.PUBLIC, ctx)
        if f is not None:
            facilities[f["id"]] = f
    return p, shown, sources, facilities


def photo_url(person: dict[str, Any]) -> str | None:
    """The URL of a person's archived photo (`sha256:…` in `photo`), else None."""
    ref = person.get("photo") or ""
    if ref.startswith("sha256:") and len(ref) == 71:
        return f"/people/{person['id']}/photo"
    return None


def card_json(card: Card, lang: str, on: date) -> dict[str, Any]:
    """A gallery card as JSON (already public: cards hold redacted records only)."""
    p, c = card.person, card.custody
    return {
        "id": card.id,
        "name": card.display[lang],
        "names": p["names"],
        "sex": p.get("sex"),
        "region": p.get("region"),
        "status": c.status,
        "days_in_custody": c.days(on),
        "articles": c.articles,
        "detention_year": c.detention_year,
        "photo": photo_url(p),
        "url": f"/people/{card.id}",
    }


@dataclass(frozen=True, slots=True)
class Filters:
    """The gallery's search and filters, as given in the query string (None or empty: any)."""

    q: str | None = None
    status: str | None = None
    sex: str | None = None
    region: str | None = None
    article: str | None = None
    #: The year of detention.
    year: str | None = None


def gallery_filters(
    q: str | None = Query(None, max_length=200, description="Name, in any script."),
    status: str | None = Query(None, pattern="^(in_custody|released|died|other)?$"),
    sex: str | None = Query(None, pattern="^(f|m|unknown)?$"),
    region: str | None = Query(None, max_length=60),
    article: str | None = Query(None, max_length=40),
    year: str | None = Query(None, pattern=r"^(\d{4})?$", description="Year of detention."),
) -> Filters:
    """Read the gallery's search and filters from the query string (a FastAPI dependency:
    the gallery and the API's people list take the same)."""
    return Filters(q=q, status=status, sex=sex, region=region, article=article, year=year)


#: The gallery's search and filter parameters (the default of a view's `Filters` argument).
GALLERY_FILTERS = Depends(gallery_filters)


def select_cards(request: Request, cat: Catalogue, filters: Filters) -> Sequence[Card]:
    """Apply the gallery's search and filters to the public cards (empty means any): found
    by name best first, else in alphabetical order of the name shown in the page's language."""
    lang = lang_of(request)
    f = filters
    listing = cat.listing()
    if f.q and f.q.strip():
        positions = listing.of_ids(find_people(request.app.state.db, cat, f.q))
    else:
        positions = cat.alphabetical(lang)
    return listing.select(
        positions,
        status=f.status,
        sex=f.sex,
        region=f.region,
        article=f.article,
        year=int(f.year) if f.year else None,
    )


@cached_page
def gallery(
    request: Request,
    filters: Filters = GALLERY_FILTERS,
    page_no: int = Query(1, alias="page", ge=1, le=100_000),
) -> Any:
    """The gallery: public people as cards, searched, filtered and paginated."""
    # In a worker thread (search and filters go through every card): so is waiting for the
    # catalogue at start-up.
    cat = request.app.state.catalogue.get()
    lang = lang_of(request)
    cards = select_cards(request, cat, filters)
    total = len(cards)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    chunk = cards[(page_no - 1) * PAGE_SIZE : page_no * PAGE_SIZE]
    on = today(request)
    given = {**asdict(filters), "year": int(filters.year) if filters.year else None}
    shown = {k: v for k, v in given.items() if v not in (None, "")}
    data = {
        "people": [card_json(c, lang, on) for c in chunk],
        "total": total,
        "page": page_no,
        "pages": pages,
        "size": PAGE_SIZE,
        "filters": shown,
        "search": "names",
    }
    if page_no < pages:
        data["next"] = link(lang, "/people.json", **shown, page=page_no + 1)[len(lang) + 1 :]

    def page_link(n: int) -> str:
        return link(lang, "/people", **shown, page=n if n > 1 else None)

    facets = _facets(cat, lang)
    context = {
        "cards": chunk,
        "on": on,
        "page_link": page_link,
        "facets": facets,
        "label": label,
        "photo_url": photo_url,
        "statuses": [s for s in STATUSES if s != "other"],
        "region_name": lambda code: region_name(code, lang),
    }
    return page(request, "people.html", data, context=context)


def _facets(cat: Catalogue, lang: str) -> dict[str, list[Any]]:
    """The values the filters offer: those present among public people."""
    cached = getattr(cat, "_facets", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    regions = sorted({str(c.person["region"]) for c in cat.cards if c.person.get("region")})
    articles = sorted(
        {a for c in cat.cards for a in c.custody.articles},
        key=lambda a: [int(x) if x.isdigit() else 0 for x in a.replace("-", ".").split(".")],
    )
    years = sorted(
        {c.custody.detention_year for c in cat.cards if c.custody.detention_year}, reverse=True
    )
    facets: dict[str, list[Any]] = {"regions": regions, "articles": articles, "years": years}
    cat._facets = facets  # type: ignore[attr-defined]
    return facets


@cached_page
def person(request: Request, person_id: str) -> Any:
    """One person's page: names, photo, story, timeline with public sources, letters."""
    # In a worker thread: while the catalogue is rebuilt, the person is read from the database.
    return _person(request, person_id)


def _person(request: Request, person_id: str) -> Any:
    lang = lang_of(request)
    holder = request.app.state.catalogue
    cat = holder.peek()  # at start-up, the shell: this page does not wait for the build
    if holder.current and cat.complete:
        # The catalogue holds everything this page shows, already through `redact`.
        found = _from_catalogue(cat, person_id)
    else:
        # A change is being rebuilt into the catalogue: read this person live.
        found = _from_database(request.app.state.db, person_id)
    if found is None:
        # Restricted and withheld people are not found: the page must not confirm they exist.
        raise HTTPException(404, "not found")
    p, shown, sources, facilities = found
    custody = summarise(shown)
    on = today(request)
    story, story_lang = pick_story(p.get("story"), lang)
    letter = None
    if custody.status == "in_custody" and custody.facility in facilities:
        f = facilities[custody.facility]
        if f.get("address"):
            letter = {"facility": f["name"], "address": f["address"]}
    timeline = []
    for e in shown:
        item = dict(e)
        item["sources_detail"] = [sources[s] for s in e.get("sources", ()) if s in sources]
        timeline.append(item)
    orgs = cat.organisations
    data = {
        "person": {k: v for k, v in p.items() if k not in ("recorded",)},
        "name": pick_name(p["names"], lang)["name"],
        "photo": photo_url(p),
        "story": {"text": story, "lang": story_lang} if story else None,
        "status": custody.status,
        "days_in_custody": custody.days(on),
        "custody": [{"from": a, "to": b} for a, b in custody.periods],
        "articles": custody.articles,
        "recognised_by": [
            {"id": o, "name": orgs[o]["name"] if o in orgs else o} for o in custody.recognised_by
        ],
        "letter": letter,
        "events": timeline,
    }
    context = {
        "label": label,
        "orgs": orgs,
        "facilities": facilities,
        "region": region_name(p.get("region"), lang),
        "on": on,
    }
    return page(request, "person.html", data, context=context)


def photo(request: Request, person_id: str) -> Any:
    """A public person's photo from the archive (EXIF was stripped when it was uploaded)."""
    db = request.app.state.db
    try:
        view = get_person(db, person_id)
    except NotFound:
        raise HTTPException(404, "not found") from None
    with db.connect() as conn:
        ctx = public_context(conn, persons=[person_id], sources=(), facilities=())
    p = redact("person", view.person, Audience.PUBLIC, ctx)
    if p is None or photo_url(p) is None:
        raise HTTPException(404, "not found")
    path = archived_path(p["photo"][len("sha256:") :], data_dir=request.app.state.data_dir)
    if not path.is_file():
        raise HTTPException(404, "not found")
    return FileResponse(
        path,
        media_type=_image_type(path),
        headers={"cache-control": "public, max-age=86400"},
    )


def _image_type(path: Any) -> str:
    with open(path, "rb") as f:
        head = f.read(12)
    if head.startswith(b"\x89PNG"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return "image/jpeg"
