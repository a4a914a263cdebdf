"""Reading and writing versions of records: all SQL of the versioned tables.

A version is valid in transaction time from `recorded` (inclusive) to `retracted`
(exclusive, or open). "As known on K" selects versions with `recorded <= K` and
(`retracted` is null or `retracted > K`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, and_, bindparam, func, or_, select, update

from khronika.storage.dialects import bulk_insert
from khronika.storage.schema import tables

__all__ = [
    "StoredVersion",
    "current_version",
    "events_of_person",
    "existing_ids",
    "insert_versions",
    "known_on_clause",
    "load_versions",
    "search_persons",
    "select_versions",
    "set_retracted",
    "stored_upper_bound",
    "table_fingerprint",
]

_CHUNK = 5_000


@dataclass(slots=True)
class StoredVersion:
    """The identity and transaction time of one stored version (no content)."""

    pk: int
    recorded: str
    retracted: str | None
    digest: str


def known_on_clause(table: Any, known_on: str | None) -> Any:
    """Return the WHERE clause selecting the versions known on `known_on` (stored form).

    With `known_on` None: the current versions (not retracted).
    """
    if known_on is None:
        return table.c.retracted.is_(None)
    return and_(
        table.c.recorded <= known_on,
        or_(table.c.retracted.is_(None), table.c.retracted > known_on),
    )


def load_versions(
    conn: Connection, rtype: str, ids: Iterable[str] | None = None
) -> dict[str, list[StoredVersion]]:
    """Return every stored version of the given ids (all ids when None), by id, oldest first."""
    t = tables[rtype]
    cols = (t.c.id, t.c.pk, t.c.recorded, t.c.retracted, t.c.digest)
    out: dict[str, list[StoredVersion]] = {}

    def collect(rows: Iterable[Row[Any]]) -> None:
        for r in rows:
            out.setdefault(r.id, []).append(StoredVersion(r.pk, r.recorded, r.retracted, r.digest))

    if ids is None:
        collect(conn.execute(select(*cols)))
    else:
        id_list = list(ids)
        for i in range(0, len(id_list), _CHUNK):
            chunk = id_list[i : i + _CHUNK]
            collect(conn.execute(select(*cols).where(t.c.id.in_(chunk))))
    for versions in out.values():
        versions.sort(key=lambda v: v.recorded)
    return out


def stored_upper_bound(conn: Connection, rtype: str) -> int:
    """Return an upper bound of how many versions of `rtype` are stored (its largest key).

    Instant on both engines (the primary key index), where `count(*)` reads the table.
    """
    t = tables[rtype]
    return int(conn.execute(select(func.max(t.c.pk))).scalar() or 0)


def existing_ids(conn: Connection, rtype: str, ids: Iterable[str]) -> set[str]:
    """Return which of `ids` have at least one stored version of type `rtype`."""
    t = tables[rtype]
    found: set[str] = set()
    id_list = list(ids)
    for i in range(0, len(id_list), _CHUNK):
        chunk = id_list[i : i + _CHUNK]
        found.update(conn.execute(select(t.c.id).where(t.c.id.in_(chunk)).distinct()).scalars())
    return found


def insert_versions(conn: Connection, rtype: str, rows: Sequence[dict[str, Any]]) -> None:
    """Insert version rows (dicts of column values) in batches."""
    t = tables[rtype]
    for i in range(0, len(rows), _CHUNK * 4):
        bulk_insert(conn, t, rows[i : i + _CHUNK * 4])


def set_retracted(
    conn: Connection,
    rtype: str,
    changes: Sequence[tuple[int, str, str | None]],
    *,
    by: str | None = None,
) -> None:
    """Set `retracted`, a reason and who retracted, on versions given as (pk, retracted, reason).

    This is the only UPDATE a versioned table ever sees; content is never rewritten.
    """
    if not changes:
        return
    t = tables[rtype]
    stmt = (
        update(t)
        .where(t.c.pk == bindparam("b_pk"))
        .values(
            retracted=bindparam("b_retracted"),
            retraction_reason=bindparam("b_reason"),
            retracted_by=by,
        )
    )
    conn.execute(
        stmt, [{"b_pk": pk, "b_retracted": r, "b_reason": reason} for pk, r, reason in changes]
    )


def select_versions(
    conn: Connection,
    rtype: str,
    *,
    known_on: str | None = None,
    history: bool = False,
    ids: Sequence[str] | None = None,
    where: Any = None,
) -> Iterator[Row[Any]]:
    """Yield version rows: every version (`history`), or those known on `known_on`.

    Rows come in no particular order (callers that need a canonical order sort in
    Python: text collation differs between engines).
    """
    t = tables[rtype]
    stmt = select(t)
    if not history:
        stmt = stmt.where(known_on_clause(t, known_on))
    elif known_on is not None:
        stmt = stmt.where(t.c.recorded <= known_on)
    if ids is not None:
        stmt = stmt.where(t.c.id.in_(list(ids)))
    if where is not None:
        stmt = stmt.where(where)
    yield from conn.execution_options(yield_per=10_000).execute(stmt)


def current_version(
    conn: Connection, rtype: str, rid: str, *, known_on: str | None = None
) -> Row[Any] | None:
    """Return the version of `rid` known on `known_on` (default: the current one), or None."""
    t = tables[rtype]
    stmt = select(t).where(t.c.id == rid, known_on_clause(t, known_on))
    return conn.execute(stmt).first()


def events_of_person(
    conn: Connection, person_id: str, *, known_on: str | None = None
) -> list[Row[Any]]:
    """Return the event versions of one person known on `known_on` (unordered)."""
    t = tables["event"]
    stmt = select(t).where(t.c.person == person_id, known_on_clause(t, known_on))
    return list(conn.execute(stmt))


def search_persons(
    conn: Connection, words: Sequence[str], *, known_on: str | None = None, limit: int = 50
) -> list[Row[Any]]:
    """Return person versions whose names contain every word (case-folded), by id.

    A plain substring search; the name matcher (khronika.names) finds other spellings.
    """
    t = tables["person"]
    stmt = select(t).where(known_on_clause(t, known_on))
    for w in words:
        stmt = stmt.where(t.c.search_text.contains(w.casefold(), autoescape=True))
    return list(conn.execute(stmt.order_by(t.c.id).limit(limit)))


def table_fingerprint(conn: Connection, rtype: str) -> tuple[int, str | None, str | None]:
    """Return (versions, latest `recorded`, latest `retracted`): changes whenever the table does.

    Caches derived from a table (the screening index) compare fingerprints to know when
    they are stale; versioned tables only ever gain rows or retractions.
    """

    t = tables[rtype]
    row = conn.execute(select(func.count(), func.max(t.c.recorded), func.max(t.c.retracted))).one()
    return int(row[0]), row[1], row[2]
