"""Initial schema: versioned meta, organisation, facility, source, person and event tables."""

from typing import Any

import sqlalchemy as sa
from alembic import op

from khronika.storage.migrations.frozen import Key, serial

revision = "0001_initial"
down_revision = None


def _versioned(
    name: str, *columns: sa.Column[Any], indexes: tuple[tuple[str, list[str]], ...] = ()
) -> None:
    op.create_table(
        name,
        serial(),
        sa.Column("id", Key, nullable=False),
        sa.Column("recorded", Key, nullable=False),
        sa.Column("retracted", Key, nullable=True),
        sa.Column("recorded_by", sa.Text, nullable=True),
        sa.Column("retracted_by", sa.Text, nullable=True),
        sa.Column("retraction_reason", sa.Text, nullable=True),
        sa.Column("digest", sa.String(32), nullable=False),
        *columns,
        sa.Column("extra", sa.Text, nullable=True),
        sa.UniqueConstraint("id", "recorded", name=f"uq_{name}_version"),
    )
    for index_name, cols in indexes:
        op.create_index(index_name, name, cols)


def upgrade() -> None:
    _versioned(
        "meta",
        sa.Column("dataset", sa.Text),
        sa.Column("licence", sa.Text),
        sa.Column("synthetic", sa.Boolean, nullable=False),
        sa.Column("description", sa.Text),
    )
    _versioned(
        "organisation",
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
    )
    _versioned(
        "facility",
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.Text),
        sa.Column("address", sa.Text),
        sa.Column("public", sa.Boolean, nullable=False),
    )
    _versioned(
        "source",
        sa.Column("url", sa.Text),
        sa.Column("file", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("publisher", sa.Text),
        sa.Column("published", sa.Text),
        sa.Column("published_lo", Key),
        sa.Column("published_hi", Key),
        sa.Column("retrieved", Key),
        sa.Column("sha256", sa.String(64)),
        sa.Column("visibility", sa.String(16), nullable=False),
    )
    _versioned(
        "person",
        sa.Column("names", sa.Text, nullable=False),
        sa.Column("primary_name", sa.Text, nullable=False),
        sa.Column("search_text", sa.Text, nullable=False),
        sa.Column("sex", sa.String(8), nullable=False),
        sa.Column("birth_date", sa.Text),
        sa.Column("birth_lo", Key),
        sa.Column("birth_hi", Key),
        sa.Column("region", sa.Text),
        sa.Column("visibility", sa.String(16), nullable=False),
        sa.Column("photo", sa.Text),
        sa.Column("story", sa.Text),
        sa.Column("notes", sa.Text),
    )
    _versioned(
        "event",
        sa.Column("person", Key, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("date", sa.Text, nullable=False),
        sa.Column("date_lo", Key, nullable=False),
        sa.Column("date_hi", Key, nullable=False),
        sa.Column("seq", sa.Integer),
        sa.Column("by", Key),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("sources", sa.Text, nullable=False),
        indexes=(("ix_event_person", ["person"]), ("ix_event_kind_date", ["kind", "date_lo"])),
    )


def downgrade() -> None:
    for name in ("event", "person", "source", "facility", "organisation", "meta"):
        op.drop_table(name)
