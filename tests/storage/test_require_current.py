"""`require_current`: one SELECT when the database is at the head, alembic's answer otherwise."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from khronika.errors import ConfigurationError
from khronika.storage import Database
from khronika.storage.db import _alembic_config, head_revision, known_revisions


def _downgrade(db: Database, to: str) -> None:
    with db.engine.begin() as conn:
        cfg = _alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, to)


def _no_alembic(db: Database) -> None:
    """Stop `db` from asking alembic: the check must answer from its one SELECT."""

    def pending() -> list[str]:
        raise AssertionError("require_current asked alembic")

    db.pending = pending  # type: ignore[method-assign]


def test_the_head_read_from_the_files_is_alembics_head() -> None:
    # Read without alembic, so that it cannot drift from what alembic would apply.
    script = ScriptDirectory.from_config(_alembic_config())
    assert [head_revision()] == script.get_heads()
    assert head_revision() == known_revisions()[-1]


def test_a_database_at_the_head_is_current_without_alembic(db: Database) -> None:
    _no_alembic(db)
    db.require_current()


def test_a_database_behind_the_head_asks_alembic(db: Database) -> None:
    # The control for the test above: not at the head, the full check runs.
    _downgrade(db, "-1")
    _no_alembic(db)
    with pytest.raises(AssertionError, match="asked alembic"):
        db.require_current()


def test_a_database_one_step_behind_needs_migrating(db: Database) -> None:
    _downgrade(db, "-1")
    with pytest.raises(ConfigurationError, match=r"needs migrating \(1 pending\): run `khronika"):
        db.require_current()
    db.migrate()
    db.require_current()


@pytest.mark.parametrize("table", ["empty", "dropped"])
def test_a_new_database_needs_every_migration(db: Database, table: str) -> None:
    _downgrade(db, "base")
    if table == "dropped":  # as before the first migration: no alembic_version at all
        with db.begin() as conn:
            conn.execute(text("DROP TABLE alembic_version"))
    n = len(known_revisions())
    with pytest.raises(ConfigurationError, match=rf"needs migrating \({n} pending\)"):
        db.require_current()


def test_a_revision_from_a_newer_khronika_is_named(db: Database) -> None:
    with db.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    with pytest.raises(ConfigurationError, match="'9999_from_the_future', which this khronika"):
        db.require_current()
