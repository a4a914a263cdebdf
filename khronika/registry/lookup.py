"""Look people up: one person with their events, or a search by name, as known on any date."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from khronika.errors import NotFound
from khronika.model.dates import PartialDate, storage_timestamp
from khronika.model.events import EVENT_KINDS
from khronika.storage import Database
from khronika.storage.rows import content_from_row, tx_from_row
from khronika.storage.versions import current_version, events_of_person, search_persons

__all__ = ["PersonView", "event_order", "get_person", "search_people"]


@dataclass
class PersonView:
    """A person as known on a date, with their events in order."""

    person: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)


def event_order(event: dict[str, Any]) -> tuple[str, int, str, str]:
    """Sort key of a person's events: (effective date, seq, recorded, id).

    The effective date is the first day of a partial date for events that begin a state and
    the last day for events that end one (docs/figures.md).
    """
    d = PartialDate.parse(event["date"])
    effective = d.upper if EVENT_KINDS[event["kind"]].ends_state else d.lower
    return (effective, event.get("seq") or 0, event.get("recorded", ""), event["id"])


def get_person(db: Database, person_id: str, *, known_on: str | None = None) -> PersonView:
    """Return a person and their events as known on `known_on` (default: now).

    Raises:
        NotFound: the person did not exist (as known on that date).
    """
    k = storage_timestamp(known_on) if known_on else None
    with db.connect() as conn:
        row = current_version(conn, "person", person_id, known_on=k)
        if row is None:
            when = f" as known on {known_on}" if known_on else ""
            raise NotFound(f"no person {person_id!r}{when}")
        person = content_from_row("person", row) | tx_from_row(row)
        events = [
            content_from_row("event", r) | tx_from_row(r)
            for r in events_of_person(conn, person_id, known_on=k)
        ]
    events.sort(key=event_order)
    return PersonView(person, events)


def search_people(
    db: Database, query: str, *, known_on: str | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """Return people whose names contain every word of `query` (any script, any case)."""
    words = query.split()
    if not words:
        return []
    k = storage_timestamp(known_on) if known_on else None
    with db.connect() as conn:
        rows = search_persons(conn, words, known_on=k, limit=limit)
    return [content_from_row("person", r) | tx_from_row(r) for r in rows]
