"""Figures cache: per-person bitemporal state spans (custody, recognition, prisoner)."""

import sqlalchemy as sa
from alembic import op

from khronika.storage.migrations.frozen import Key, interval, serial

revision = "0002_stats"
down_revision = "0001_initial"


def upgrade() -> None:
    op.create_table(
        "stats_span",
        serial("pk", sa.Integer),
        sa.Column("person", Key, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("org", Key, nullable=False),
        *interval("vf", "vt"),
        *interval("tf", "tt"),
        *interval("af", "at"),
    )
    op.create_index(
        "ix_stats_span_person",
        "stats_span",
        ["person", "state", "org", "vf", "vt", "tf", "tt"],
    )
    op.create_index("ix_stats_span_end", "stats_span", ["state", "org", "vt", "vf", "tf", "tt"])
    op.create_index("ix_stats_span_start", "stats_span", ["state", "org", "vf", "tf", "tt"])
    op.create_index("ix_stats_span_asof", "stats_span", ["state", "org", "af", "at"])
    state = op.create_table(
        "stats_state",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("value", sa.String(64), nullable=False),
    )
    # An empty database has complete (empty) spans; one with events is built on first use.
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT 1 FROM event LIMIT 1")).first() is None:
        op.bulk_insert(state, [{"name": "spans", "value": "built"}])


def downgrade() -> None:
    op.drop_table("stats_state")
    op.drop_table("stats_span")
