"""Every record table gets an index on `retracted`.

The data stamp (`khronika.storage.reads.data_stamp`) counts retractions and takes the newest
one on every check the web app makes, and `changed_ids` asks which came since: without the
index each is a scan of the whole table (a third of a second on a million events).
"""

from alembic import op

revision = "0015_retracted_index"
down_revision = "0014_audit_covers"

_TABLES = ("meta", "organisation", "facility", "source", "person", "event")


def upgrade() -> None:
    for name in _TABLES:
        op.create_index(f"ix_{name}_retracted", name, ["retracted"])


def downgrade() -> None:
    for name in _TABLES:
        op.drop_index(f"ix_{name}_retracted", table_name=name)
