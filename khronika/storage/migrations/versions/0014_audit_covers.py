"""The audit log says which areas beyond the registry it vouches for (audit_log.covers).

A row's `covers` is the JSON list of the areas whose tables it vouches for row by row from
then on (`["lists", "review"]`); rows written before this revision have none. The first
logged write after the upgrade (or `khronika db migrate`) appends one `adopt` row that takes
what those areas held as it stands (`khronika.audit`).

    !!! A downgrade drops the column, and with it part of what later rows' hashes cover:
    !!! `khronika audit verify` then fails from the first row that had it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_audit_covers"
down_revision = "0013_accounts_roles"


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("covers", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("covers")
