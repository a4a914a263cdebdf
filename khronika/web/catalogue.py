"""The public catalogue: what the gallery, feeds and public API list, kept in memory.

Built from current versions through `khronika.privacy` (only public people, their events
cut to public sources and facilities), and rebuilt when the database changes: a cheap
fingerprint (`khronika.storage.web.data_stamp`) is checked at most every
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
from khronika.storage.rows import content_from_row, tx_from_row
from khronika.storage.web import count_people, current_rows, data_stamp
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
    sources: dict[str, dict[str, Any]]
    organisations: dict[str, dict[str, Any]]
    facilities: dict[str, dict[str, Any]]
    meta: dict[str, Any] | None
    counts: dict[str, int]  # current people by visibility: counted, never named
    ctx: PublicContext
    stamp: tuple[Any, ...] = ()
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
            counts = count_people(conn)

            def shown(rtype: str) -> list[dict[str, Any]]:
                out = []
                for row in current_rows(conn, rtype):
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
            events = shown("event")
        by_person: dict[str, list[dict[str, Any]]] = {}
        for e in events:
            by_person.setdefault(e["person"], []).append(e)
        cards = []
        for p in people:
            evs = sorted(by_person.get(p["id"], []), key=event_order)
            text = "\n".join(n["name"].casefold() for n in p["names"])
            card = Card(p, summarise(evs), text)
            card.display = {lang: pick_name(p["names"], lang)["name"] for lang in LANGS}
            cards.append(card)
        events.sort(key=lambda e: (e["recorded"], e["id"]), reverse=True)
        return cls(
            cards=cards,
            by_id={c.id: c for c in cards},
            events=events,
            sources=sources,
            organisations=organisations,
            facilities=facilities,
            meta=metas[0] if metas else None,
            counts=counts,
            ctx=ctx,
            stamp=stamp,
        )


class CatalogueHolder:
    """Keeps one worker's catalogue fresh: rebuilt when the database's fingerprint moves."""

    def __init__(self, db: Database, *, refresh: float | None = None) -> None:
        self.db = db
        self.refresh = (
            float(settings.get("KHRONIKA_WEB_REFRESH")) if refresh is None else refresh
        )
        self._catalogue: Catalogue | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        """Rebuild on next use (after a write from this process)."""
        self._checked = 0.0
        self._catalogue = None

    def get(self) -> Catalogue:
        """Return the catalogue, rebuilding it when the database changed."""
        now = time.monotonic()
        cat = self._catalogue
        if cat is not None and now - self._checked < self.refresh:
            return cat
        with self._lock:
            cat = self._catalogue
            if cat is not None and time.monotonic() - self._checked < self.refresh:
                return cat
            if cat is not None:
                with self.db.connect() as conn:
                    if data_stamp(conn) == cat.stamp:
                        self._checked = time.monotonic()
                        return cat
            cat = Catalogue.build(self.db)
            self._catalogue, self._checked = cat, time.monotonic()
            return cat
