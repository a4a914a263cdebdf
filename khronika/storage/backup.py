"""The database side of backups: consistent snapshots, the engines' own tools, row dumps.

* SQLite: the online backup API (`sqlite3.Connection.backup`) copies the live database in
  one step, which is one read transaction: in WAL mode it blocks no writer, and the copy
  is consistent even while an import runs. Restoring copies a verified file back the same
  way, into the target in one transaction.
* PostgreSQL: `pg_dump` (custom format) of khronika's schema, taken in a snapshot exported
  from a transaction of ours so that the revision and audit head we record are those of the
  dump; `pg_restore` in one transaction into an empty database.
* Both: rows table by table (`table_rows`, `load_rows`), for the logical format and for
  restoring into the other engine.

These are the engines' own tools rather than SQL dialects, so they sit here and not in
`dialects.py`; the one difference in SQL (sequences after explicit keys) is there.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, MetaData, Table, create_engine, delete, inspect, select, text
from sqlalchemy.engine import URL

from khronika.errors import ConfigurationError
from khronika.storage.audit import log_head
from khronika.storage.db import Database
from khronika.storage.dialects import bulk_insert, reset_sequence
from khronika.storage.schema import metadata

__all__ = [
    "DERIVED",
    "first_filled_table",
    "load_rows",
    "pg_dump",
    "pg_dump_usable",
    "pg_restore",
    "pg_schema",
    "pg_snapshot",
    "snapshot_state",
    "sqlite_file",
    "sqlite_file_connection",
    "sqlite_load",
    "sqlite_snapshot",
    "sqlite_state",
    "table_rows",
]

#: Tables a database holds rows in before anything was recorded (a migration seeds
#: `stats_state`), and that are derived from the records: an "empty" target may have them.
DERIVED = frozenset({"stats_span", "stats_flow", "stats_daily", "stats_state"})

_ROWS_PER_INSERT = 5_000


def sqlite_file(db: Database) -> Path | None:
    """Return the file of a SQLite database (None in memory)."""
    name = db.engine.url.database
    return None if not name or name == ":memory:" else Path(name)


def sqlite_snapshot(db: Database, target: Path) -> None:
    """Copy the live SQLite database into the new file `target`, consistently, in one step.

    One step (`pages=-1`), because a backup taken in steps starts again whenever another
    connection writes between them, and might never finish beside a busy import.
    """
    raw = db.engine.raw_connection()
    try:
        dest = sqlite3.connect(target)
        try:
            raw.driver_connection.backup(dest, pages=-1)  # type: ignore[union-attr]
            # A self-contained file: no -wal beside it, whatever the live database uses.
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
    finally:
        raw.close()


@contextmanager
def sqlite_file_connection(path: Path) -> Iterator[Connection]:
    """Open the SQLite file at `path` read only (a snapshot or a staged backup)."""
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def sqlite_state(path: Path) -> tuple[str | None, tuple[int, str] | None]:
    """Return the revision and the audit head of a SQLite file."""
    with sqlite_file_connection(path) as conn:
        return snapshot_state(conn)


def sqlite_load(source: Path, target: Database) -> None:
    """Replace the content of the (empty) SQLite database `target` by the file `source`.

    The backup API writes the target in one transaction: it has all of `source` or, if
    anything fails, stays as it was.
    """
    target.dispose()
    raw = target.engine.raw_connection()
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            src.backup(raw.driver_connection, pages=-1)  # type: ignore[arg-type]
        finally:
            src.close()
    finally:
        raw.close()
    target.dispose()  # pooled connections must not keep the old schema


def snapshot_state(conn: Connection) -> tuple[str | None, tuple[int, str] | None]:
    """Return the alembic revision and the audit head (seq, hash) seen by `conn`."""
    if not inspect(conn).has_table("alembic_version"):
        return None, None
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    head = log_head(conn) if inspect(conn).has_table("audit_log") else None
    return (str(revision) if revision else None), head


def first_filled_table(db: Database) -> str | None:
    """Return the name of a table holding rows (derived tables aside), or None: empty.

    A SQLite file that does not exist is empty, and is not created by asking.
    """
    if db.is_sqlite:
        path = sqlite_file(db)
        if path is not None and (not path.exists() or path.stat().st_size == 0):
            return None
    with db.connect() as conn:
        names = set(inspect(conn).get_table_names())
        for table in metadata.sorted_tables:
            if table.name not in names or table.name in DERIVED:
                continue
            if conn.execute(select(text("1")).select_from(table).limit(1)).first():
                return table.name
    return None


def pg_schema(conn: Connection) -> str | None:
    """Return the schema khronika's tables are in (the first of the search path)."""
    found = conn.execute(text("SELECT current_schema()")).scalar()
    return str(found) if found else None


@contextmanager
def pg_snapshot(db: Database) -> Iterator[tuple[Connection, str]]:
    """Hold a repeatable-read transaction open; yield it and its exported snapshot id.

    `pg_dump --snapshot` then sees exactly what this transaction sees.
    """
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            conn.execute(text("SET TRANSACTION READ ONLY"))
            snapshot = str(conn.execute(text("SELECT pg_export_snapshot()")).scalar_one())
            yield conn, snapshot


def pg_dump_usable(conn: Connection) -> str | None:
    """Return the path of a `pg_dump` that can dump this server, or None.

    A pg_dump older than the server refuses to dump it, so that counts as absent too.
    """
    tool = shutil.which("pg_dump")
    if tool is None:
        return None
    out = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False)
    found = re.search(r"(\d+)(?:\.\d+)?", out.stdout)
    server = int(conn.execute(text("SHOW server_version_num")).scalar_one()) // 10_000
    return tool if found and int(found.group(1)) >= server else None


def pg_dump(db: Database, target: Path, *, tool: str, schema: str, snapshot: str) -> None:
    """Dump `schema` (custom format) as of `snapshot` into the file `target`."""
    _run_pg(
        db,
        [tool, "--format=custom", "--no-owner", "--no-privileges"],
        ["--schema", schema, "--snapshot", snapshot, "--file", str(target)],
        what="pg_dump",
    )


def pg_restore(db: Database, source: Path, *, skip_rows: Sequence[str] = ()) -> None:
    """Restore a custom-format dump into the (empty) database, in one transaction.

    The schema itself is left out (it exists: the target's search path names it), and each
    object is dropped first if it exists: an empty database made by `khronika init` has
    its tables already. The objects belong to the user the restore connects as. The tables
    named in `skip_rows` come back empty (their definitions are restored, not their rows).
    """
    tool = shutil.which("pg_restore")
    if tool is None:
        raise ConfigurationError(
            "pg_restore is not on PATH: install the PostgreSQL client tools to restore this backup"
        )
    listing = subprocess.run([tool, "--list", str(source)], capture_output=True, check=True)
    skipped = "|".join(re.escape(t) for t in skip_rows) or "(?!)"
    left_out = re.compile(
        rf"^\d+; \d+ \d+ (SCHEMA - |COMMENT - SCHEMA |TABLE DATA \S+ (?:{skipped}) )"
    )
    keep = [line for line in listing.stdout.decode().splitlines() if not left_out.match(line)]
    list_file = source.with_name(source.name + ".list")
    list_file.write_text("\n".join(keep) + "\n", encoding="utf-8")
    _run_pg(
        db,
        [tool, "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges"],
        ["--clean", "--if-exists", "--use-list", str(list_file), str(source)],
        what="pg_restore",
    )


def _run_pg(db: Database, head: list[str], tail: list[str], *, what: str) -> None:
    """Run a PostgreSQL client tool against `db`; the password goes by environment only."""
    url: URL = db.engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)  # never on a command line (ps shows those)
    conninfo = url.set(drivername="postgresql", password=None).render_as_string()
    done = subprocess.run(
        [*head, "--dbname", conninfo, *tail],
        capture_output=True,
        env=env,
        check=False,
        preexec_fn=_dies_with_parent(),
    )
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise ConfigurationError(f"{what} failed: {' '.join(message[:3]) or done.returncode}")


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _dies_with_parent() -> Callable[[], None] | None:
    """Linux: have the kernel SIGKILL the child when khronika dies (prctl PDEATHSIG).

    A khronika killed while pg_restore runs must not leave it running: it would go on and
    commit the restore nobody is waiting for (without its audit row), and a restore run
    again would meet it half-way. Killed, its connection ends and the server rolls its
    single transaction back. (pg_dump too: it would go on reading for nothing.) Elsewhere
    there is no such call, and the child outlives a killed khronika.
    """
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    parent = os.getpid()

    def preexec() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # khronika died before the call took effect
            os._exit(1)

    return preexec


def table_rows(conn: Connection) -> Iterator[tuple[str, list[str], Iterator[Sequence[Any]]]]:
    """Yield (table, columns, rows) for every khronika table the connection sees.

    Tables come in the order foreign keys need; their columns are read from the database
    (reflected), not from this khronika's schema, so a file of an older revision reads
    as it was written.
    """
    found = MetaData()
    found.reflect(conn, only=[t for t in inspect(conn).get_table_names() if t in metadata.tables])
    for table in metadata.sorted_tables:
        if table.name not in found.tables:
            continue
        reflected = found.tables[table.name]
        columns = [c.name for c in reflected.columns]
        order = [reflected.c[c.name] for c in reflected.primary_key.columns] or [
            reflected.c[columns[0]]
        ]
        stmt = select(reflected).order_by(*order)
        rows = conn.execute(stmt, execution_options={"yield_per": 10_000})
        yield table.name, columns, (tuple(r) for r in rows)


def load_rows(
    conn: Connection, tables: Iterable[tuple[str, list[str], Iterable[Sequence[Any]]]]
) -> int:
    """Insert every table's rows, keys as given, into an empty database; return the count.

    Derived rows the migrations seeded go first, so that the backup's take their place.
    """
    for table in reversed(metadata.sorted_tables):
        if table.name in DERIVED:
            conn.execute(delete(table))
    total = 0
    for name, columns, rows in tables:
        table = _known_table(name)
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(dict(zip(columns, row, strict=True)))
            if len(batch) >= _ROWS_PER_INSERT:
                bulk_insert(conn, table, batch)
                total, batch = total + len(batch), []
        bulk_insert(conn, table, batch)
        total += len(batch)
        reset_sequence(conn, table)
    return total


def _known_table(name: str) -> Table:
    if name not in metadata.tables:
        raise ConfigurationError(f"the backup has a table {name!r} this khronika does not know")
    return metadata.tables[name]
