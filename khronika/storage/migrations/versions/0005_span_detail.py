"""Figures cache, fourth form: prisoner spans carry the stock's breakdown (`detail`).

A political prisoner's span now holds JSON [sex, region, articles] and is split where the
case changes, so that the figures on a day read one index range instead of joining the
person and case spans. A cache built before is marked stale and rebuilt on first use.
"""

import sqlalchemy as sa
from alembic import op

from khronika.storage.migrations.cache import mark_figures_cache, mark_figures_cache_stale
from khronika.storage.migrations.frozen import Key

revision = "0005_span_detail"
down_revision = "0004_stats_flow"


_OLD_END = ["state", "org", "vt", "vf", "tf", "tt", "person"]
_NEW_END = ["state", "org", "vt", "vf", "tf", "tt", "detail", "person"]


def upgrade() -> None:
    op.add_column("stats_span", sa.Column("detail", Key, nullable=False, server_default=""))
    op.drop_index("ix_stats_span_end", table_name="stats_span")
    op.create_index("ix_stats_span_end", "stats_span", _NEW_END)
    # "built 4" is khronika.stats.maintain.SPANS_VERSION at this revision. An empty database
    # is complete as it is; one with events is rebuilt on first use.
    mark_figures_cache("built 4")


def downgrade() -> None:
    op.drop_index("ix_stats_span_end", table_name="stats_span")
    with op.batch_alter_table("stats_span") as batch:
        batch.drop_column("detail")
    op.create_index("ix_stats_span_end", "stats_span", _OLD_END)
    mark_figures_cache_stale()
