"""Figures cache, fifth form: daily totals of the spans and flow rows (`stats_daily`).

A series read every span and flow row of its years; it now reads one total per day and
measure (khronika.stats.daily). A cache built before is marked stale and rebuilt (with the
totals) on first use.

Revision ID: 0006_stats_daily
Revises: 0005_span_detail
"""

import sqlalchemy as sa
from alembic import op

from khronika.storage.migrations.cache import mark_figures_cache, mark_figures_cache_stale

revision = "0006_stats_daily"
down_revision = "0005_span_detail"
branch_labels = None
depends_on = None

# Frozen copy of the key type of this revision (never import it from schema.py).
_Key = sa.String().with_variant(sa.String(collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "stats_daily",
        sa.Column("what", sa.String(24), nullable=False),
        sa.Column("org", _Key, nullable=False),
        sa.Column("measure", sa.String(24), nullable=False),
        sa.Column("day", _Key, nullable=False),
        sa.Column("attr", _Key, nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("what", "org", "measure", "day", "attr", name="pk_stats_daily"),
    )
    # "built 6" is khronika.stats.maintain.SPANS_VERSION when this revision was written (the
    # daily totals gained custody corners before it landed). An empty database
    # is complete as it is; one with events is rebuilt on first use.
    mark_figures_cache("built 6")


def downgrade() -> None:
    op.drop_table("stats_daily")
    mark_figures_cache_stale()
