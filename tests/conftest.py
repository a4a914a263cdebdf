"""Fixtures strategy: every test gets a fresh, migrated database of its own.

`db` is parametrised over the engines: in-memory SQLite always, PostgreSQL (a schema of its
own, dropped afterwards) when KHRONIKA_TEST_PG_URL is set. Data is built inside each test
from small synthetic records; real data under ../shared/data is read only by tests marked
`realdata`, which skip with the reason when the folder is absent.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from khronika.storage import Database

PG_URL = os.environ.get("KHRONIKA_TEST_PG_URL", "")
# The tests' clients make thousands of requests from one address; the rate limit has its own
# tests (tests/web/test_ratelimit.py), which turn it on.
os.environ.setdefault("KHRONIKA_WEB_RATE", "0")
SHARED_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"

ENGINES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgres",
        id="postgres",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not PG_URL, reason="KHRONIKA_TEST_PG_URL is not set"),
        ],
    ),
]


def make_database(
    engine: str, tmp_path: Path, *, to: str = "head", name: str = "test.db"
) -> tuple[Database, str]:
    """Create an empty database on `engine` migrated to revision `to` (SQLite: the file
    `name` in `tmp_path`); return it and its URL."""
    if engine == "sqlite":
        tmp_path.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{tmp_path / name}"
        db = Database(url)
    else:
        schema = f"t_{uuid.uuid4().hex[:12]}"
        admin = Database(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        url = PG_URL
        db = Database(PG_URL, schema=schema)
    db.migrate(to=to)
    return db, url


@contextmanager
def restore_target(
    source: Database, tmp_path: Path, *, migrated: bool = False
) -> Iterator[tuple[Database, str]]:
    """An empty database that a backup of `source` restores into; yield it and its URL.

    `migrated` makes it as `khronika init` would (what a restore into an initialised
    database meets). PostgreSQL: the target is a schema of the source's name (the source's
    is moved aside, and an empty one of its name takes its place; the `db` fixture drops
    that one, the moved source is dropped here); other names: tests/test_backup.py.
    """
    if source.schema is None:
        url = f"sqlite:///{tmp_path / 'restored.db'}"
        target = Database(url)
        if migrated:
            target.migrate()
        yield target, url
        target.dispose()
        return
    source.dispose()
    admin = Database(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'ALTER SCHEMA "{source.schema}" RENAME TO "{source.schema}_src"'))
        conn.execute(text(f'CREATE SCHEMA "{source.schema}"'))
    target = Database(PG_URL, schema=source.schema)
    try:
        if migrated:
            target.migrate()
        yield target, PG_URL
    finally:
        target.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{source.schema}_src" CASCADE'))
        admin.dispose()


def drop_database(db: Database) -> None:
    """Drop a PostgreSQL test schema; SQLite files go with tmp_path."""
    db.dispose()
    if db.schema:
        admin = Database(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{db.schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    """The engine a test runs on: `sqlite` or `postgres`."""
    return str(request.param)


@pytest.fixture
def db(engine_name: str, tmp_path: Path) -> Iterator[Database]:
    """A fresh migrated database on each engine."""
    database, _ = make_database(engine_name, tmp_path)
    yield database
    drop_database(database)


@pytest.fixture
def shared_data() -> Path:
    """The real-data folder; skips the test when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not found at {SHARED_DATA} (../shared/data beside the repo)")
    return SHARED_DATA.resolve()
