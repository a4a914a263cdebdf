"""An updated catalogue is the catalogue a full build makes, after every kind of change.

The web app reads again only the records changed since its catalogue's stamp
(`Catalogue.updated`); each step below writes one kind of change and compares the updated
catalogue with `Catalogue.build` of the same database, field by field, search included.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from khronika.registry import add_record, get_person, retract_event
from khronika.storage import Database
from khronika.storage.reads import changed_ids, data_stamp
from khronika.web import catalogue
from khronika.web.catalogue import Catalogue, CatalogueHolder
from khronika.web.i18n import LANGS
from tests.web.conftest import FIXTURE, load_fixture

QUERIES = (
    "Алеся Вярбіцкая",
    "Olesya Verbitskaya",
    "Тарас Мельнік",
    "Withheldname Zzyzx",
    "Newname Personn",
    "Newname Другая",
    "Ганна Кавалёва",
)


def fixture_record(rid: str) -> dict[str, Any]:
    import json

    for line in FIXTURE.read_text("utf-8").splitlines():
        rec = json.loads(line)
        if rec.get("id") == rid:
            return {k: v for k, v in rec.items() if k not in ("recorded", "retracted")}
    raise KeyError(rid)


def current(db: Database, pid: str) -> dict[str, Any]:
    person = get_person(db, pid).person
    return {k: v for k, v in person.items() if k not in ("recorded", "recorded_by")}


def view(cat: Catalogue) -> dict[str, Any]:
    """Everything a page can show from the catalogue, in a comparable form."""
    shown = {e["id"] for e in cat.events}
    return {
        "cards": {c.id: (c.person, c.custody, c.search_text, c.display) for c in cat.cards},
        "sorted": {lang: [c.id for c in cat.sorted_cards(lang)] for lang in LANGS},
        "events": cat.events,
        "by_person": cat.events_by_person,
        "sources": cat.sources,
        "organisations": cat.organisations,
        "facilities": cat.facilities,
        "meta": cat.meta,
        "counts": cat.counts,
        "ctx": (cat.ctx.persons, cat.ctx.sources, cat.ctx.facilities, cat.ctx.all_facilities),
        "pinned": cat.pinned & shown,
        "search": {q: sorted(str(h.key) for h in cat.search_names(q)) for q in QUERIES},
    }


def _new_person(db: Database) -> None:
    add_record(
        db,
        {
            "type": "person",
            "id": "pn",
            "names": [{"name": "Newname Personn", "lang": "en", "primary": True}],
            "sex": "f",
            "region": "BY-MI",
            "visibility": "public",
        },
    )
    add_record(
        db,
        {
            "type": "event",
            "id": "en1",
            "person": "pn",
            "kind": "detained",
            "date": "2025-02-01",
            "sources": ["s-pub2"],
        },
    )


def _rename(db: Database) -> None:
    p1 = current(db, "p1")
    add_record(db, {**p1, "names": [{"name": "Newname Другая", "lang": "be", "primary": True}]})


def _withhold(db: Database) -> None:
    add_record(db, {**current(db, "p2"), "visibility": "withheld"})


def _publish(db: Database) -> None:
    add_record(db, {**current(db, "w1"), "visibility": "public"})


def _restrict_event(db: Database) -> None:
    add_record(db, {**fixture_record("e9"), "visibility": "restricted"})


def _source_hidden(db: Database) -> None:
    add_record(db, {**fixture_record("s-pub"), "visibility": "restricted"})


def _source_public(db: Database) -> None:
    add_record(db, {**fixture_record("s-pub"), "visibility": "public"})


def _retract(db: Database) -> None:
    retract_event(db, "e10", reason="test: wrong date")


def _move_event(db: Database) -> None:
    add_record(db, {**fixture_record("e12"), "person": "p3"})


def _organisation(db: Database) -> None:
    add_record(db, {**fixture_record("rights-a"), "name": "Rights Group A renamed (synthetic)"})


STEPS: list[tuple[str, Callable[[Database], None]]] = [
    ("a new person and event", _new_person),
    ("a person renamed", _rename),
    ("a person withheld", _withhold),
    ("a withheld person published", _publish),
    ("an event restricted", _restrict_event),
    ("a source restricted", _source_hidden),
    ("the source public again", _source_public),
    ("an event retracted", _retract),
    ("an event moved to another person", _move_event),
    ("an organisation renamed", _organisation),
]


@pytest.mark.parametrize("moves", [2000, 0], ids=["one by one", "sorted again"])
def test_every_update_equals_a_full_build(
    db: Database, moves: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalogue, "_MAX_MOVES", moves)
    load_fixture(db)
    cat = Catalogue.build(db)
    for what, step in STEPS:
        step(db)
        updated = cat.updated(db)
        assert updated is not None, what
        assert updated is not cat, what
        assert view(updated) == view(Catalogue.build(db)), what
        cat = updated
    assert cat.updated(db) is cat  # nothing changed since


def test_search_follows_a_rename(db: Database) -> None:
    load_fixture(db)
    cat = Catalogue.build(db)
    assert "p2" in {str(h.key) for h in cat.search_names("Тарас Мельнік")}
    assert "p1" in {str(h.key) for h in cat.search_names("Алеся Вярбіцкая")}
    _rename(db)
    cat = cat.updated(db)
    assert cat is not None
    assert "p1" not in {str(h.key) for h in cat.search_names("Алеся Вярбіцкая")}
    assert "p1" in {str(h.key) for h in cat.search_names("Newname Другая")}
    _withhold(db)
    cat = cat.updated(db)
    assert cat is not None
    assert all(str(h.key) != "p2" for h in cat.search_names("Тарас Мельнік"))


def test_a_facility_change_means_a_full_build(db: Database) -> None:
    load_fixture(db)
    cat = Catalogue.build(db)
    add_record(db, {**fixture_record("col-4"), "public": False})
    assert cat.updated(db) is None
    holder = CatalogueHolder(db, refresh=0, background=False)
    holder._catalogue = cat
    assert view(holder.get()) == view(Catalogue.build(db))


def _at(day: int) -> datetime:
    return datetime(2030, 1, day, tzinfo=UTC)


def test_a_retraction_stamped_before_the_newest_is_not_missed(db: Database) -> None:
    """Two writers' clocks apart: a retraction earlier than one already seen cannot be
    found by time, so the changes are not told exactly and the catalogue is built again."""
    load_fixture(db)
    for eid in ("ex1", "ex2"):
        add_record(
            db,
            {
                "type": "event",
                "id": eid,
                "person": "p4",
                "kind": "detained",
                "date": "2029-12-01",
                "sources": ["s-pub"],
            },
            now=_at(1),
        )
    retract_event(db, "ex2", reason="test", now=_at(20))
    cat = Catalogue.build(db)
    before = data_stamp_of(db)
    retract_event(db, "ex1", reason="test", now=_at(10))  # earlier than ex2's retraction
    with db.connect() as conn:
        assert changed_ids(conn, before, data_stamp(conn)) is None
    assert cat.updated(db) is None
    holder = CatalogueHolder(db, refresh=0, background=False)
    holder._catalogue = cat
    got = holder.get()
    assert "ex1" not in {e["id"] for e in got.events}
    assert view(got) == view(Catalogue.build(db))


def data_stamp_of(db: Database) -> tuple[Any, ...]:
    with db.connect() as conn:
        return data_stamp(conn)


@pytest.mark.parametrize("background", [True, False])
def test_the_holder_updates_in_place(db: Database, background: bool) -> None:
    load_fixture(db)
    holder = CatalogueHolder(db, refresh=0, background=background)
    first = holder.get()
    generation = holder.generation
    _withhold(db)
    cat = holder.get()
    assert "p2" not in cat.by_id and holder.current and not holder._building
    assert holder.generation == generation + 1
    assert cat.names is first.names  # the name index is kept, not built again
    assert view(cat) == view(Catalogue.build(db))


def test_the_patched_catalogue_keeps_the_index_and_hides_at_once(db: Database) -> None:
    """A facility change sends the holder to the background rebuild; meanwhile the old
    catalogue, cut to what is still public, searches the same index without the hidden."""
    load_fixture(db)
    holder = CatalogueHolder(db, refresh=0, background=True)
    first = holder.get()
    assert "p2" in {str(h.key) for h in first.search_names("Тарас Мельнік")}
    add_record(db, {**fixture_record("col-4"), "public": False})
    _withhold(db)
    patched = holder.get()
    try:
        assert patched.names is first.names
        assert "p2" not in patched.by_id
        assert all(str(h.key) != "p2" for h in patched.search_names("Тарас Мельнік"))
    finally:
        while holder._building:  # let the rebuild finish before the database goes
            time.sleep(0.01)


def test_a_row_committed_after_a_higher_id_is_not_missed(db: Database) -> None:
    """PostgreSQL hands out ids before commit: a version with a lower id can commit after
    the stamp saw a higher one. The row count says so, and the changes are not told."""
    load_fixture(db)
    _withhold(db)  # the person version with the highest id so far
    with db.connect() as conn:
        now = data_stamp(conn)
        # As the stamp would have read it had that version committed after the one before
        # it, with its id, had not: the same newest id, one row fewer.
        width = len(now) // len(catalogue_tables())  # per table; the row count is last
        at = catalogue_tables().index("person") * width + width - 1
        before = (*now[:at], now[at] - 1, *now[at + 1 :])
        assert changed_ids(conn, before, now) is None
        assert changed_ids(conn, now, now) == {}


def catalogue_tables() -> list[str]:
    from khronika.storage.schema import tables

    return list(tables)


def test_at_start_up_person_pages_answer_while_the_catalogue_builds(
    db: Database, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker answers person pages (from the database) before its catalogue is built;
    a page listing people waits for the build without holding up the worker; the hidden
    stay hidden all along."""
    import threading

    from fastapi.testclient import TestClient

    from khronika.web.app import create_app

    load_fixture(db)
    release, building = threading.Event(), threading.Event()
    real_build = Catalogue.build

    def slow_build(database: Database) -> Catalogue:
        building.set()
        assert release.wait(30), "the test never let the build finish"
        return real_build(database)

    monkeypatch.setattr(Catalogue, "build", classmethod(lambda cls, d: slow_build(d)))
    app = create_app(db, data_dir=tmp_path / "data", refresh=0, background=True)
    with TestClient(app) as c:
        assert building.wait(10)
        holder = app.state.catalogue
        assert not holder.complete
        page = c.get("/en/people/p2")
        assert page.status_code == 200 and "Тарас Мельнік" in page.text
        missing = c.get("/en/people/nobody")
        for hidden in ("w1", "r1"):
            r = c.get(f"/en/people/{hidden}")
            assert r.status_code == 404
            assert r.text.replace(hidden, "ID") == missing.text.replace("nobody", "ID")
        assert c.get("/api/v1/people/p1").json()["person"]["id"] == "p1"
        listed: dict[str, Any] = {}

        def gallery() -> None:
            listed["page"] = c.get("/en/people")

        waiting = threading.Thread(target=gallery)
        waiting.start()
        time.sleep(0.3)
        assert "page" not in listed  # the gallery waits for the catalogue …
        assert c.get("/en/people/p3").status_code == 200  # … while persons are answered
        release.set()
        waiting.join(30)
        assert listed["page"].status_code == 200
        text = listed["page"].text
        assert all(f'href="/en/people/{p}"' in text for p in ("p1", "p2", "p3", "p4"))
        assert "/people/w1" not in text and "/people/r1" not in text
        assert holder.complete and holder.current
        # The lists check's index is built next, in the same thread, not in a request.
        deadline = time.monotonic() + 30
        while app.state.check_index._index is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert app.state.check_index._index is not None
