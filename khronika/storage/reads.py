"""Reads the web pages and feeds need: current rows, recent events, ids by tier, a data stamp.

Each reads current versions only (what is known now); as-of reads live in `versions`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, func, select

from khronika.storage.schema import tables
from khronika.storage.versions import known_on_clause

__all__ = [
    "count_people_by_visibility",
    "current_rows",
    "data_stamp",
    "hidden_event_ids",
    "public_ids",
    "recent_events",
]


def data_stamp(conn: Connection) -> tuple[Any, ...]:
    """Return a fingerprint that changes whenever any record version is added or retracted.

    The newest row id and the number of retracted versions of each record table: an insert
    raises the first, a retraction (the only UPDATE a versioned table sees) the second.
    """
    out: list[Any] = []
    for t in tables.values():
        row = conn.execute(select(func.max(t.c.pk), func.count(t.c.retracted))).one()
        out.extend(row)
    return tuple(out)


def recent_events(conn: Connection, *, limit: int, before: str | None = None) -> list[Row[Any]]:
    """Return current event versions, newest `recorded` first (for feeds), at most `limit`."""
    t = tables["event"]
    stmt = select(t).where(known_on_clause(t, None))
    if before is not None:
        stmt = stmt.where(t.c.recorded < before)
    return list(conn.execute(stmt.order_by(t.c.recorded.desc(), t.c.pk.desc()).limit(limit)))


def count_people_by_visibility(conn: Connection) -> dict[str, int]:
    """Return how many people are current, by visibility (names never leave this)."""
    t = tables["person"]
    rows = conn.execute(
        select(t.c.visibility, func.count())
        .where(known_on_clause(t, None))
        .group_by(t.c.visibility)
    )
    return {v: n for v, n in rows}


def public_ids(conn: Connection, rtype: str) -> set[str]:
    """Return the ids whose current version may be public (person/source `visibility`)."""
    t = tables[rtype]
    stmt = select(t.c.id).where(known_on_clause(t, None), t.c.visibility == "public")
    return set(conn.execute(stmt).scalars())


def hidden_event_ids(conn: Connection) -> set[str]:
    """Return the ids of current events whose own tier keeps them from the public."""
    t = tables["event"]
    stmt = select(t.c.id).where(
        known_on_clause(t, None), t.c.visibility.in_(("restricted", "withheld"))
    )
    return set(conn.execute(stmt).scalars())


def current_rows(conn: Connection, rtype: str, ids: Sequence[str] | None = None) -> list[Row[Any]]:
    """Return the current versions of `rtype` (of the given ids only, when given)."""
    t = tables[rtype]
    stmt = select(t).where(known_on_clause(t, None))
    if ids is not None:
        if not ids:
            return []
        stmt = stmt.where(t.c.id.in_(list(ids)))
    return list(conn.execute(stmt))
