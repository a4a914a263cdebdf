"""Figures cache, second form: covering span indexes (with `person`), spans derived anew.

The span derivation now also records each person's case (articles) and sex/region
versions; a cache built by the first form is marked stale so the next figure rebuilds it.
"""

from alembic import op

from khronika.storage.migrations.cache import mark_figures_cache, mark_figures_cache_stale

revision = "0003_stats_indexes"
down_revision = "0101_listwatch"

_INDEXES = {
    "ix_stats_span_end": (
        ["state", "org", "vt", "vf", "tf", "tt"],
        ["state", "org", "vt", "vf", "tf", "tt", "person"],
    ),
    "ix_stats_span_start": (
        ["state", "org", "vf", "tf", "tt"],
        ["state", "org", "vf", "tf", "tt", "vt", "person"],
    ),
}


def upgrade() -> None:
    for name, (_, columns) in _INDEXES.items():
        op.drop_index(name, table_name="stats_span")
        op.create_index(name, "stats_span", columns)
    # "built 2" is khronika.stats.maintain.SPANS_VERSION at this revision. An empty database
    # is complete as it is; one with events is rebuilt on first use.
    mark_figures_cache("built 2")


def downgrade() -> None:
    for name, (columns, _) in _INDEXES.items():
        op.drop_index(name, table_name="stats_span")
        op.create_index(name, "stats_span", columns)
    mark_figures_cache_stale()
