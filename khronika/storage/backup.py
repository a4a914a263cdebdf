"""The database side of backups: consistent snapshots, the engines' own tools, row dumps.

* SQLite: the online backup API (`sqlite3.Connection.backup`) copies the live database in
  one step, which is one read transaction: in WAL mode it blocks no writer, and the copy
  is consistent even while an import runs. Restoring copies a verified file back the same
  way, into the target in one transaction.
* PostgreSQL: `pg_dump` (custom format) of khronika's schema, taken in a snapshot exported
  from a transaction of ours so that the revision and audit head we record are those of the
  dump; `pg_restore` writes it out as a script, which runs in one transaction of ours into
  an empty database (and its schema, whatever its name), with the restore's own writes.
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
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, MetaData, Table, create_engine, delete, inspect, select, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from khronika.errors import ConfigurationError
from khronika.storage.audit import log_head
from khronika.storage.db import Database
from khronika.storage.dialects import bulk_insert, reset_sequence
from khronika.storage.schema import metadata

__all__ = [
    "DERIVED",
    "first_filled_table",
    "load_rows",
    "pg_check_dump",
    "pg_dump",
    "pg_dump_usable",
    "pg_restore",
    "pg_restore_tool",
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


#: The kinds of archive entry a khronika schema is made of. The server keeps each by object
#: (OID), not as text naming its schema, which is what lets `pg_restore` load a dump into a
#: schema of another name by renaming schemas; and none holds SQL text of its own (a
#: function body could hold a line that reads like a COPY, and name the schema), which is
#: what lets `_execute_script` read the script line by line (a comment's text could at worst
#: stop the load with an error). A dump with anything else is refused.
_ENTRY_KINDS = frozenset(
    {
        "TABLE",
        "TABLE DATA",
        "SEQUENCE",
        "SEQUENCE OWNED BY",
        "SEQUENCE SET",
        "DEFAULT",
        "CONSTRAINT",
        "FK CONSTRAINT",
        "INDEX",
        "COMMENT",
    }
)
#: An entry of `pg_restore --list`: "id; table-oid oid KIND SCHEMA NAME OWNER" (a KIND may
#: have spaces, so the known ones are tried longest first; SCHEMA is `-` outside any).
_ENTRY = re.compile(
    r"^\d+; \d+ \d+ ("
    + "|".join(re.escape(k) for k in sorted(_ENTRY_KINDS, key=len, reverse=True))
    + r"|\S+) (\S+) "
)
#: psql's guard around a script (`\restrict KEY` … `\unrestrict KEY`, from PostgreSQL 13.22,
#: 14.19, 15.14, 16.10, 17.6): a psql command, with no meaning to the server.
_PSQL_GUARD = re.compile(rb"^\\(?:un)?restrict [0-9A-Za-z]+\n$")
_COPY_BYTES = 1 << 20


def pg_restore_tool() -> str:
    """Return the path of `pg_restore`, or raise saying it is missing."""
    tool = shutil.which("pg_restore")
    if tool is None:
        raise ConfigurationError(
            "pg_restore is not on PATH: install the PostgreSQL client tools to restore this backup"
        )
    return tool


def pg_check_dump(source: Path, *, schema: str) -> list[str]:
    """Check that a custom-format dump holds a khronika schema named `schema`; return its list.

    Raises:
        ConfigurationError: pg_restore is missing or cannot read the dump, or the dump has
            an entry of a kind khronika's schema never has (`_ENTRY_KINDS`), or of another
            schema. Nothing was written.
    """
    listing = subprocess.run(
        [pg_restore_tool(), "--list", str(source)], capture_output=True, check=False
    )
    if listing.returncode != 0:
        message = listing.stderr.decode(errors="replace").strip().splitlines()
        raise ConfigurationError(f"pg_restore cannot read the dump: {' '.join(message[:3])}")
    lines = listing.stdout.decode().splitlines()
    for line in lines:
        if not line or line.startswith(";"):
            continue
        found = _ENTRY.match(line)
        kind, where = (found.group(1), found.group(2)) if found else (line, "?")
        if kind == "SCHEMA" or (kind == "COMMENT" and where == "-"):
            continue  # the schema itself and its comment: every restore leaves them out
        if kind not in _ENTRY_KINDS or where != schema:
            raise ConfigurationError(
                f"the dump has an entry khronika's schema {schema!r} never has ({line}): "
                "restore it with pg_restore yourself, or make a --logical backup"
            )
    return lines


@contextmanager
def pg_restore(
    db: Database, source: Path, *, schema: str, skip_rows: Sequence[str] = ()
) -> Iterator[Connection]:
    """Load a custom-format dump of `schema` into the (empty) database, in one transaction.

    `pg_restore --file=-` turns the dump into a script, which runs through a connection of
    ours: the block gets that connection inside the load's transaction, for the writes
    that must commit with the load, and the transaction commits when the block ends. Killed
    at any moment, the database has all of it or nothing of it.

    The schema itself is left out (the target's is the first of its search path), and each
    object is dropped first if it exists: an empty database made by `khronika init` has
    its tables already. The objects belong to the user the restore connects as. The tables
    named in `skip_rows` come back empty (their definitions are restored, not their rows).

    Into a schema of another name, the target's schema takes the dump's name for the
    script and its own name back after it, in the same transaction; a schema of the dump's
    name in the database (the source itself, or `public`) is renamed aside meanwhile, so
    the restoring user must own it too. Sound because the script names the schema only to
    qualify the names in its statements (its search path is empty), and the server keeps
    every object made by OID (`_ENTRY_KINDS`): nothing refers to the schema by name after.
    """
    lines = pg_check_dump(source, schema=schema)
    skipped = "|".join(re.escape(t) for t in skip_rows) or "(?!)"
    left_out = re.compile(
        rf"^\d+; \d+ \d+ (SCHEMA - |COMMENT - SCHEMA |TABLE DATA \S+ (?:{skipped}) )"
    )
    list_file = source.with_name(source.name + ".list")
    kept = [line for line in lines if not left_out.match(line)]
    list_file.write_text("\n".join(kept) + "\n", encoding="utf-8")
    command = [pg_restore_tool(), "--file=-", "--no-owner", "--no-privileges", "--clean"]
    command += ["--if-exists", "--use-list", str(list_file), str(source)]
    with db.engine.connect() as conn:
        try:
            with conn.begin():
                path = conn.execute(text("SELECT current_setting('search_path')")).scalar_one()
                with _renamed(conn, pg_schema(conn), to=schema):
                    _execute_script(conn, command)
                # The script emptied the search path; khronika's own statements need it.
                conn.execute(text("SELECT set_config('search_path', :p, false)"), {"p": path})
                yield conn
        finally:
            # The script set other settings of this session too (timeouts): not for reuse.
            conn.invalidate()


@contextmanager
def _renamed(conn: Connection, schema: str | None, *, to: str) -> Iterator[None]:
    """Give `schema` the name `to` while the block runs, in the transaction of `conn`."""
    if schema is None:
        raise ConfigurationError("the target's search path names no schema that exists")
    if schema == to:
        yield
        return
    quote = conn.dialect.identifier_preparer.quote
    taken = text("SELECT count(*) FROM pg_namespace WHERE nspname = :name")
    renames = [(schema, to)]
    if conn.execute(taken, {"name": to}).scalar():
        renames.insert(0, (to, f"khronika_aside_{uuid.uuid4().hex[:12]}"))
    try:
        for old, new in renames:
            conn.execute(text(f"ALTER SCHEMA {quote(old)} RENAME TO {quote(new)}"))
    except DBAPIError as e:
        raise ConfigurationError(
            f"the backup is of schema {to!r}: a restore into {schema!r} renames the two for "
            f"the load, which the server refused ({str(e.orig).strip()}); restore into a "
            f"schema named {to!r}, or make a --logical backup"
        ) from e
    yield
    for old, new in reversed(renames):
        conn.execute(text(f"ALTER SCHEMA {quote(new)} RENAME TO {quote(old)}"))


def _execute_script(conn: Connection, command: list[str]) -> None:
    """Run the script that `command` writes, in the transaction of `conn`.

    Statements go to the server as they are; each COPY's rows are copied in. The line that
    opens a COPY is told apart from SQL because the dump has no SQL text of its own
    (`_ENTRY_KINDS`), and the line that ends it because no row is `\\.` (COPY's text
    format escapes every backslash). Of psql's own commands only its guard is allowed.
    """
    import psycopg  # the PostgreSQL driver, installed wherever a restore gets here

    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=errors, preexec_fn=_dies_with_parent()
        )
        assert proc.stdout is not None
        try:
            lines = iter(proc.stdout)
            statements: list[bytes] = []
            for line in lines:
                if line.startswith(b"COPY ") and line.endswith(b" FROM stdin;\n"):
                    _execute(cursor, statements)
                    statements = []
                    _copy_in(cursor, line, lines)
                elif line.startswith(b"\\"):
                    if not _PSQL_GUARD.match(line):
                        raise ConfigurationError(f"the script has a psql command: {line[:60]!r}")
                else:
                    statements.append(line)
            _execute(cursor, statements)
        except psycopg.Error as e:
            raise ConfigurationError(f"the restore's load failed: {str(e).strip()}") from e
        finally:
            if proc.poll() is None:
                proc.kill()  # stopped half-way: the rest of the script is not wanted
            proc.wait()
        if proc.returncode != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip().splitlines()
            raise ConfigurationError(
                f"pg_restore failed: {' '.join(message[:3]) or proc.returncode}"
            )


def _execute(cursor: Any, statements: list[bytes]) -> None:
    """Send the statements (whole lines of the script) as one query, if there are any."""
    if any(s.strip() and not s.startswith(b"--") for s in statements):
        cursor.execute(b"".join(statements).decode())


def _copy_in(cursor: Any, statement: bytes, rows: Iterator[bytes]) -> None:
    """Copy in the rows that follow the COPY `statement`, up to the line `\\.`."""
    with cursor.copy(statement.decode().rstrip().removesuffix(";")) as copy:
        batch: list[bytes] = []
        size = 0
        for row in rows:
            if row == b"\\.\n":
                break
            batch.append(row)
            size += len(row)
            if size >= _COPY_BYTES:
                copy.write(b"".join(batch))
                batch, size = [], 0
        else:
            raise ConfigurationError("the script ends inside a COPY")
        copy.write(b"".join(batch))


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

    A khronika killed while pg_dump runs must not leave it running: it would go on reading
    for nothing, holding its snapshot. (pg_restore only writes the script khronika runs
    itself: killed, it has nothing to commit, and the server rolls the load back when the
    connection ends.) Elsewhere there is no such call, and the child outlives khronika.
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
