"""The public catalogue: what the gallery, feeds and public API list, kept in memory.

Built from current versions through `khronika.privacy` (only public people, their events
cut to public sources and facilities), and rebuilt when the database changes: a cheap
fingerprint (`khronika.storage.reads.data_stamp`) is checked at most every
KHRONIKA_WEB_REFRESH seconds, and console writes invalidate it at once. Each server
worker holds its own copy.

    !!! Nothing enters the catalogue except through `redact`. Withheld and restricted
    !!! people appear only in `counts`, never by id or name.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from khronika import settings
from khronika.privacy import Audience, PublicContext, public_context, redact
from khronika.registry.lookup import event_order
from khronika.storage import Database
from khronika.storage.reads import (
    count_people_by_visibility,
    current_rows,
    data_stamp,
    hidden_event_ids,
    public_ids,
)
from khronika.storage.rows import content_from_row, tx_from_row
from khronika.web.custody import Custody, summarise
from khronika.web.i18n import LANGS, pick_name

__all__ = ["Card", "Catalogue", "CatalogueHolder"]


@dataclass(slots=True)
class Card:
    """One public person as the gallery shows them."""

    person: dict[str, Any]
    custody: Custody
    search_text: str
    display: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """The person's id."""
        return str(self.person["id"])


@dataclass
class Catalogue:
    """Public people, events, sources, organisations and facilities, and the totals."""

    cards: list[Card]
    by_id: dict[str, Card]
    events: list[dict[str, Any]]  # public events, newest recorded first
    events_by_person: dict[str, list[dict[str, Any]]]  # each person's, in timeline order
    sources: dict[str, dict[str, Any]]
    organisations: dict[str, dict[str, Any]]
    facilities: dict[str, dict[str, Any]]
    meta: dict[str, Any] | None
    counts: dict[str, int]  # current people by visibility: counted, never named
    ctx: PublicContext
    stamp: tuple[Any, ...] = ()
    #: Public events whose tier is given as public (the others are public by what they cite).
    pinned: frozenset[str] = frozenset()
    _sorted: dict[str, list[Card]] = field(default_factory=dict)

    @property
    def synthetic(self) -> bool:
        """True when the database says its data is synthetic (demo)."""
        return bool(self.meta and self.meta.get("synthetic"))

    def sorted_cards(self, lang: str) -> list[Card]:
        """Cards in alphabetical order of the name shown in `lang` (computed once)."""
        if lang not in self._sorted:
            self._sorted[lang] = sorted(
                self.cards, key=lambda c: (c.display[lang].casefold(), c.id)
            )
        return self._sorted[lang]

    @classmethod
    def build(cls, db: Database) -> Catalogue:
        """Read the current public state of the database."""
        with db.connect() as conn:
            stamp = data_stamp(conn)
            ctx = public_context(conn)
            counts = count_people_by_visibility(conn)

            def shown(rtype: str, keep: Any = None) -> list[dict[str, Any]]:
                out = []
                for row in current_rows(conn, rtype):
                    if keep is not None and not keep(row):
                        continue  # cheaper than converting; redact would drop it anyway
                    rec = content_from_row(rtype, row) | tx_from_row(row)
                    visible = redact(rtype, rec, Audience.PUBLIC, ctx)
                    if visible is not None:
                        out.append(visible)
                return out

            metas = shown("meta")
            organisations = {o["id"]: o for o in shown("organisation")}
            facilities = {f["id"]: f for f in shown("facility")}
            sources = {s["id"]: s for s in shown("source")}
            people = shown("person")
            pinned: set[str] = set()

            def keep_event(row: Any) -> bool:
                if row.visibility == "public":
                    pinned.add(row.id)
                return row.person in ctx.persons

            events = shown("event", keep_event)
        by_person: dict[str, list[dict[str, Any]]] = {}
        for e in events:
            by_person.setdefault(e["person"], []).append(e)
        cards = []
        for p in people:
            evs = sorted(by_person.get(p["id"], []), key=event_order)
            by_person[p["id"]] = evs
            text = "\n".join(n["name"].casefold() for n in p["names"])
            card = Card(p, summarise(evs), text)
            card.display = {lang: pick_name(p["names"], lang)["name"] for lang in LANGS}
            cards.append(card)
        events.sort(key=lambda e: (e["recorded"], e["id"]), reverse=True)
        return cls(
            cards=cards,
            by_id={c.id: c for c in cards},
            events=events,
            events_by_person=by_person,
            sources=sources,
            organisations=organisations,
            facilities=facilities,
            meta=metas[0] if metas else None,
            counts=counts,
            ctx=ctx,
            stamp=stamp,
            pinned=frozenset(pinned),
        )


class CatalogueHolder:
    """Keeps one worker's catalogue fresh: rebuilt when the database's fingerprint moves.

    A rebuild at Belarus scale takes seconds, so by default it runs in a background thread
    while requests keep the previous catalogue. Privacy does not wait for it: as soon as a
    change is seen, people and sources that are no longer public are cut from the old
    catalogue (cheap queries), so a person withheld a moment ago disappears at once, and so
    does an event restricted a moment ago or left without a public source.
    """

    def __init__(
        self, db: Database, *, refresh: float | None = None, background: bool = True
    ) -> None:
        self.db = db
        self.refresh = float(settings.get("KHRONIKA_WEB_REFRESH")) if refresh is None else refresh
        self.background = background
        self._catalogue: Catalogue | None = None
        self._checked = 0.0
        self._lock = threading.Lock()
        self._building = False
        #: Grows whenever a change is seen: caches of rendered pages key on it.
        self.generation = 0
        #: True when the catalogue holds the data as last seen (not a patched old copy).
        self.current = False

    def invalidate(self) -> None:
        """Look for changes on next use (after a write from this process)."""
        self._checked = 0.0

    def get(self) -> Catalogue:
        """Return the catalogue, rebuilding it when the database changed."""
        cat = self._catalogue
        if cat is not None and time.monotonic() - self._checked < self.refresh:
            return cat
        with self._lock:
            cat = self._catalogue
            if cat is not None and time.monotonic() - self._checked < self.refresh:
                return cat
            if cat is None or not self.background:
                if cat is not None:
                    with self.db.connect() as conn:
                        if data_stamp(conn) == cat.stamp:
                            self._checked = time.monotonic()
                            return cat
                cat = Catalogue.build(self.db)
                self._catalogue, self._checked = cat, time.monotonic()
                self.generation += 1
                self.current = True
                return cat
            with self.db.connect() as conn:
                stamp = data_stamp(conn)
                if stamp == cat.stamp:
                    self._checked = time.monotonic()
                    return cat
                persons, sources = public_ids(conn, "person"), public_ids(conn, "source")
                hidden = hidden_event_ids(conn)
            cat = _without_hidden(cat, persons, sources, hidden)
            self._catalogue, self._checked = cat, time.monotonic()
            self.generation += 1
            self.current = False
            if not self._building:
                self._building = True
                threading.Thread(target=self._rebuild, daemon=True).start()
            return cat

    def _rebuild(self) -> None:
        try:
            cat = Catalogue.build(self.db)
            with self._lock:
                self._catalogue, self._checked = cat, time.monotonic()
                self.generation += 1
                # Changes made during the build are seen at the next check, which clears
                # this again and starts another build.
                self.current = True
        finally:
            self._building = False


def _without_hidden(
    cat: Catalogue, persons: set[str], sources: set[str], hidden_events: set[str]
) -> Catalogue:
    """The catalogue minus what is no longer public (same stamp).

    People and sources no longer public, events whose tier is no longer public, and events
    public by rule whose every public source has gone (see `khronika.privacy.event_tier`).
    """
    if (
        all(c.id in persons for c in cat.cards)
        and set(cat.sources) <= sources
        and not any(e["id"] in hidden_events for e in cat.events)
    ):
        return cat
    events = []
    for e in cat.events:
        if e["person"] not in persons or e["id"] in hidden_events:
            continue
        if any(s not in sources for s in e.get("sources", ())):
            e = {**e, "sources": [s for s in e["sources"] if s in sources]}
            if not e["sources"] and e["id"] not in cat.pinned:
                continue
        events.append(e)
    ctx = PublicContext(
        persons=cat.ctx.persons & persons,
        sources=cat.ctx.sources & sources,
        facilities=cat.ctx.facilities,
        all_facilities=cat.ctx.all_facilities,
    )
    by_person: dict[str, list[dict[str, Any]]] = {}
    for e in sorted(events, key=event_order):
        by_person.setdefault(e["person"], []).append(e)
    cards = []
    for c in cat.cards:
        if c.id not in persons:
            continue
        evs = by_person.get(c.id, [])
        if evs != cat.events_by_person.get(c.id, []):
            # What the card says (in custody since, where, for what) came from those events.
            c = Card(c.person, summarise(evs), c.search_text, c.display)
        cards.append(c)
    return Catalogue(
        cards=cards,
        by_id={c.id: c for c in cards},
        events=events,
        events_by_person=by_person,
        sources={k: v for k, v in cat.sources.items() if k in sources},
        organisations=cat.organisations,
        facilities=cat.facilities,
        meta=cat.meta,
        counts=cat.counts,
        ctx=ctx,
        stamp=cat.stamp,
        pinned=cat.pinned,
    )
