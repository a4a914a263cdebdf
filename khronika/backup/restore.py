"""Restore a backup into an empty database and data directory, checking everything first.

In order: the target must hold no records; every member of the backup is staged (in a
hidden directory inside the data directory) and checked against the manifest, and the
manifest against its digest; only then are the archived files moved into place and the
database loaded (in one transaction), and the restore appended to the audit log, naming
the backup's digest. A damaged, truncated or wrongly decrypted backup is refused before
anything is written.

How the database is loaded depends on the backup and the target:

    backup        into SQLite                      into PostgreSQL
    sqlite        the backup API (whole file)      its rows, table by table
    pg_dump       —                                pg_restore, one transaction
    logical       its rows, table by table         its rows, table by table
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

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
            already are kept, and must not differ from the backup's.
        passphrase: the passphrase of an encrypted backup.
        actor: who restores (the audit row's actor).

    Raises:
        BackupRejected: the file is damaged, truncated, not a backup, encrypted without a
            passphrase given, or the passphrase is wrong. Nothing was written.
        ConfigurationError: the target holds records, or cannot take this backup (another
            schema, a newer revision, a tool missing). Nothing was written.
    """
    filled = store.first_filled_table(target)
    if filled is not None:
        raise ConfigurationError(
            f"{target.display_url} is not empty (table {filled} has rows): "
            "restore into a new, empty database"
        )
    root = Path(data_dir or settings.get("KHRONIKA_DATA_DIR"))
    verified, encrypted = _stage_and_load(Path(path), target, root, passphrase)
    manifest = verified.manifest
    migrated = target.migrate()
    head = manifest.get("audit_head")
    with target.begin() as conn:
        # The copy's sessions would let a cookie from the old machine in (a laptop seized
        # with its browser open): everyone logs in again. Tokens stay, listed and revocable.
        sessions = delete_all_sessions(conn)
        seq = record(
            conn,
            "restore",
            at=storage_timestamp(datetime.now(UTC)),
            actor=actor,
            ids=[f"backup:{verified.digest}"],
            after=[
                (
                    f"backup:{verified.digest}",
                    f"{manifest['created']}|{(head or {}).get('hash')}|sessions ended={sessions}",
                )
            ],
        )
    return RestoreReport(
        verified.digest,
        str(manifest["created"]),
        str(manifest["engine"]),
        str(manifest["database_format"]),
        len(verified.names("files/")),
        encrypted,
        head,
        seq,
        migrated,
    )


def _stage_and_load(
    path: Path, target: Database, root: Path, passphrase: bytes | None
) -> tuple[Verified, bool]:
    """Stage and check the backup, then place its files and load its database.

    The staging directory is inside the data directory, so that files move into place by
    rename; it goes afterwards, and so does the data directory if it was made for nothing.
    """
    made_root = not root.exists()
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=root))
    try:
        verified, encrypted = _read(path, passphrase, staging)
        _check_fits(verified.manifest, target)
        added = _place_files(verified, root)
        try:
            _load(verified, target)
        except BaseException:
            for file in added:
                file.unlink(missing_ok=True)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if made_root and not any(root.iterdir()):
            root.rmdir()
    return verified, encrypted


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


def _check_fits(manifest: dict[str, Any], target: Database) -> None:
    """Refuse a backup the target cannot take, before anything is written."""
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
        with target.connect() as conn:
            schema = store.pg_schema(conn)
        if schema != manifest.get("pg_schema"):
            raise ConfigurationError(
                f"the backup is of schema {manifest.get('pg_schema')!r} and the target's is "
                f"{schema!r}: pg_restore cannot rename schemas (set the target's search_path, "
                "or make a --logical backup)"
            )
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


def _place_files(verified: Verified, root: Path) -> list[Path]:
    """Move the staged archived files into the data directory; return those added.

    A file already there with the same content is kept; one with other content stops the
    restore before anything is moved.
    """
    plan: list[tuple[Path, Path]] = []
    wanted = {m["name"]: m["sha256"] for m in verified.manifest["members"]}
    for name in verified.names("files/"):
        dest = root / name.removeprefix("files/")
        if dest.exists() or dest.is_symlink():
            if dest.is_file() and _sha256(dest) == wanted[name]:
                continue
            raise ConfigurationError(
                f"{dest} exists with other content: restore into an empty data directory"
            )
        plan.append((verified.path(name), dest))
    added: list[Path] = []
    try:
        for staged, dest in plan:
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, dest)
            added.append(dest)
    except BaseException:
        for file in added:
            file.unlink(missing_ok=True)
        raise
    return added


def _load(verified: Verified, target: Database) -> None:
    """Load the staged database into the target (see the table in the module docstring)."""
    manifest = verified.manifest
    fmt, revision = manifest["database_format"], manifest.get("alembic_revision")
    if fmt == "pg_dump":
        store.pg_restore(target, verified.path("database/khronika.pgdump"))
        return
    if fmt == "sqlite" and target.is_sqlite:
        store.sqlite_load(verified.path("database/khronika.sqlite"), target)
        return
    if revision is not None:
        target.migrate(to=revision)
    if fmt == "logical":
        with target.begin() as conn:
            store.load_rows(conn, _jsonl_tables(verified))
        return
    source = verified.path("database/khronika.sqlite")
    with store.sqlite_file_connection(source) as src, target.begin() as conn:
        store.load_rows(conn, store.table_rows(src))


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
