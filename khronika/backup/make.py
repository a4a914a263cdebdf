"""Make a backup: a consistent snapshot of the database, then the archived files, in one file.

The database is copied first and the files after it, on purpose: the archive is written
before the record that names a file is committed, and files are never changed or removed,
so every file the snapshot refers to exists by the time the files are copied.

The backup is written to a hidden `.FILE.….part` directory beside FILE and renamed into
place when complete: a backup killed half-way leaves no FILE behind, and an old FILE stays
whole until the new one replaces it. The directory a killed backup leaves (it may hold a
copy of the database) is removed by the next backup to the same FILE: each backup holds a
lock on its own directory while it runs, so a directory nobody holds is a dead one's.
"""

from __future__ import annotations

import fcntl
import glob
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

import orjson
from sqlalchemy import Connection

from khronika import settings
from khronika.backup.container import FORMAT, FORMAT_VERSION, ContainerWriter
from khronika.backup.crypto import EncryptingWriter
from khronika.errors import ConfigurationError
from khronika.storage import Database
from khronika.storage import backup as store

__all__ = ["BackupReport", "archived_files", "backup"]

#: Directories of the data directory left out: `cache` is derived (rebuilt on demand) and
#: holds pickles, which a restore must never load from a file it did not make itself.
SKIPPED_DIRS = frozenset({"cache"})


@dataclass(frozen=True, slots=True)
class BackupReport:
    """What a backup holds: where it is, its digest, and what went into it."""

    path: Path
    digest: str
    engine: str
    database_format: str
    files: int
    size: int
    encrypted: bool
    audit_head: dict[str, Any] | None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class _Snapshot:
    fmt: str
    members: list[tuple[str, Path]]
    revision: str | None
    head: tuple[int, str] | None
    schema: str | None = None
    note: str | None = None


def backup(
    db: Database,
    path: str | Path,
    *,
    data_dir: str | Path | None = None,
    passphrase: bytes | None = None,
    logical: bool = False,
) -> BackupReport:
    """Back up the database and the archived files into the file `path`.

    Args:
        db: the database (SQLite: the online backup API; PostgreSQL: pg_dump when it is on
            PATH and not older than the server, else the logical format).
        path: the backup file; replaced only once the new backup is complete.
        data_dir: the data directory whose archived files go in (default KHRONIKA_DATA_DIR).
        passphrase: encrypt the backup with a key derived from it (never stored).
        logical: write every table's rows as JSON lines instead of the engine's own format:
            restorable into either engine.
    """
    path = Path(path)
    root = Path(data_dir or settings.get("KHRONIKA_DATA_DIR"))
    if not path.parent.is_dir():
        raise ConfigurationError(f"{path.parent} is not a directory: cannot write {path.name}")
    _remove_dead_staging(path)
    staging, lock = _staging(path)
    skip = _not_backed_up(db, staging, path)
    try:
        snap = _snapshot(db, staging / "database", logical=logical)
        tmp = staging / "backup"
        # Readable by its owner only, like the database it holds.
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            digest, files = _write(out, snap, root, skip, _manifest(db, snap), passphrase)
            out.flush()
            os.fsync(out.fileno())
        size = tmp.stat().st_size
        os.replace(tmp, path)
        _sync_dir(path.parent)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        os.close(lock)
    engine, head = db.engine.dialect.name, _head(snap.head)
    return BackupReport(
        path, digest, engine, snap.fmt, files, size, passphrase is not None, head, snap.note
    )


def _staging(path: Path) -> tuple[Path, int]:
    """Make the directory the backup is written in, locked by this process (the lock goes
    with the process, however it ends); return it and the lock's descriptor.

    It is made under a `.new` name and renamed to `.part` once locked, so that another
    backup's clean-up never sees it unlocked.
    """
    new = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent))
    fd = os.open(new, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    staging = new.with_suffix(".part")
    os.rename(new, staging)
    return staging, fd


def _remove_dead_staging(path: Path) -> None:
    """Remove what killed backups to `path` left: `.part` directories no process holds."""
    for old in path.parent.glob(f".{glob.escape(path.name)}.*.part"):
        if old.is_symlink() or not old.is_dir():
            continue
        try:
            fd = os.open(old, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # a backup to the same file is running: its directory stays
        finally:
            os.close(fd)
        shutil.rmtree(old, ignore_errors=True)


def _not_backed_up(db: Database, staging: Path, path: Path) -> set[Path]:
    """What must not go in even if it is under the data directory: the backup being
    written, and a live SQLite database (copied consistently, not as a file)."""
    live = store.sqlite_file(db) if db.is_sqlite else None
    ends = ("", "-wal", "-shm", "-journal") if live else ()
    return {staging, path, *(Path(f"{live}{end}") for end in ends)}


def _manifest(db: Database, snap: _Snapshot) -> dict[str, Any]:
    """The manifest but for its member list (the container adds that)."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "khronika_version": _version(),
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "engine": db.engine.dialect.name,
        "database_format": snap.fmt,
        "alembic_revision": snap.revision,
        "pg_schema": snap.schema,
        "audit_head": _head(snap.head),
    }


def _write(
    out: BinaryIO,
    snap: _Snapshot,
    root: Path,
    skip: set[Path],
    manifest: dict[str, Any],
    passphrase: bytes | None,
) -> tuple[str, int]:
    sink = EncryptingWriter(out, passphrase) if passphrase is not None else out
    writer = ContainerWriter(sink)
    for name, member in snap.members:
        writer.add_file(name, member)
    files = 0
    for rel, file in archived_files(root, skip=skip):
        writer.add_file(f"files/{rel}", file)
        files += 1
    digest = writer.close({**manifest, "files": files})
    if isinstance(sink, EncryptingWriter):
        sink.finish()
    return digest, files


def _snapshot(db: Database, where: Path, *, logical: bool) -> _Snapshot:
    """Copy the database into files under `where`, consistently; say what they are."""
    where.mkdir()
    if db.is_postgres:
        with store.pg_snapshot(db) as (conn, snapshot_id):
            revision, head = store.snapshot_state(conn)
            schema = store.pg_schema(conn)
            tool = None if logical else store.pg_dump_usable(conn)
            if tool is not None and schema is not None:
                target = where / "khronika.pgdump"
                store.pg_dump(db, target, tool=tool, schema=schema, snapshot=snapshot_id)
                return _Snapshot(
                    "pg_dump", [("database/khronika.pgdump", target)], revision, head, schema
                )
            note = None if logical else "pg_dump is not on PATH (or older than the server)"
            return _Snapshot("logical", _dump_rows(conn, where), revision, head, schema, note)
    if logical:
        with db.connect() as conn:
            revision, head = store.snapshot_state(conn)
            return _Snapshot("logical", _dump_rows(conn, where), revision, head)
    target = where / "khronika.sqlite"
    store.sqlite_snapshot(db, target)
    revision, head = store.sqlite_state(target)
    return _Snapshot("sqlite", [("database/khronika.sqlite", target)], revision, head)


def _dump_rows(conn: Connection, where: Path) -> list[tuple[str, Path]]:
    """Write each table as JSON lines: a header naming its columns, then one array per row.

    JSON because every column is text, a number, a flag or NULL, and because text lines
    restore into either engine and stay readable without khronika.
    """
    members = []
    for name, columns, rows in store.table_rows(conn):
        target = where / f"{name}.jsonl"
        with open(target, "wb") as f:
            f.write(orjson.dumps({"table": name, "columns": columns}) + b"\n")
            for row in rows:
                f.write(orjson.dumps(list(row)) + b"\n")
        members.append((f"database/{name}.jsonl", target))
    return members


def archived_files(root: Path, *, skip: Iterable[Path] = ()) -> Iterator[tuple[str, Path]]:
    """Yield (path under `root`, file) of every archived file, sorted by path.

    Left out: `SKIPPED_DIRS`, anything hidden (a name starting with a dot: the partial
    files of a write in progress), anything not a regular file, and the paths in `skip`.
    """
    if not root.is_dir():
        return
    skipped = {p.resolve() for p in skip}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".")
            and not (here == root and d in SKIPPED_DIRS)
            and (here / d).resolve() not in skipped
        )
        for name in sorted(filenames):
            file = here / name
            if name.startswith(".") or name.endswith(".part") or file.is_symlink():
                continue
            if file.is_file() and file.resolve() not in skipped:
                yield file.relative_to(root).as_posix(), file


def _head(head: tuple[int, str] | None) -> dict[str, Any] | None:
    return None if head is None else {"seq": head[0], "hash": head[1]}


def _version() -> str:
    try:
        return metadata.version("khronika")
    except metadata.PackageNotFoundError:
        return "dev"


def _sync_dir(directory: Path) -> None:
    """Make the rename itself durable (POSIX: fsync the directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
