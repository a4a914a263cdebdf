"""Review queue: review_candidate, review_judgement."""

import sqlalchemy as sa
from alembic import op

from khronika.storage.migrations.frozen import PK, Key, serial

revision = "0201_review"
down_revision = "0003_stats_indexes"


def upgrade() -> None:
    op.create_table(
        "review_candidate",
        serial("id"),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("a", Key, nullable=False),
        sa.Column("b", Key, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("context", sa.Text, nullable=False),
        sa.Column("proposed_by", sa.Text, nullable=False),
        sa.Column("proposed", Key, nullable=False),
        sa.UniqueConstraint("kind", "a", "b", name="uq_review_candidate_pair"),
    )
    op.create_index("ix_review_candidate_b", "review_candidate", ["b"])
    op.create_table(
        "review_judgement",
        serial("id"),
        sa.Column("candidate", PK, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("a", Key, nullable=False),
        sa.Column("b", Key, nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("recorded", Key, nullable=False),
        sa.Column("recorded_by", sa.Text, nullable=True),
        sa.Column("retracted", Key, nullable=True),
        sa.Column("retracted_by", sa.Text, nullable=True),
        sa.Column("retraction_reason", sa.Text, nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate"], ["review_candidate.id"], name="fk_review_judgement_candidate"
        ),
    )
    op.create_index("ix_review_judgement_candidate", "review_judgement", ["candidate"])
    op.create_index("ix_review_judgement_kind", "review_judgement", ["kind", "decision"])


def downgrade() -> None:
    op.drop_table("review_judgement")
    op.drop_table("review_candidate")
