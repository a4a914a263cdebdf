"""What migrations that change the figures cache share: marking it built or stale.

Kept here, not in the application code, so that old revisions keep working whatever the
application becomes; change nothing here that a written revision relies on.
"""

import sqlalchemy as sa
from alembic import op

__all__ = ["mark_figures_cache", "mark_figures_cache_stale"]


def mark_figures_cache(built: str) -> None:
    """Mark the figures cache `built` (e.g. "built 6") on an empty database, or stale on a
    database with events, so that the first figure rebuilds it with the new derivation."""
    conn = op.get_bind()
    empty = conn.execute(sa.text("SELECT 1 FROM event LIMIT 1")).first() is None
    conn.execute(sa.text("DELETE FROM stats_state WHERE name = 'spans'"))
    if empty:
        conn.execute(
            sa.text("INSERT INTO stats_state (name, value) VALUES ('spans', :v)"), {"v": built}
        )


def mark_figures_cache_stale() -> None:
    """Mark the figures cache stale (a downgrade: the older derivation rebuilds it)."""
    op.get_bind().execute(sa.text("DELETE FROM stats_state WHERE name = 'spans'"))
