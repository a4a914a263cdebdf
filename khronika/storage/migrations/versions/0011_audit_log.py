"""The audit log: a hash chain of every write (audit_log)."""

import sqlalchemy as sa
from alembic import op

from khronika.storage.migrations.frozen import Key, serial

revision = "0011_audit_log"
down_revision = "0010_media_case"


def upgrade() -> None:
    op.create_table(
        "audit_log",
        serial("seq"),
        sa.Column("at", Key, nullable=False),
        sa.Column("actor", sa.Text, nullable=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("ids", sa.Text, nullable=False),
        sa.Column("changes", sa.Text, nullable=False),
        sa.Column("before", sa.String(64), nullable=False),
        sa.Column("after", sa.String(64), nullable=False),
        sa.Column("prev", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_actor", "audit_log", ["actor"])


def downgrade() -> None:
    op.drop_table("audit_log")
