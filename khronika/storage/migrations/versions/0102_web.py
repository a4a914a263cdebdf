"""Web app: local accounts and console sessions."""

import sqlalchemy as sa
from alembic import op

from khronika.storage.migrations.frozen import Key

revision = "0102_web"
down_revision = "0201_review"


def upgrade() -> None:
    op.create_table(
        "web_user",
        sa.Column("username", Key, primary_key=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created", Key, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
    )
    op.create_table(
        "web_session",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("username", Key, nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created", Key, nullable=False),
        sa.Column("expires", Key, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("web_session")
    op.drop_table("web_user")
