"""Figures cache: drop the "as known then" span index, which no query reads any more.

Series as known then sum the daily totals (`stats_daily`, revision 0006); the `af`/`at`
columns stay, the totals are counted from them.
"""

from alembic import op

revision = "0007_drop_span_asof_index"
down_revision = "0006_stats_daily"


def upgrade() -> None:
    op.drop_index("ix_stats_span_asof", table_name="stats_span")


def downgrade() -> None:
    op.create_index("ix_stats_span_asof", "stats_span", ["state", "org", "af", "at"])
