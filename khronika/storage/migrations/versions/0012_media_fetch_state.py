"""Media fetching: media_fetch_state, and the CSS selectors of an outlet's pages."""

import sqlalchemy as sa
from alembic import op

from khronika.storage.migrations.frozen import Key

revision = "0012_media_fetch_state"
down_revision = "0011_audit_log"


def upgrade() -> None:
    with op.batch_alter_table("media_outlet") as batch:
        batch.add_column(sa.Column("selectors", sa.Text, nullable=True))
    op.create_table(
        "media_fetch_state",
        sa.Column("url", Key, primary_key=True),
        sa.Column("etag", sa.Text, nullable=True),
        sa.Column("last_modified", sa.Text, nullable=True),
        sa.Column("fetched", Key, nullable=False),
        sa.Column("status", sa.Integer, nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("media_fetch_state")
    with op.batch_alter_table("media_outlet") as batch:
        batch.drop_column("selectors")
