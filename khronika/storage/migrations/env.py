"""Alembic environment: runs migrations on the connection khronika hands over."""

from __future__ import annotations

from alembic import context

from khronika.storage.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - khronika always passes a connection
    raise RuntimeError("run migrations through khronika (khronika db migrate)")

context.configure(
    connection=connection,
    target_metadata=metadata,
    # Batch mode lets ALTER TABLE work on SQLite, which rebuilds the table.
    render_as_batch=True,
    transaction_per_migration=True,
)
with context.begin_transaction():
    context.run_migrations()
