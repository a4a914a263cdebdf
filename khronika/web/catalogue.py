"""The public catalogue: what the gallery, feeds and public API list, kept in memory.

Built from current versions through `khronika.privacy` (only public people, their events
cut to public sources and facilities), and kept up to date when the database changes: a
cheap fingerprint (`khronika.storage.reads.data_stamp`) is checked at most every
KHRONIKA_WEB_REFRESH seconds (console writes invalidate it at once), and what changed since
is read into a copy (`Catalogue.updated`), or, when that cannot be told, everything is read
again in the background. Each server worker holds its own copy.

    !!! Nothing enters the catalogue except through `redact`. Withheld and restricted
    !!! people appear only in `counts`, never by id or name.
"""

from __future__ import annotations

import bisect
import gc
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from khronika import settings
from khronika.names import Hit, Index
from khronika.privacy import Audience, PublicContext, context_from_rows, public_context, redact
from khronika.registry.lookup import event_order
from khronika.storage import Database
from khronika.storage.reads import (
    changed_ids,
    count_people_by_visibility,
    current_rows,
    data_stamp,
    hidden_event_ids,
    persons_citing,
    persons_of_events,
    public_ids,
)
from khronika.storage.rows import content_from_row, tx_from_row
from khronika.web import warm
from khronika.web.custody import Custody, summarise
from khronika.web.i18n import LANGS, pick_name
from khronika.web.listing import Listing, Positions

__all__ = ["Card", "Catalogue", "CatalogueHolder"]

_log = logging.getLogger(__name__)


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
    #: The public names search looks in (shared with the catalogues updated from this one).
    names: NameIndex | None = None
    #: False for a `shell`: it holds no people yet.
    complete: bool = True
    _listing: Listing | None = None

    @property
    def synthetic(self) -> bool:
        """True when the database says its data is synthetic (demo)."""
        return bool(self.meta and self.meta.get("synthetic"))

    def alphabetical(self, lang: str) -> Positions:
        """The cards' positions in alphabetical order of the name shown in `lang`, ties by
        id (computed once per language)."""
        return self.listing().order(lang, lambda c: c.display[lang].casefold())

    def sorted_cards(self, lang: str) -> list[Card]:
        """Cards in alphabetical order of the name shown in `lang`."""
        return [self.cards[i] for i in self.alphabetical(lang).tolist()]

    def listing(self) -> Listing:
        """The gallery's filters and orders over these cards (built on first use; two
        threads asking at once may both build it, and either result is the same)."""
        if self._listing is None:
            self._listing = Listing(self.cards)
        return self._listing

    @classmethod
    def build(cls, db: Database) -> Catalogue:
        """Read the current public state of the database."""
        with db.connect() as conn:
            stamp = data_stamp(conn)
            ctx = public_context(conn)
            counts = count_people_by_visibility(conn)
            meta, organisations, facilities = _small_tables(conn, ctx)
            sources = {s["id"]: s for s in _shown("source", current_rows(conn, "source"), ctx)}
            people = _shown("person", current_rows(conn, "person"), ctx)
            pinned: set[str] = set()
            events = _shown("event", _of_public(current_rows(conn, "event"), ctx, pinned), ctx)
        by_person: dict[str, list[dict[str, Any]]] = {}
        for e in events:
            by_person.setdefault(e["person"], []).append(e)
        cards = []
        for p in people:
            evs = sorted(by_person.get(p["id"], []), key=event_order)
            by_person[p["id"]] = evs
            cards.append(_card(p, evs))
        events.sort(key=_newest_first, reverse=True)
        return cls(
            cards=cards,
            by_id={c.id: c for c in cards},
            events=events,
            events_by_person=by_person,
            sources=sources,
            organisations=organisations,
            facilities=facilities,
            meta=meta,
            counts=counts,
            ctx=ctx,
            stamp=stamp,
            pinned=frozenset(pinned),
            names=NameIndex(cards),
        )

    @classmethod
    def shell(cls, db: Database) -> Catalogue:
        """What a worker has at once while its first catalogue builds: the dataset's meta,
        organisations, facilities and counts, and no people (`complete` is False).

        Person pages are read from the database meanwhile; pages that list people wait for
        the full catalogue (in a worker thread: `khronika.web.offload`).
        """
        with db.connect() as conn:
            ctx = public_context(conn)
            meta, organisations, facilities = _small_tables(conn, ctx)
            counts = count_people_by_visibility(conn)
        return cls(
            cards=[],
            by_id={},
            events=[],
            events_by_person={},
            sources={},
            organisations=organisations,
            facilities=facilities,
            meta=meta,
            counts=counts,
            ctx=ctx,
            complete=False,
        )

    def search_names(self, query: str, *, limit: int = 200, mention: bool = False) -> list[Hit]:
        """Hits of the name matcher among the public names, best first: only of people in
        this catalogue, under a name and birth date their card has now (`mention`: read the
        query like a name in running text, see `khronika.names.Index.search`)."""
        if self.names is None:
            self.names = NameIndex(self.cards)
        out = []
        for h in self.names.search(query, mention=mention):
            card = self.by_id.get(str(h.key))
            if card is not None and (h.name, h.birth_date) in _entries_of(card):
                out.append(h)
                if len(out) == limit:
                    break
        return out

    def updated(self, db: Database) -> Catalogue | None:
        """Return this catalogue brought up to the database's present state by reading
        again only the records changed since its stamp; None when a full build is due (a
        facility changed, too much changed, or the changes cannot be told exactly).

        What it returns equals what `build` would (the order of cards aside: a changed
        person keeps its place): everything a changed record could alter is read again
        through `redact` — a changed person's card and events, the events of everyone
        citing a source whose tier moved, the totals — and the rest is kept as it was.
        """
        with db.connect() as conn:
            return self._updated(conn)

    def _updated(self, conn: Any) -> Catalogue | None:
        stamp = data_stamp(conn)  # first: what is written later is seen next time
        if stamp == self.stamp:
            return self
        changed = changed_ids(conn, self.stamp, stamp)
        if (
            changed is None
            or "facility" in changed  # a facility's tier is in every event's details
            or sum(len(v) for v in changed.values()) > MAX_PATCH
        ):
            return None
        persons = set(changed.get("person", ()))
        if "event" in changed:
            persons |= persons_of_events(conn, changed["event"])
        ctx = PublicContext(
            persons=set(self.ctx.persons),
            sources=set(self.ctx.sources),
            facilities=self.ctx.facilities,
            all_facilities=self.ctx.all_facilities,
        )
        sources = self.sources
        if "source" in changed:
            rows = current_rows(conn, "source", sorted(changed["source"]))
            now = context_from_rows(sources=_mappings(rows)).sources
            moved = {s for s in changed["source"] if (s in now) != (s in ctx.sources)}
            if len(moved) > MAX_SOURCES_MOVED:
                return None
            ctx.sources = (ctx.sources - changed["source"]) | now
            sources = {k: v for k, v in sources.items() if k not in changed["source"]}
            sources.update((x["id"], x) for x in _shown("source", rows, ctx))
            if moved:
                persons |= persons_citing(conn, moved)
        person_rows = current_rows(conn, "person", sorted(persons))
        ctx.persons = (ctx.persons - persons) | context_from_rows(
            persons=_mappings(person_rows)
        ).persons
        people = {p["id"]: p for p in _shown("person", person_rows, ctx)}
        pinned = set(self.pinned) - set(changed.get("event", ()))
        shown_persons = sorted(people)
        rows = current_rows(conn, "event", persons=shown_persons) if shown_persons else []
        fresh = _shown("event", _of_public(rows, ctx, pinned), ctx)
        by_person = dict(self.events_by_person)
        for pid in persons:
            by_person.pop(pid, None)
        for e in fresh:
            by_person.setdefault(e["person"], []).append(e)
        for pid in people:
            by_person[pid] = sorted(by_person.get(pid, []), key=event_order)
        cards: list[Card] = []
        for c in self.cards:
            if c.id not in persons:
                cards.append(c)
            elif c.id in people:
                cards.append(_card(people.pop(c.id), by_person[c.id]))
        cards.extend(_card(p, by_person[pid]) for pid, p in people.items())
        names = self.names
        if names is not None:
            names.add(c for c in cards if c.id in persons)
        gone = [e for pid in persons for e in self.events_by_person.get(pid, ())]
        events = _replaced(self.events, gone, fresh, persons)
        organisations, meta = self.organisations, self.meta
        if "organisation" in changed:
            rows = current_rows(conn, "organisation")
            organisations = {o["id"]: o for o in _shown("organisation", rows, ctx)}
        if "meta" in changed:
            metas = _shown("meta", current_rows(conn, "meta"), ctx)
            meta = metas[0] if metas else None
        counts = count_people_by_visibility(conn) if "person" in changed else self.counts
        return Catalogue(
            cards=cards,
            by_id={c.id: c for c in cards},
            events=events,
            events_by_person=by_person,
            sources=sources,
            organisations=organisations,
            facilities=self.facilities,
            meta=meta,
            counts=counts,
            ctx=ctx,
            stamp=stamp,
            pinned=frozenset(pinned),
            names=names,
        )


class NameIndex:
    """Every public name search looks in, indexed on first use and added to as people change.

    Names are never taken out: a hit counts only while its person, name and birth date are
    still on a card of the catalogue asking (`Catalogue.search_names`), so an index shared
    by a catalogue and those updated from it answers each of them right. A full rebuild
    starts a new one.
    """

    def __getstate__(self) -> dict[str, Any]:
        """Everything but the lock (a catalogue kept on disk keeps its index: `web.warm`).

        Not taken: the index is pickled by a forked copy of the worker (`warm.save_aside`),
        where a lock another thread held at the fork would never be released.
        """
        return {k: v for k, v in self.__dict__.items() if k != "_lock"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def __init__(self, cards: Iterable[Card]) -> None:
        self._lock = threading.Lock()
        self._index: Index | None = None
        self._pending: list[tuple[str, str, str | None]] = []
        self._seen: set[tuple[str, str, str | None]] = set()
        self.add(cards)

    def add(self, cards: Iterable[Card]) -> None:
        """Index the names of `cards` (people new or changed) not indexed yet."""
        with self._lock:
            rows = [
                (c.id, name, birth)
                for c in cards
                for name, birth in sorted(_entries_of(c), key=str)
                if (c.id, name, birth) not in self._seen
            ]
            self._seen.update(rows)
            if self._index is None:
                self._pending.extend(rows)
            else:
                self._index.extend(rows)

    def build(self) -> Index:
        """Index every name added so far (once; a search would, and wait for it)."""
        with self._lock:
            if self._index is None:
                self._index = Index()
                self._index.extend(self._pending)
                self._pending = []
            return self._index

    def search(self, query: str, *, mention: bool = False) -> list[Hit]:
        """Every indexed name that matches `query`, best first."""
        index = self.build()
        with self._lock:
            return index.search(query, limit=len(index), explain=False, mention=mention)


def _entries_of(card: Card) -> set[tuple[str, str | None]]:
    birth = card.person.get("birth_date")
    return {(n["name"], birth) for n in card.person["names"]}


#: More changed records than this and reading everything again is the cheaper way.
MAX_PATCH = 20_000
#: Sources whose tier moved: each one is looked for in every event's sources.
MAX_SOURCES_MOVED = 200


def _shown(rtype: str, rows: Iterable[Any], ctx: PublicContext) -> list[dict[str, Any]]:
    """What the public may see of `rows` (current versions of `rtype`), through `redact`."""
    out = []
    for row in rows:
        rec = content_from_row(rtype, row) | tx_from_row(row)
        visible = redact(rtype, rec, Audience.PUBLIC, ctx)
        if visible is not None:
            out.append(visible)
    return out


def _of_public(rows: Iterable[Any], ctx: PublicContext, pinned: set[str]) -> Iterator[Any]:
    """The event rows of public people (cheaper to skip unconverted: `redact` would drop
    the others), noting in `pinned` those whose own tier is public."""
    for row in rows:
        if row.visibility == "public":
            pinned.add(row.id)
        if row.person in ctx.persons:
            yield row


def _card(person: dict[str, Any], events: list[dict[str, Any]]) -> Card:
    """The gallery's card of a public person with their public events (timeline order)."""
    text = "\n".join(n["name"].casefold() for n in person["names"])
    card = Card(person, summarise(events), text)
    card.display = {lang: pick_name(person["names"], lang)["name"] for lang in LANGS}
    return card


def _mappings(rows: Iterable[Any]) -> list[dict[str, Any]]:
    return [{"id": r.id, "visibility": r.visibility} for r in rows]


#: Events taken out and put in one by one up to this many; beyond, the list is sorted again.
_MAX_MOVES = 2000


class _Descending:
    """A sort key compared the other way round: `bisect` on a list sorted newest first."""

    __slots__ = ("key",)

    def __init__(self, key: tuple[str, str]) -> None:
        self.key = key

    def __lt__(self, other: _Descending) -> bool:
        return self.key > other.key


def _position(events: list[dict[str, Any]], key: tuple[str, str]) -> int:
    return bisect.bisect_left(events, _Descending(key), key=lambda e: _Descending(_newest_first(e)))


def _replaced(
    events: list[dict[str, Any]],
    gone: list[dict[str, Any]],
    fresh: list[dict[str, Any]],
    persons: set[str],
) -> list[dict[str, Any]]:
    """`events` (newest first) without `gone` (the old events of `persons`) and with
    `fresh`, still newest first; a new list."""
    if len(gone) + len(fresh) > _MAX_MOVES:
        out = [e for e in events if e["person"] not in persons]
        out.extend(fresh)
        out.sort(key=_newest_first, reverse=True)
        return out
    out = list(events)
    for e in gone:
        i = _position(out, _newest_first(e))
        if i < len(out) and out[i]["id"] == e["id"]:
            del out[i]
    for e in fresh:
        out.insert(_position(out, _newest_first(e)), e)
    return out


def _newest_first(e: dict[str, Any]) -> tuple[str, str]:
    return (e["recorded"], e["id"])


class CatalogueHolder:
    """Keeps one worker's catalogue fresh: rebuilt when the database's fingerprint moves.

    A rebuild at Belarus scale takes seconds, so by default it runs in a background thread
    while requests keep the previous catalogue. Privacy does not wait for it: as soon as a
    change is seen, people and sources that are no longer public are cut from the old
    catalogue (cheap queries), so a person withheld a moment ago disappears at once, and so
    does an event restricted a moment ago or left without a public source.
    """

    def __init__(
        self,
        db: Database,
        *,
        refresh: float | None = None,
        background: bool = True,
        keep_in: Path | None = None,
    ) -> None:
        self.db = db
        #: Where the first catalogue is kept between starts (`khronika.web.warm`), or None.
        self.kept = warm.kept_path(keep_in, db) if keep_in is not None else None
        self.refresh = float(settings.get("KHRONIKA_WEB_REFRESH")) if refresh is None else refresh
        self.background = background
        self._catalogue: Catalogue | None = None
        self._checked = 0.0
        self._lock = threading.Lock()
        self._building = False
        #: Set once a complete catalogue is held (at once when none is being built).
        self._ready = threading.Event()
        self._ready.set()
        #: Grows whenever a change is seen: caches of rendered pages key on it.
        self.generation = 0
        #: True when the catalogue holds the data as last seen (not a patched old copy).
        self.current = False
        #: Called once the first catalogue is built, in its thread (the app's other indexes,
        #: built there rather than in a request).
        self.after_first: Callable[[], None] | None = None

    def start(self) -> None:
        """Make the catalogue for a worker starting up.

        In the background (the default), the worker holds a `Catalogue.shell` at once and
        builds the catalogue and its name index in a thread: it answers person pages (read
        from the database) within a second or two of starting, and pages that list people
        once the build is done (waiting for it in a worker thread, `khronika.web.offload`).
        Else it builds here, as `get` would.
        """
        if not self.background:
            cat = self.get()
            if cat.names is not None:
                cat.names.build()
            if self.after_first is not None:
                self.after_first()
            return
        with self._lock:
            if self._catalogue is not None:
                return
            self._catalogue = Catalogue.shell(self.db)
            self._ready.clear()
            self._building = True
        threading.Thread(target=self._first_build, daemon=True).start()

    @property
    def complete(self) -> bool:
        """True once the worker holds a complete catalogue (not the start-up shell)."""
        cat = self._catalogue
        return cat is not None and cat.complete

    def peek(self) -> Catalogue:
        """The catalogue held now, complete or the start-up shell; never waits for a build."""
        if self.complete or self._catalogue is None:
            return self.get()
        return self._catalogue

    @property
    def check_due(self) -> bool:
        """True when `get` would read the database or wait: the catalogue is not built
        yet, or its change check is due (its interval passed, or a write invalidated it)."""
        return not self.complete or time.monotonic() - self._checked >= self.refresh

    def invalidate(self) -> None:
        """Look for changes on next use (after a write from this process)."""
        self._checked = 0.0

    def get(self) -> Catalogue:
        """Return the catalogue, rebuilding it when the database changed (while the first
        build runs, wait for it: from the event loop, `offload.catalogue_of`)."""
        if not self._ready.is_set():
            self._ready.wait()
        cat = self._catalogue
        if cat is not None and time.monotonic() - self._checked < self.refresh:
            return cat
        with self._lock:
            cat = self._catalogue
            if cat is not None and time.monotonic() - self._checked < self.refresh:
                return cat
            if cat is None:
                cat = Catalogue.build(self.db)
                self._catalogue, self._checked = cat, time.monotonic()
                self.generation += 1
                self.current = True
                return cat
            # Small changes (an editor's save, an import of thousands): read only them again.
            new = cat.updated(self.db)
            if new is not None:
                if new is not cat:
                    # Exact, even over a patched copy: its stamp is the one it was built at.
                    self.generation += 1
                    self.current = True
                self._catalogue, self._checked = new, time.monotonic()
                return new
            if not self.background:
                cat = Catalogue.build(self.db)
                self._catalogue, self._checked = cat, time.monotonic()
                self.generation += 1
                self.current = True
                return cat
            with self.db.connect() as conn:
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

    def _first_build(self) -> None:
        try:
            with _no_collection():
                cat, keep = self._warm_start()
                if cat is None:
                    cat = Catalogue.build(self.db)
                if cat.names is not None:
                    cat.names.build()  # here, not in the first search
            # Millions of long-lived objects: kept out of the collector's full passes, which
            # would otherwise stop every request of the worker for seconds at a time.
            gc.freeze()
            with self._lock:
                self._catalogue, self._checked = cat, time.monotonic()
                self.generation += 1
                self.current = True
        except BaseException:
            with self._lock:
                self._catalogue = None  # the next `get` builds in its caller, and says why
            raise
        finally:
            self._building = False
            self._ready.set()
        if keep and self.kept is not None:
            try:
                warm.save_aside(self.kept, cat, self.db)
            except OSError:
                _log.warning("could not keep the catalogue in %s", self.kept)
        if self.after_first is not None:
            try:
                self.after_first()
            except Exception:  # noqa: BLE001 - built again on first use; the worker goes on
                _log.exception("an index built at start-up failed")

    def _warm_start(self) -> tuple[Catalogue | None, bool]:
        """The catalogue kept by the last worker, brought up to date by reading only what
        changed since (None when none is kept for this code and database, or a full build
        is due), and whether what this start ends with should be kept (it differs)."""
        kept = warm.load(self.kept, self.db) if self.kept is not None else None
        if kept is None:
            return None, True
        cat = kept.updated(self.db)
        return cat, cat is not kept

    def _rebuild(self) -> None:
        try:
            with _no_collection():
                cat = Catalogue.build(self.db)
                if cat.names is not None:
                    cat.names.build()  # here, not in the first search after the swap
            with self._lock:
                self._catalogue, self._checked = cat, time.monotonic()
                self.generation += 1
                # Changes made during the build are seen at the next check, which clears
                # this again and starts another build.
                self.current = True
        finally:
            self._building = False


def _small_tables(
    conn: Any, ctx: PublicContext
) -> tuple[dict[str, Any] | None, dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """The public meta record, organisations and facilities (by id): what a page needs
    besides the people."""
    metas = _shown("meta", current_rows(conn, "meta"), ctx)
    organisations = {
        o["id"]: o for o in _shown("organisation", current_rows(conn, "organisation"), ctx)
    }
    facilities = {f["id"]: f for f in _shown("facility", current_rows(conn, "facility"), ctx)}
    return (metas[0] if metas else None), organisations, facilities


@contextmanager
def _no_collection() -> Iterator[None]:
    """No cyclic garbage collection while a catalogue is built.

    A build allocates millions of objects; each allocation burst would start a collection
    over the whole heap, and a collection holds the GIL: seconds in which the worker's
    requests wait (measured at 100k people: person pages of 3–4 s during the first build,
    and the build itself 13 s longer). What little cyclic garbage a build makes waits for
    the next collection.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


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
        names=cat.names,  # a hit counts only for a card still here (`search_names`)
    )
