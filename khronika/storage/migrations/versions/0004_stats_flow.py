"""Figures cache, third form: flow rows beside the spans; spans and flows follow merges.

The flows used to read the event table (and each event's JSON details) on every call;
they now count rows of `stats_flow`, derived with the spans. A cache built by the second
form is marked stale so the next figure rebuilds both tables.

Revision ID: 0004_stats_flow
Revises: 0102_web
"""

import sqlalchemy as sa
from alembic import op

from khronika.storage.migrations.cache import mark_figures_cache, mark_figures_cache_stale

revision = "0004_stats_flow"
down_revision = "0102_web"
branch_labels = None
depends_on = None

# Frozen copy of the key type of this revision (never import it from schema.py).
_Key = sa.String().with_variant(sa.String(collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "stats_flow",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("person", _Key, nullable=False),
        sa.Column("event", _Key, nullable=False),
        sa.Column("flow", sa.String(16), nullable=False),
        sa.Column("org", _Key, nullable=False),
        sa.Column("day", _Key, nullable=False),
        sa.Column("attr", _Key, nullable=False),
        sa.Column("prev", _Key, nullable=False),
        sa.Column("tf", _Key, nullable=False),
        sa.Column("tt", _Key, nullable=False),
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
