"""Media: media_outlet, media_item (versioned), media_mention, media_narrative."""

from typing import Any

import sqlalchemy as sa
from alembic import op

from khronika.storage.migrations.frozen import PK, Key, serial

revision = "0009_media"
down_revision = "0008_event_visibility"


def upgrade() -> None:
    op.create_table(
        "media_outlet",
        sa.Column("id", Key, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("country", sa.String(8), nullable=True),
        sa.Column("state_owned", sa.Boolean, nullable=False),
        sa.Column("lang", sa.String(16), nullable=True),
        sa.Column("homepage", sa.Text, nullable=True),
        sa.Column("domains", sa.Text, nullable=False),
        sa.Column("feeds", sa.Text, nullable=False),
        sa.Column("collections", sa.Text, nullable=False),
    )
    op.create_table(
        "media_item",
        serial(),
        sa.Column("id", Key, nullable=False),
        sa.Column("external_id", sa.Text, nullable=True),
        sa.Column("url", sa.Text, nullable=True),
        sa.Column("outlet", Key, nullable=True),
        sa.Column("published", Key, nullable=True),
        sa.Column("title", sa.Text, nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("lang", sa.String(16), nullable=True),
        sa.Column("langs", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("source", Key, nullable=False),
        sa.Column("recorded", Key, nullable=False),
        sa.Column("retracted", Key, nullable=True),
        sa.UniqueConstraint("id", "recorded", name="uq_media_item_version"),
    )
    op.create_index("ix_media_item_url", "media_item", ["url"])
    op.create_index("ix_media_item_sha256", "media_item", ["sha256"])
    op.create_index("ix_media_item_external", "media_item", ["external_id"])
    _create_found_in_item(
        "media_mention",
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("normal", sa.Text, nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("role", sa.String(32), nullable=True),
        sa.Column("person", Key, nullable=True),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("link", sa.String(16), nullable=False),
        sa.Column("targeted", sa.Boolean, nullable=False),
        index="person",
    )
    _create_found_in_item(
        "media_narrative",
        sa.Column("tag", sa.String(40), nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        index="tag",
    )


def _create_found_in_item(name: str, *columns: sa.Column[Any], index: str) -> None:
    """Create a table of what the analysis found in one item version, a row per finding,
    with its index on the version (`item_pk`) and one on the column `index`."""
    op.create_table(
        name,
        serial(),
        sa.Column("item_pk", PK, nullable=False),
        *columns,
        sa.ForeignKeyConstraint(["item_pk"], ["media_item.pk"], name=f"fk_{name}_item"),
    )
    op.create_index(f"ix_{name}_item", name, ["item_pk"])
    op.create_index(f"ix_{name}_{index}", name, [index])


def downgrade() -> None:
    op.drop_table("media_narrative")
    op.drop_table("media_mention")
    op.drop_table("media_item")
    op.drop_table("media_outlet")
