"""SQL of the web app: local accounts, console sessions, edit locks and the reads pages need.

Accounts and sessions are plain tables (not versioned: they are not records of the
registry and are never exported). A session token is stored only as its SHA-256, so a copy
of the database does not hand out live sessions.
"""

from __future__ import annotations

import fcntl
import hashlib
import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Row,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)

from khronika.storage.db import Database
from khronika.storage.schema import Key, metadata, tables
from khronika.storage.versions import known_on_clause

__all__ = [
    "add_user",
    "count_people",
    "current_rows",
    "create_session",
    "data_stamp",
    "delete_session",
    "public_ids",
    "find_session",
    "get_user",
    "hidden_event_ids",
    "record_lock",
    "recent_events",
    "web_session",
    "web_user",
]

web_user = Table(
    "web_user",
    metadata,
    Column("username", Key, primary_key=True),
    # `scrypt$n$r$p$salt_hex$hash_hex` (see khronika.web.auth).
    Column("password_hash", Text, nullable=False),
    Column("created", Key, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
)

web_session = Table(
    "web_session",
    metadata,
    # SHA-256 (hex) of the cookie's token: the token itself is never stored.
    Column("token_hash", String(64), primary_key=True),
    Column("username", Key, nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created", Key, nullable=False),
    Column("expires", Key, nullable=False),
)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(conn: Connection, username: str, password_hash: str, *, created: str) -> bool:
    """Create or replace an account's password; return True when the account is new."""
    exists = conn.execute(
        select(web_user.c.username).where(web_user.c.username == username)
    ).first()
    if exists:
        conn.execute(
            update(web_user)
            .where(web_user.c.username == username)
            .values(password_hash=password_hash, disabled=False)
        )
        return False
    conn.execute(
        insert(web_user).values(
            username=username, password_hash=password_hash, created=created, disabled=False
        )
    )
    return True


def get_user(conn: Connection, username: str) -> Row[Any] | None:
    """Return an enabled account by name, or None."""
    return conn.execute(
        select(web_user).where(web_user.c.username == username, web_user.c.disabled.is_(False))
    ).first()


def create_session(
    conn: Connection, token: str, username: str, csrf: str, *, created: str, expires: str
) -> None:
    """Store a new console session (by the token's hash); drop sessions already expired."""
    conn.execute(delete(web_session).where(web_session.c.expires < created))
    conn.execute(
        insert(web_session).values(
            token_hash=_token_hash(token),
            username=username,
            csrf=csrf,
            created=created,
            expires=expires,
        )
    )


def find_session(conn: Connection, token: str, *, now: str) -> Row[Any] | None:
    """Return the live session of a cookie token (joined with an enabled account), or None."""
    stmt = (
        select(web_session)
        .join(web_user, web_user.c.username == web_session.c.username)
        .where(
            web_session.c.token_hash == _token_hash(token),
            web_session.c.expires > now,
            web_user.c.disabled.is_(False),
        )
    )
    return conn.execute(stmt).first()


def delete_session(conn: Connection, token: str) -> None:
    """End a console session."""
    conn.execute(delete(web_session).where(web_session.c.token_hash == _token_hash(token)))


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


_THREAD_LOCKS: dict[str, threading.Lock] = {}
_GUARD = threading.Lock()


@contextmanager
def record_lock(db: Database, keys: Sequence[str]) -> Iterator[None]:
    """Hold exclusive locks named `keys` across processes while a check-then-write runs.

    Console edits compare the version an editor started from with the current one and then
    write; two editors must not both pass the check. PostgreSQL: session-level advisory
    locks (a transaction-scoped one would end with the check's transaction), held on a
    connection of their own. SQLite has one writer at a time anyway: one file lock beside
    the database covers every key (an in-memory database lives in one process, where the
    thread locks suffice). Keys are taken in sorted order, so two saves cannot deadlock.
    """
    ordered = sorted(set(keys))
    with _GUARD:
        tlocks = [_THREAD_LOCKS.setdefault(k, threading.Lock()) for k in ordered]
    with ExitStack() as stack:
        for tlock in tlocks:
            stack.enter_context(tlock)
        if db.is_postgres:
            idents = [
                int.from_bytes(hashlib.sha256(k.encode()).digest()[:8], "big", signed=True)
                for k in ordered
            ]
            conn = stack.enter_context(db.engine.connect())
            for ident in idents:
                conn.exec_driver_sql("SELECT pg_advisory_lock(%s)", (ident,))
            conn.commit()
            try:
                yield
            finally:
                for ident in reversed(idents):
                    conn.exec_driver_sql("SELECT pg_advisory_unlock(%s)", (ident,))
                conn.commit()
            return
        path = _sqlite_lock_path(db)
        if path is None:
            yield
            return
        f = stack.enter_context(open(path, "a+b"))  # noqa: SIM115
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _sqlite_lock_path(db: Database) -> Path | None:
    name = db.engine.url.database
    if not name or name == ":memory:":
        return None
    p = Path(name)
    return p.parent / (p.name + ".edit-lock")


def count_people(conn: Connection) -> dict[str, int]:
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
