"""The audit log: a hash chain of every write (audit_log).

Revision ID: 0011_audit_log
Revises: 0010_media_case
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_audit_log"
down_revision = "0010_media_case"
branch_labels = None
depends_on = None

# Frozen copies of the column types of this revision (never import them from the schema).
Key = sa.String().with_variant(sa.String(collation="C"), "postgresql")
PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("seq", PK, primary_key=True, autoincrement=True),
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
