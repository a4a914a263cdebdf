"""SQL of the audit log (table in `schema/audit.py`): append a row, read rows, and read the
rows it vouches for (registry versions; review judgements, lists and accounts, `COVERED`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert, select

from khronika.storage.schema import VERSIONED, tables
from khronika.storage.schema.accounts import api_token, web_user
from khronika.storage.schema.audit import audit_log
from khronika.storage.schema.lists import (
    list_entry,
    list_entry_version,
    list_snapshot,
    watched_list,
)
from khronika.storage.schema.review import review_judgement

__all__ = [
    "COVERED",
    "append_row",
    "audit_rows",
    "covered_rows",
    "has_rows",
    "head_row",
    "lock_log",
    "log_head",
    "version_rows",
    "versions_by_pk",
]

#: The tables outside the registry whose rows the log vouches for one by one, by name. All
#: are append-only; a judgement's only change is its retraction.
COVERED: dict[str, Table] = {
    t.name: t
    for t in (
        review_judgement,
        watched_list,
        list_snapshot,
        list_entry,
        list_entry_version,
        web_user,
        api_token,
    )
}

# One number for PostgreSQL's advisory lock that serialises appends (any constant will do).
_LOCK = 0x6B68726F6E696B61  # "khronika"


def lock_log(conn: Connection) -> None:
    """Serialise appends until the transaction ends: two writers must not chain on one row.

    SQLite needs nothing: its one writer at a time holds the database already.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))


def has_rows(conn: Connection) -> bool:
    """True once anything has been logged."""
    return conn.execute(select(audit_log.c.seq).limit(1)).first() is not None


def log_head(conn: Connection) -> tuple[int, str] | None:
    """Return (sequence number, hash) of the newest row, or None when the log is empty."""
    stmt = select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
    row = conn.execute(stmt).first()
    return None if row is None else (int(row.seq), str(row.hash))


def head_row(conn: Connection) -> tuple[str, str | None] | None:
    """Return (hash, covers) of the newest row, or None when the log is empty."""
    stmt = select(audit_log.c.hash, audit_log.c.covers).order_by(audit_log.c.seq.desc()).limit(1)
    row = conn.execute(stmt).first()
    return None if row is None else (str(row.hash), row.covers)


def versions_by_pk(conn: Connection, rtype: str, pks: Sequence[int]) -> dict[int, tuple[str, str]]:
    """Return (id, recorded) of these versions of `rtype`, by pk."""
    t = tables[rtype]
    out: dict[int, tuple[str, str]] = {}
    for i in range(0, len(pks), 5_000):
        stmt = select(t.c.pk, t.c.id, t.c.recorded).where(t.c.pk.in_(list(pks[i : i + 5_000])))
        out.update({int(r.pk): (str(r.id), str(r.recorded)) for r in conn.execute(stmt)})
    return out


def append_row(conn: Connection, row: Mapping[str, Any]) -> int:
    """Append a row (`changes` and `ids` as JSON text); return its sequence number."""
    result = conn.execute(insert(audit_log).values(**row).returning(audit_log.c.seq))
    return int(result.scalar_one())


def audit_rows(
    conn: Connection, *, actor: str | None = None, since: str | None = None
) -> Iterator[dict[str, Any]]:
    """Yield rows oldest first (of one actor, from a time on, when given)."""
    stmt = select(audit_log).order_by(audit_log.c.seq)
    if actor is not None:
        stmt = stmt.where(audit_log.c.actor == actor)
    if since is not None:
        stmt = stmt.where(audit_log.c.at >= since)
    # Per statement: Connection.execution_options would stream every later statement too.
    for r in conn.execute(stmt, execution_options={"yield_per": 2_000}).mappings():
        yield {str(k): v for k, v in r.items()}


def version_rows(conn: Connection) -> Iterator[tuple[str, Any]]:
    """Yield (record type, row) for every version of every versioned table, retracted too."""
    for rtype in VERSIONED:
        t = tables[rtype]
        for row in conn.execute(select(t), execution_options={"yield_per": 10_000}):
            yield rtype, row


def covered_rows(conn: Connection, table: str, **equal: Any) -> Iterator[dict[str, Any]]:
    """Yield the rows of the covered `table` (`COVERED`) as dicts: all, or those whose
    columns equal the values given (`list_id="t", snapshot_id="…"`)."""
    t = COVERED[table]
    stmt = select(t).where(*(t.c[k] == v for k, v in equal.items()))
    for r in conn.execute(stmt, execution_options={"yield_per": 10_000}).mappings():
        yield {str(k): v for k, v in r.items()}
