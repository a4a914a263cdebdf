"""Events get a visibility tier of their own (NULL: by rule, see khronika.privacy)."""

import sqlalchemy as sa
from alembic import op

revision = "0008_event_visibility"
down_revision = "0007_drop_span_asof_index"


def upgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("visibility", sa.String(16), nullable=True))
    op.create_index("ix_event_visibility", "event", ["visibility"])


def downgrade() -> None:
    op.drop_index("ix_event_visibility", table_name="event")
    with op.batch_alter_table("event") as batch:
        batch.drop_column("visibility")
