"""Migrations create exactly the tables of schema.py, on every engine."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from khronika.storage import Database
from khronika.storage.schema import metadata


def test_migrations_match_schema(db: Database) -> None:
    with db.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_migrate_is_idempotent(db: Database) -> None:
    assert db.pending() == []
    assert db.migrate() == []
    assert db.current_revision() is not None
