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


def _chain() -> list[str]:
    """Revision ids from the first to head, in the order the chain applies them."""
    from alembic.script import ScriptDirectory

    from khronika.storage.db import _alembic_config

    script = ScriptDirectory.from_config(_alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions("base", "head")))]


def test_files_are_named_in_chain_order_from_0008_on() -> None:
    """Older files sort 0001…0007, 0101, 0102, 0201 while the chain interleaves them; from
    0008 on a file's name is its place in the chain (released names are never rewritten)."""
    chain = _chain()
    assert len(chain) == len(set(chain))
    new = chain[chain.index("0008_event_visibility") :]
    assert new == sorted(new)
    assert all(r[:4].isdigit() and int(r[:4]) < 100 for r in new)


def _step(db: Database, direction: str) -> None:
    from alembic import command

    from khronika.storage.db import _alembic_config

    with db.engine.begin() as conn:
        cfg = _alembic_config()
        cfg.attributes["connection"] = conn
        if direction == "down":
            command.downgrade(cfg, "-1")
        else:
            command.upgrade(cfg, "+1")


def test_every_migration_goes_down_and_up_one_step_at_a_time(db: Database) -> None:
    chain = _chain()
    for expected in reversed([None, *chain[:-1]]):
        _step(db, "down")
        assert db.current_revision() == expected
    for expected in chain:
        _step(db, "up")
        assert db.current_revision() == expected
    with db.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
