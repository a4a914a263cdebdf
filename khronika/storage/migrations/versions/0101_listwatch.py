"""Official-lists watch: watched_list, list_snapshot, list_entry, list_entry_version."""

import sqlalchemy as sa
from alembic import op

from khronika.storage.migrations.frozen import Key

revision = "0101_listwatch"
down_revision = "0002_stats"


def upgrade() -> None:
    op.create_table(
        "watched_list",
        sa.Column("id", Key, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("issuer", Key, nullable=False),
        sa.Column("country", sa.String(8), nullable=False),
        sa.Column("format", sa.String(64), nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("options", sa.Text, nullable=False),
        sa.Column("created", Key, nullable=False),
    )
    op.create_table(
        "list_snapshot",
        sa.Column("list_id", Key, primary_key=True),
        sa.Column("id", Key, primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("taken", Key, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("filename", sa.Text),
        sa.Column("parser", sa.String(64), nullable=False),
        sa.Column("parser_version", sa.String(16), nullable=False),
        sa.Column("imported", Key, nullable=False),
        sa.Column("entry_count", sa.Integer, nullable=False),
        sa.Column("added", sa.Integer, nullable=False),
        sa.Column("removed", sa.Integer, nullable=False),
        sa.Column("changed", sa.Integer, nullable=False),
        sa.Column("forced", sa.Boolean, nullable=False),
        sa.Column("warnings", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(["list_id"], ["watched_list.id"], name="fk_list_snapshot_list"),
    )
    op.create_index("ix_list_snapshot_order", "list_snapshot", ["list_id", "taken", "seq"])
    op.create_index("ix_list_snapshot_sha", "list_snapshot", ["list_id", "sha256"])
    op.create_table(
        "list_entry",
        sa.Column("list_id", Key, primary_key=True),
        sa.Column("key", Key, primary_key=True),
        sa.Column("first_snapshot", Key, nullable=False),
        sa.ForeignKeyConstraint(["list_id"], ["watched_list.id"], name="fk_list_entry_list"),
    )
    op.create_table(
        "list_entry_version",
        sa.Column("list_id", Key, primary_key=True),
        sa.Column("snapshot_id", Key, primary_key=True),
        sa.Column("key", Key, primary_key=True),
        sa.Column("source_id", sa.Text),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("birth_date", sa.Text),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("digest", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id", "snapshot_id"],
            ["list_snapshot.list_id", "list_snapshot.id"],
            name="fk_list_entry_version_snapshot",
        ),
    )
    op.create_index("ix_list_entry_version_key", "list_entry_version", ["list_id", "key"])
    op.create_index(
        "ix_list_entry_version_digest",
        "list_entry_version",
        ["list_id", "snapshot_id", "key", "digest"],
    )


def downgrade() -> None:
    op.drop_table("list_entry_version")
    op.drop_table("list_entry")
    op.drop_table("list_snapshot")
    op.drop_table("watched_list")
