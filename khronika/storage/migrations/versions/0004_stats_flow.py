"""Figures cache, third form: flow rows beside the spans; spans and flows follow merges.

The flows used to read the event table (and each event's JSON details) on every call;
they now count rows of `stats_flow`, derived with the spans. A cache built by the second
form is marked stale so the next figure rebuilds both tables.
"""

import sqlalchemy as sa
from alembic import op

from khronika.storage.migrations.cache import mark_figures_cache, mark_figures_cache_stale
from khronika.storage.migrations.frozen import Key, interval, serial

revision = "0004_stats_flow"
down_revision = "0102_web"


def upgrade() -> None:
    op.create_table(
        "stats_flow",
        serial("pk", sa.Integer),
        sa.Column("person", Key, nullable=False),
        sa.Column("event", Key, nullable=False),
        sa.Column("flow", sa.String(16), nullable=False),
        sa.Column("org", Key, nullable=False),
        sa.Column("day", Key, nullable=False),
        sa.Column("attr", Key, nullable=False),
        sa.Column("prev", Key, nullable=False),
        *interval("tf", "tt"),
    )
    op.create_index("ix_stats_flow_person", "stats_flow", ["person"])
    op.create_index(
        "ix_stats_flow_day", "stats_flow", ["flow", "org", "day", "attr", "prev", "tf", "tt"]
    )
    # "built 3" is khronika.stats.maintain.SPANS_VERSION at this revision. An empty database
    # is complete as it is; one with events is rebuilt on first use.
    mark_figures_cache("built 3")


def downgrade() -> None:
    op.drop_table("stats_flow")
    mark_figures_cache_stale()
