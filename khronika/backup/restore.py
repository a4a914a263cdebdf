"""Restore a backup into an empty database and data directory, checking everything first.

In order: the target must hold no records; every member of the backup is staged (in a
hidden directory inside the data directory) and checked against the manifest, and the
manifest against its digest; only then are the archived files moved into place and the
database loaded, in one transaction with the restore's own closing writes: the copy's
console sessions ended, and the restore appended to the audit log, naming the backup's
digest. A backup of an older revision is upgraded in that same transaction, before the
closing writes (the audit row is written by today's code, into today's tables): killed at
any moment, the target holds the restored data upgraded with its `restore` row, or no
data. A damaged, truncated or wrongly decrypted backup is refused before anything is
written.

A restore killed half-way (SIGKILL, power loss) leaves its staging directory behind, and
perhaps some archived files moved into place for a load that never committed. The next
restore into the data directory clears both (`_clear_stale`): each staging directory is
locked while its restore lives, and lists the files it moves before moving any.

How the database is loaded depends on the backup and the target:

    backup        into SQLite                      into PostgreSQL
    sqlite        the backup API (whole file)      its rows, table by table
    pg_dump       —                                pg_restore's script, one transaction
    logical       its rows, table by table         its rows, table by table
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import orjson
from sqlalchemy import Connection

from khronika import settings
from khronika.audit import record
from khronika.backup.container import Verified, read_container
from khronika.backup.crypto import MAGIC, DecryptingReader, is_encrypted
from khronika.errors import BackupRejected, ConfigurationError
from khronika.model.dates import storage_timestamp
from khronika.storage import Database
from khronika.storage import backup as store
from khronika.storage.accounts import delete_all_sessions
from khronika.storage.db import known_revisions

__all__ = ["RestoreReport", "backup_is_encrypted", "restore"]

#: The staging directories' names in the data directory: hidden, so never archived data.
STAGING_PREFIX = ".restore-"
#: In a staging directory: the files this restore moves into the data directory, written
#: before it moves any and removed once the database load has committed. While it exists
#: those files are not yet data. (Members are never hidden, so no member has this name.)
_JOURNAL = ".placing.json"
#: Tables whose rows a restore never brings back (see `_close`).
_ENDED = ("web_session",)
#: The member holding a pg_dump backup's database.
_PG_DUMP = "database/khronika.pgdump"


@dataclass(frozen=True, slots=True)
class RestoreReport:
    """What a restore did: which backup (its digest), what came back, the audit row."""

    digest: str
    created: str
    engine: str
    database_format: str
    files: int
    encrypted: bool
    audit_head: dict[str, Any] | None
    audit_seq: int
    migrated: list[str]


def backup_is_encrypted(path: str | Path) -> bool:
    """True when the file at `path` is an encrypted backup (it needs a passphrase)."""
    with open(path, "rb") as f:
        return is_encrypted(f.read(len(MAGIC)))


def restore(
    path: str | Path,
    target: Database,
    *,
    data_dir: str | Path | None = None,
    passphrase: bytes | None = None,
    actor: str | None = None,
) -> RestoreReport:
    """Restore the backup at `path` into the empty database `target` and the data directory.

    Args:
        path: the backup file.
        target: an empty database (never migrated, or migrated with no records).
        data_dir: where the archived files go (default KHRONIKA_DATA_DIR); files there
            already are kept, and must not differ from the backup's. What a killed
            restore left there is cleared first, even when this one is refused.
        passphrase: the passphrase of an encrypted backup.
        actor: who restores (the audit row's actor).

    Raises:
        BackupRejected: the file is damaged, truncated, not a backup, encrypted without a
            passphrase given, or the passphrase is wrong. Nothing was written.
        ConfigurationError: the target holds records, or cannot take this backup (a newer
            revision, a tool missing, a pg_dump with objects khronika never makes, a
            schema the server will not rename). Nothing was written.
    """
    root = Path(data_dir or settings.get("KHRONIKA_DATA_DIR"))
    filled = store.first_filled_table(target)
    _clear_stale(root, target, loaded=filled is not None)
    if filled is not None:
        raise ConfigurationError(
            f"{target.display_url} is not empty (table {filled} has rows): "
            "restore into a new, empty database"
        )
    verified, encrypted, loaded = _stage_and_load(Path(path), target, root, passphrase, actor)
    manifest = verified.manifest
    return RestoreReport(
        verified.digest,
        str(manifest["created"]),
        str(manifest["engine"]),
        str(manifest["database_format"]),
        len(verified.names("files/")),
        encrypted,
        manifest.get("audit_head"),
        loaded.seq,
        loaded.migrated,
    )


@dataclass(frozen=True, slots=True)
class _Loaded:
    """What the load did: the audit row it appended, the migrations it ran after the
    backup's revision."""

    seq: int
    migrated: list[str]


def _close(conn: Connection, verified: Verified, actor: str | None) -> int:
    """The restore's closing writes, in the transaction of `conn`; return the audit row's seq.

    The copy's sessions would let a cookie from the old machine in (a laptop seized with
    its browser open): everyone logs in again. Tokens stay, listed and revocable.
    """
    manifest, digest = verified.manifest, verified.digest
    sessions = delete_all_sessions(conn)
    head = manifest.get("audit_head") or {}
    return record(
        conn,
        "restore",
        at=storage_timestamp(datetime.now(UTC)),
        actor=actor,
        ids=[f"backup:{digest}"],
        after=[
            (
                f"backup:{digest}",
                f"{manifest['created']}|{head.get('hash')}|sessions ended={sessions}",
            )
        ],
    )


def _stage_and_load(
    path: Path, target: Database, root: Path, passphrase: bytes | None, actor: str | None
) -> tuple[Verified, bool, _Loaded]:
    """Stage and check the backup, then place its files and load its database.

    The staging directory is inside the data directory, so that files move into place by
    rename; it goes afterwards, and so does the data directory if it was made for nothing.
    """
    made_root = not root.exists()
    root.mkdir(parents=True, exist_ok=True)
    try:
        with _staging(root) as staging:
            verified, encrypted = _read(path, passphrase, staging)
            _check_fits(verified, target)
            journal = staging / _JOURNAL
            added = _place_files(verified, root, journal, _target_id(target))
            try:
                loaded = _load(verified, target, actor)
            except BaseException:
                _remove(added, root)
                raise
            # Committed: the files are data now (killed before this line, the next restore
            # finds the target filled, and keeps them).
            journal.unlink(missing_ok=True)
    finally:
        if made_root and not any(root.iterdir()):
            root.rmdir()
    return verified, encrypted, loaded


@contextmanager
def _staging(root: Path) -> Iterator[Path]:
    """A new staging directory in `root`, locked while this restore lives, removed after.

    The lock is an flock on the directory itself: the kernel drops it when the process
    ends, however it ends, which is how `_clear_stale` tells a dead restore from a live one.
    """
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    fd = os.open(staging, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        os.close(fd)


def _clear_stale(root: Path, target: Database, *, loaded: bool) -> None:
    """Remove what killed restores left in the data directory `root`.

    A staging directory nobody holds the lock of belongs to a restore that died. Its staged
    copies never count as data, and go. The files its journal lists (moved into place for
    a load) are data only if that load committed: for a restore into this same `target`,
    exactly when the target now holds records (`loaded`); otherwise they go too. A journal
    of a restore into another database is left for a restore into that one to settle.

    (A restore starting in this same data directory at this very moment, between making
    its directory and locking it, would lose the directory and stop with an error: two
    restores into one data directory at once are not supported anyway.)
    """
    if not root.is_dir():
        return
    ident: str | None = None
    for staging in sorted(root.glob(f"{STAGING_PREFIX}*")):
        if staging.is_symlink() or not staging.is_dir():
            continue
        fd = os.open(staging, os.O_RDONLY)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a restore running now
            journal = staging / _JOURNAL
            if journal.exists():
                placing = orjson.loads(journal.read_bytes())
                ident = ident or _target_id(target)
                if placing["target"] != ident:
                    continue
                if not loaded:
                    _remove_placed(root, placing["files"])
            shutil.rmtree(staging, ignore_errors=True)
        finally:
            os.close(fd)


def _target_id(target: Database) -> str:
    """Name the target in a journal: the same database reached again gets the same name.

    No password, no driver: SQLite by its file, PostgreSQL by server, database and schema.
    """
    if target.is_sqlite:
        file = store.sqlite_file(target)
        return f"sqlite:{file.resolve() if file else ':memory:'}"
    url = target.engine.url
    with target.connect() as conn:
        schema = store.pg_schema(conn)
    return f"postgresql://{url.host or ''}:{url.port or ''}/{url.database or ''}?schema={schema}"


def _remove_placed(root: Path, files: list[list[str]]) -> None:
    """Remove the files a killed restore had moved into place: those still as it left them."""
    for rel, sha in files:
        parts = PurePosixPath(rel).parts
        if not parts or PurePosixPath(rel).is_absolute() or ".." in parts:
            continue
        dest = root.joinpath(*parts)
        if not dest.is_symlink() and dest.is_file() and _sha256(dest) == sha:
            _remove([dest], root)


def _remove(files: list[Path], root: Path) -> None:
    """Remove `files`, and the directories under `root` that this leaves empty."""
    for file in files:
        file.unlink(missing_ok=True)
        parent = file.parent
        while parent != root and root in parent.parents:
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent


def _read(path: Path, passphrase: bytes | None, staging: Path) -> tuple[Verified, bool]:
    """Stage and check every member of the backup (decrypting it first if it is encrypted)."""
    with open(path, "rb") as f:
        if not is_encrypted(f.read(len(MAGIC))):
            f.seek(0)
            return read_container(f, staging), False
        if passphrase is None:
            raise BackupRejected(
                "this backup is encrypted: give its passphrase "
                "(--passphrase-stdin or --passphrase-file)"
            )
        f.seek(0)
        reader = DecryptingReader(f, passphrase)
        verified = read_container(reader, staging)
        reader.finish()
        return verified, True


def _check_fits(verified: Verified, target: Database) -> None:
    """Refuse a backup the target cannot take, before anything is written."""
    manifest = verified.manifest
    fmt, revision = manifest.get("database_format"), manifest.get("alembic_revision")
    if fmt not in ("sqlite", "pg_dump", "logical"):
        raise BackupRejected(f"the backup's database is in an unknown format ({fmt!r})")
    if revision is not None and revision not in known_revisions():
        raise ConfigurationError(
            f"the backup's database is at revision {revision!r}, which this khronika does not "
            f"know: restore it with khronika {manifest.get('khronika_version')} or newer"
        )
    if fmt == "sqlite" and target.is_sqlite:
        return  # the file replaces the target whole
    if fmt == "pg_dump":
        if not target.is_postgres:
            raise ConfigurationError(
                "a pg_dump backup restores into PostgreSQL only (a --logical backup "
                "restores into either engine)"
            )
        store.pg_check_dump(verified.path(_PG_DUMP), schema=str(manifest.get("pg_schema")))
    current = _target_revision(target)
    if current is not None and current != revision:
        raise ConfigurationError(
            f"{target.display_url} is migrated to {current!r}, the backup to {revision!r}: "
            "restore into a database that was never migrated"
        )


def _target_revision(target: Database) -> str | None:
    path = store.sqlite_file(target) if target.is_sqlite else None
    if path is not None and not path.exists():
        return None  # asking would create the file
    return target.current_revision()


def _place_files(verified: Verified, root: Path, journal: Path, target_id: str) -> list[Path]:
    """Move the staged archived files into the data directory; return those added.

    A file already there with the same content is kept; one with other content stops the
    restore before anything is moved. The files about to be added are listed in `journal`
    (with `target_id`, the database they are for) before the first one is moved.
    """
    plan: list[tuple[Path, Path, str]] = []
    wanted = {m["name"]: m["sha256"] for m in verified.manifest["members"]}
    for name in verified.names("files/"):
        dest = root / name.removeprefix("files/")
        if dest.exists() or dest.is_symlink():
            if dest.is_file() and _sha256(dest) == wanted[name]:
                continue
            raise ConfigurationError(
                f"{dest} exists with other content: restore into an empty data directory"
            )
        plan.append((verified.path(name), dest, wanted[name]))
    if plan:
        files = [[dest.relative_to(root).as_posix(), sha] for _, dest, sha in plan]
        _write_durably(journal, orjson.dumps({"target": target_id, "files": files}))
    added: list[Path] = []
    try:
        for staged, dest, _ in plan:
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, dest)
            added.append(dest)
    except BaseException:
        _remove(added, root)
        raise
    return added


def _write_durably(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all (a temporary name, fsync, rename)."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _load(verified: Verified, target: Database, actor: str | None) -> _Loaded:
    """Load the staged database into the target (see the table in the module docstring),
    with the closing writes (`_close`) in the same transaction wherever the engine allows."""
    manifest = verified.manifest
    fmt, revision = manifest["database_format"], manifest.get("alembic_revision")
    if fmt == "pg_dump":
        # The dump brings its own tables, at its revision: upgraded on the script's own
        # connection, so the upgrade and the closing writes commit with the load.
        dump, schema = verified.path(_PG_DUMP), str(manifest["pg_schema"])
        with store.pg_restore(target, dump, schema=schema, skip_rows=_ENDED) as conn:
            migrated = target.migrate_in(conn)
            seq = _close(conn, verified, actor)
        return _Loaded(seq, migrated)
    if fmt == "sqlite" and target.is_sqlite:
        # The staged file is this restore's own copy: brought to the head and closed there,
        # it then replaces the target whole, in the backup API's one transaction.
        staged = Database(f"sqlite:///{verified.path('database/khronika.sqlite')}")
        try:
            migrated = staged.migrate()
            with staged.begin() as conn:
                seq = _close(conn, verified, actor)
        finally:
            staged.dispose()
        store.sqlite_load(verified.path("database/khronika.sqlite"), target)
        return _Loaded(seq, migrated)
    # The tables at the backup's revision, empty (committed: the target is still empty,
    # and a restore run again takes the same backup); then its rows, the upgrade to the
    # head and the closing writes, in one transaction.
    if revision is not None:
        target.migrate(to=revision)
    with target.begin() as conn:
        if fmt == "logical":
            store.load_rows(conn, _jsonl_tables(verified))
        else:
            with store.sqlite_file_connection(verified.path("database/khronika.sqlite")) as src:
                store.load_rows(conn, store.table_rows(src))
        migrated = target.migrate_in(conn)
        return _Loaded(_close(conn, verified, actor), migrated)


def _jsonl_tables(
    verified: Verified,
) -> Iterator[tuple[str, list[str], Iterator[Sequence[Any]]]]:
    """Yield (table, columns, rows) of each table of a logical backup."""
    for name in verified.names("database/"):
        f = open(verified.path(name), "rb")  # noqa: SIM115 - closed by _rows when read
        header = orjson.loads(f.readline())
        yield str(header["table"]), [str(c) for c in header["columns"]], _rows(f)


def _rows(f: Any) -> Iterator[Sequence[Any]]:
    with f:
        for line in f:
            yield orjson.loads(line)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
