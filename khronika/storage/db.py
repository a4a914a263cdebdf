"""The database: an engine for a URL, its migrations, and units of work.

SQLite (the embedded default: one file, WAL, foreign keys on) and PostgreSQL run the same
code and the same migrations. Where they differ, `dialects.py` says how.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import StaticPool

from khronika import settings
from khronika.errors import ConfigurationError, StorageFull

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported only when migrations are looked at: it costs half a second of
# start-up that most commands do not need.

__all__ = ["Database", "head_revision", "known_revisions", "open_database"]


class Database:
    """One khronika database, reached by a SQLAlchemy URL.

    Args:
        url: `sqlite:///file.db`, `sqlite://` (in memory), or
            `postgresql+psycopg://user@host/db`.
        schema: PostgreSQL only: the schema to work in (tests give each run its own).
    """

    def __init__(self, url: str, *, schema: str | None = None) -> None:
        self.url = url
        self.schema = schema
        self.engine: Engine = _create_engine(url, schema=schema)

    @property
    def is_postgres(self) -> bool:
        """True when the engine is PostgreSQL."""
        return self.engine.dialect.name == "postgresql"

    @property
    def is_sqlite(self) -> bool:
        """True when the engine is SQLite."""
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """Open a unit of work: everything inside commits together or not at all.

        Raises:
            StorageFull: the disk or the database's size limit ran out (rolled back).
        """
        try:
            with self.engine.connect() as conn:
                # SQLite: take the write lock at BEGIN (see _make_sqlite_transactional).
                conn.execution_options(khronika_write=True)
                with conn.begin():
                    yield conn
        except OperationalError as e:
            if _is_full(e):
                raise StorageFull(
                    "the disk is full (or the database reached its size limit): nothing of "
                    "this change was written, and what was there before is intact; free some "
                    "space and run it again"
                ) from e
            raise

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """Open a connection for reading (a transaction is begun on first use)."""
        with self.engine.connect() as conn:
            yield conn

    def migrate(self, *, to: str = "head") -> list[str]:
        """Apply the pending migrations (up to revision `to`); return those applied, oldest first.

        A restore migrates an empty database to the revision of its backup first, so that
        the backup's rows fit its tables, then to the head.
        """
        with self.engine.begin() as conn:
            return self.migrate_in(conn, to=to)

    def migrate_in(self, conn: Connection, *, to: str = "head") -> list[str]:
        """Apply the pending migrations (up to revision `to`) on `conn`, inside the
        transaction it is in: they commit with what else it writes, or not at all. Return
        those applied, oldest first.

        A restore of a backup of an older revision upgrades its rows this way, in the
        transaction that loads them and appends its audit row (`khronika.backup.restore`).
        """
        from alembic import command
        from alembic.runtime.migration import MigrationContext

        current = MigrationContext.configure(conn).get_current_revision()
        before = self._pending_after(current)
        if to != "head":
            before = before[: before.index(to) + 1] if to in before else []
        cfg = _alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, to)
        return before

    def current_revision(self) -> str | None:
        """Return the revision the database is at, or None for an empty database."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def pending(self) -> list[str]:
        """Return the revisions not yet applied, oldest first (reads only)."""
        return self._pending_after(self.current_revision())

    def _pending_after(self, current: str | None) -> list[str]:
        """The revisions after `current` up to the head, oldest first."""
        from alembic.script import ScriptDirectory
        from alembic.script.revision import ResolutionError

        script = ScriptDirectory.from_config(_alembic_config())
        try:
            revs = [r.revision for r in script.iterate_revisions("head", current)]
        except ResolutionError:
            raise ConfigurationError(
                f"database {self.display_url} is at revision {current!r}, which this "
                "khronika does not know (was it created by a newer version?)"
            ) from None
        return list(reversed(revs))

    def require_current(self) -> None:
        """Raise ConfigurationError unless every migration has been applied.

        Every command asks this, so the usual answer costs one SELECT: a database whose
        `alembic_version` holds exactly the head this khronika ships is current. Anything
        else goes through `pending()` (alembic loads every migration file, a sixth of a
        second) for the exact message, or for no error if alembic finds nothing pending.
        """
        head = head_revision()
        if head is not None and self._stored_revisions() == [head]:
            return
        pending = self.pending()
        if pending:
            raise ConfigurationError(
                f"database {self.display_url} needs migrating ({len(pending)} pending): "
                "run `khronika db migrate` (or `khronika init` for a new database)"
            )

    def _stored_revisions(self) -> list[str] | None:
        """Return the revisions `alembic_version` holds, or None when it cannot be read."""
        with self.engine.connect() as conn:
            try:
                rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
            except DBAPIError:
                # No such table (a new database): `pending()` gives the full answer.
                return None
        return [row[0] for row in rows]

    @property
    def display_url(self) -> str:
        """The URL with any password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _is_full(error: OperationalError) -> bool:
    """True when a database error says the storage is full (SQLite's SQLITE_FULL, or
    PostgreSQL's disk_full, SQLSTATE 53100)."""
    if getattr(error.orig, "sqlstate", None) == "53100":
        return True
    return "database or disk is full" in str(error.orig)


def known_revisions() -> list[str]:
    """Return every revision this khronika's migrations know, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


# `revision = "0015_x"` and `down_revision = "0014_y"` (or a tuple, for a merge) at the
# start of a line of a migration file, with or without a type annotation.
_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=(.*)$", re.MULTILINE)


@functools.cache
def head_revision() -> str | None:
    """Return the newest revision this khronika ships, read from the files without alembic.

    The head is the one revision no file names as its `down_revision`; None when the files
    do not name exactly one (then `require_current` asks alembic). tests/storage checks
    that it is alembic's head, so the two cannot drift apart.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (resources.files("khronika.storage") / "migrations" / "versions").iterdir():
        if not path.name.endswith(".py") or path.name == "__init__.py":
            continue
        for key, value in _REVISION_LINE.findall(path.read_text(encoding="utf-8")):
            names = re.findall(r"[\"']([^\"']+)[\"']", value)
            (revisions if key == "revision" else parents).update(names)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def open_database(url: str | None = None) -> Database:
    """Open the database at `url`, else at KHRONIKA_DB_URL (default sqlite:///khronika.db)."""
    return Database(url or settings.get("KHRONIKA_DB_URL"))


def _alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("khronika.storage") / "migrations"))
    return cfg


def _create_engine(url: str, *, schema: str | None) -> Engine:
    kwargs: dict[str, Any] = {}
    if url.startswith("sqlite"):
        if url in ("sqlite://", "sqlite:///:memory:"):
            # One shared connection, or every checkout would see a new empty database.
            kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            kwargs.update(connect_args={"check_same_thread": False, "timeout": 30})
        engine = create_engine(url, **kwargs)
        _make_sqlite_transactional(engine, in_memory="memory" in url or url == "sqlite://")
        return engine
    if schema:
        kwargs["connect_args"] = {"options": f"-csearch_path={schema}"}
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _make_sqlite_transactional(engine: Engine, *, in_memory: bool) -> None:
    """Let SQLAlchemy, not the sqlite3 module, begin transactions.

    The sqlite3 module's legacy mode opens a transaction only before DML, so DDL and reads
    would escape it; a crash mid-import must leave nothing behind, so every unit of work
    starts with an explicit BEGIN.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        if not in_memory:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            # 256 MB of page cache (default 2 MB): a 10M-event table's indexes stay in
            # memory while a big import or a figures rebuild walks them.
            cur.execute("PRAGMA cache_size=-262144")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A unit of work that will write begins IMMEDIATE: it waits (busy timeout) for the
        # write lock up front. A deferred one that read first and then wants to write after
        # another writer committed gets "database is locked" at once, with no waiting — an
        # editor's save lost while an import runs. Reads stay deferred and never block.
        write = conn.get_execution_options().get("khronika_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
