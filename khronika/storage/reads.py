"""Reads the web pages and feeds need: current rows, recent events, ids by tier, a data stamp.

Each reads current versions only (what is known now); as-of reads live in `versions`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Row, func, or_, select

from khronika.storage.schema import tables
from khronika.storage.versions import known_on_clause

__all__ = [
    "changed_ids",
    "count_people_by_visibility",
    "current_rows",
    "data_stamp",
    "persons_citing",
    "persons_of_events",
    "hidden_event_ids",
    "public_ids",
    "recent_events",
    "stamp_anchor",
]


#: Values per table in a data stamp: newest pk, retractions, newest retraction, and how
#: many versions were retracted at that newest moment, and how many rows there are.
_STAMP_WIDTH = 5
# Ids per IN (…): well under SQLite's limit of bound parameters.
_CHUNK = 5000


def data_stamp(conn: Connection) -> tuple[Any, ...]:
    """Return a fingerprint that changes whenever any record version is added or retracted.

    For each record table: the newest row id, the number of retracted versions, the newest
    retraction time, how many versions share it, and the number of rows. An insert raises
    the first, a retraction (the only UPDATE a versioned table sees) the second; the rest let
    `changed_ids` find what changed since (all of it is read from indexes).
    """
    out: list[Any] = []
    for t in tables.values():
        top, n, last, rows = conn.execute(
            select(
                func.max(t.c.pk), func.count(t.c.retracted), func.max(t.c.retracted), func.count()
            )
        ).one()
        ties = 0
        if last is not None:
            ties = conn.execute(select(func.count()).where(t.c.retracted == last)).scalar_one()
        out.extend((top, n, last, ties, rows))
    return tuple(out)


def stamp_anchor(conn: Connection, stamp: tuple[Any, ...]) -> tuple[Any, ...]:
    """Return the (id, recorded) of the row at each record table's newest id in `stamp`
    (None for a table that was empty), as the database holds them now.

    Rows are never rewritten (only retracted), so a database whose history goes on from the
    one `stamp` was read from answers the same; another database at the same address (a
    restore of something else) almost never does. `changed_ids` from a stamp is only
    meaningful in the first case.
    """
    out: list[Any] = []
    for i, t in enumerate(tables.values()):
        top = stamp[_STAMP_WIDTH * i] if len(stamp) == _STAMP_WIDTH * len(tables) else None
        row = None
        if top is not None:
            row = conn.execute(select(t.c.id, t.c.recorded).where(t.c.pk == top)).first()
        out.append(None if row is None else (str(row.id), str(row.recorded)))
    return tuple(out)


def changed_ids(
    conn: Connection, old: tuple[Any, ...], new: tuple[Any, ...]
) -> dict[str, set[str]] | None:
    """Return the ids of each record table with a version added or retracted between two
    data stamps (`new` read after `old`), or None when that cannot be told exactly.

    Exact unless a retraction carries an earlier time than one already seen (clocks of
    two writers apart), a row committed after one with a higher id (PostgreSQL hands out
    ids before commit), or rows were deleted (a restore): then None, and the caller reads
    everything again. Ids changed after `new` was read may be included too.
    """
    if len(old) != len(new) or len(new) != _STAMP_WIDTH * len(tables):
        return None
    out: dict[str, set[str]] = {}
    for i, (name, t) in enumerate(tables.items()):
        top0, n0, last0, ties0, rows0 = old[_STAMP_WIDTH * i : _STAMP_WIDTH * (i + 1)]
        top1, n1, last1, _, rows1 = new[_STAMP_WIDTH * i : _STAMP_WIDTH * (i + 1)]
        if (top1 or 0) < (top0 or 0) or n1 < n0 or rows1 < rows0:
            return None
        ids: set[str] = set()
        if rows1 != rows0 or top1 != top0:
            stmt = select(t.c.id).where(t.c.pk > (top0 or 0), t.c.pk <= (top1 or 0))
            added = list(conn.execute(stmt).scalars())
            # Every row added since `old` has a higher id than its newest one, unless one
            # committed after a row with a higher id did (then it is not found by id).
            if len(added) != rows1 - rows0:
                return None
            ids.update(added)
        if n1 != n0:
            stmt = select(t.c.id).where(t.c.retracted <= last1)
            if last0 is not None:
                stmt = stmt.where(t.c.retracted >= last0)
            else:
                stmt = stmt.where(t.c.retracted.is_not(None))
            found = list(conn.execute(stmt).scalars())
            # Every retraction since `old` is at or after its newest one, and so are the
            # `ties0` versions retracted at that moment: anything else and a retraction
            # was stamped earlier than one already seen.
            if len(found) != ties0 + (n1 - n0):
                return None
            ids.update(found)
        if ids:
            out[name] = ids
    return out


def persons_of_events(conn: Connection, ids: Iterable[str]) -> set[str]:
    """Return the people any version (current or retracted) of the given events is about."""
    t = tables["event"]
    wanted, out = sorted(set(ids)), set[str]()
    for k in range(0, len(wanted), _CHUNK):
        chunk = wanted[k : k + _CHUNK]
        out.update(conn.execute(select(t.c.person).where(t.c.id.in_(chunk)).distinct()).scalars())
    return out


def persons_citing(conn: Connection, source_ids: Iterable[str]) -> set[str]:
    """Return the people of the current events that cite any of the given sources."""
    t = tables["event"]
    wanted, out = sorted(set(source_ids)), set[str]()
    for k in range(0, len(wanted), 50):
        # `sources` is a canonical JSON list of ids: a cited id appears quoted.
        cites = [t.c.sources.contains(f'"{s}"', autoescape=True) for s in wanted[k : k + 50]]
        stmt = select(t.c.person).where(known_on_clause(t, None), or_(*cites)).distinct()
        out.update(conn.execute(stmt).scalars())
    return out


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


def current_rows(
    conn: Connection,
    rtype: str,
    ids: Sequence[str] | None = None,
    *,
    persons: Sequence[str] | None = None,
) -> list[Row[Any]]:
    """Return the current versions of `rtype` (of the given ids only, or, for events, of
    the given people only, when given)."""
    t = tables[rtype]
    stmt = select(t).where(known_on_clause(t, None))
    column, wanted = (t.c.id, ids) if persons is None else (t.c.person, persons)
    if wanted is None:
        return list(conn.execute(stmt))
    keys, out = sorted(set(wanted)), list[Row[Any]]()
    for k in range(0, len(keys), _CHUNK):
        out.extend(conn.execute(stmt.where(column.in_(keys[k : k + _CHUNK]))))
    return out
