"""Edit locks: exclusive, cross-process locks held while a check-then-write runs."""

from __future__ import annotations

import fcntl
import hashlib
import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

from khronika.storage.db import Database

__all__ = ["record_lock"]

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
