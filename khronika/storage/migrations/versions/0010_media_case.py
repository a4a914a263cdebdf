"""Media cases (EUvsDisinfo-style): media_case."""

import sqlalchemy as sa
from alembic import op

from khronika.storage.migrations.frozen import Key

revision = "0010_media_case"
down_revision = "0009_media"


def upgrade() -> None:
    op.create_table(
        "media_case",
        sa.Column("id", Key, primary_key=True),
        sa.Column("date", sa.String(10), nullable=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=True),
        sa.Column("response", sa.Text, nullable=True),
        sa.Column("countries", sa.Text, nullable=False),
        sa.Column("keywords", sa.Text, nullable=False),
        sa.Column("languages", sa.Text, nullable=False),
        sa.Column("outlets", sa.Text, nullable=False),
        sa.Column("items", sa.Text, nullable=False),
        sa.Column("imported", Key, nullable=False),
    )
    op.create_index("ix_media_case_date", "media_case", ["date"])


def downgrade() -> None:
    op.drop_table("media_case")
