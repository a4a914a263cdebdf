"""Accounts: roles, TOTP, idle expiry of sessions, login throttling and API tokens."""

import sqlalchemy as sa
from alembic import op

from khronika.storage.migrations.frozen import Key, serial

revision = "0013_accounts_roles"
down_revision = "0012_media_fetch_state"


def upgrade() -> None:
    # Accounts made before roles could change every record: they become editors.
    with op.batch_alter_table("web_user") as batch:
        batch.add_column(sa.Column("role", sa.String(16), nullable=False, server_default="editor"))
        batch.add_column(sa.Column("totp_secret", sa.Text, nullable=True))
        batch.add_column(sa.Column("totp_last", sa.Integer, nullable=True))
    with op.batch_alter_table("web_session") as batch:
        batch.add_column(sa.Column("last_seen", Key, nullable=True))
    op.create_table(
        "login_failure",
        serial("id", sa.Integer),
        sa.Column("key", Key, nullable=False),
        sa.Column("at", Key, nullable=False),
    )
    op.create_index("ix_login_failure_key_at", "login_failure", ["key", "at"])
    op.create_table(
        "api_token",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("username", Key, nullable=False),
        sa.Column("scope", sa.String(8), nullable=False),
        sa.Column("label", sa.Text, nullable=True),
        sa.Column("created", Key, nullable=False),
        sa.Column("expires", Key, nullable=False),
        sa.Column("revoked", Key, nullable=True),
        sa.Column("last_used", Key, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("api_token")
    op.drop_index("ix_login_failure_key_at", table_name="login_failure")
    op.drop_table("login_failure")
    with op.batch_alter_table("web_session") as batch:
        batch.drop_column("last_seen")
    with op.batch_alter_table("web_user") as batch:
        batch.drop_column("totp_last")
        batch.drop_column("totp_secret")
        batch.drop_column("role")
