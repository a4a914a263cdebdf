"""Figures cache, fifth form: daily totals of the spans and flow rows (`stats_daily`).

A series read every span and flow row of its years; it now reads one total per day and
measure (khronika.stats.daily). A cache built before is marked stale and rebuilt (with the
totals) on first use.
"""

import sqlalchemy as sa
from alembic import op

from khronika.storage.migrations.cache import mark_figures_cache, mark_figures_cache_stale
from khronika.storage.migrations.frozen import Key

revision = "0006_stats_daily"
down_revision = "0005_span_detail"


def upgrade() -> None:
    op.create_table(
        "stats_daily",
        sa.Column("what", sa.String(24), nullable=False),
        sa.Column("org", Key, nullable=False),
        sa.Column("measure", sa.String(24), nullable=False),
        sa.Column("day", Key, nullable=False),
        sa.Column("attr", Key, nullable=False),
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
