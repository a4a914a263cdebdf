"""Tables of the review queue: candidates (proposed pairs) and judgements (human decisions).

Identity decisions are judgements (DESIGN.md, principle 5). Both tables are append-only:

* `review_candidate` — one row per proposed pair (`kind`, `a`, `b`), written once by the
  proposer (dedupe, list screening, media) with its score and explanation, never changed.
  The pair is unique, so proposing again is a no-op.
* `review_judgement` — one row per decision (positive / negative / unsure) with who, when
  and why, and the score and explanation the reviewer saw. Undo sets `retracted`,
  `retracted_by` and `retraction_reason` on the judgement; nothing else is ever updated.

A merge of two people is nothing but a current positive `person-person` judgement: no
person or event row is rewritten, and `khronika.identity` maps ids as known on any date
(transaction time of judgements, exactly like versions of records).

    !!! Never UPDATE a review_candidate row, and never UPDATE a review_judgement row except
    !!! to set `retracted` (with who and why) on one that has none. Never DELETE either.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKeyConstraint,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from khronika.storage.schema.base import PK, Key, attributed_transaction_time, metadata, serial

__all__ = ["review_candidate", "review_judgement"]

review_candidate = Table(
    "review_candidate",
    metadata,
    serial("id"),
    # `person-person` (a, b person ids, a < b), `entry-person` (a = `LIST/KEY`, b = person
    # id), `mention-person` (later: a = mention id).
    Column("kind", String(16), nullable=False),
    Column("a", Key, nullable=False),
    Column("b", Key, nullable=False),
    Column("score", Float, nullable=False),
    Column("explanation", Text, nullable=False),  # JSON object, as the scorer gave it
    Column("context", Text, nullable=False),  # JSON object: names compared, list, snapshot …
    Column("proposed_by", Text, nullable=False),  # `dedupe`, `lists screen`, …
    Column("proposed", Key, nullable=False),  # fixed-width UTC text
    UniqueConstraint("kind", "a", "b", name="uq_review_candidate_pair"),
    Index("ix_review_candidate_b", "b"),
)

review_judgement = Table(
    "review_judgement",
    metadata,
    serial("id"),
    Column("candidate", PK, nullable=False),
    # The pair again, so that the identity resolver reads this table alone.
    Column("kind", String(16), nullable=False),
    Column("a", Key, nullable=False),
    Column("b", Key, nullable=False),
    Column("decision", String(16), nullable=False),  # positive | negative | unsure
    Column("reason", Text, nullable=False),
    # The score and explanation at proposal time: what the reviewer was shown.
    Column("score", Float, nullable=False),
    Column("explanation", Text, nullable=False),
    # Transaction time, as in the versioned tables: [recorded, retracted), who and why.
    # (Migration 0201 created these columns in the order recorded, recorded_by, retracted,
    # retracted_by, retraction_reason; every read and write names its columns.)
    *attributed_transaction_time(),
    ForeignKeyConstraint(
        ["candidate"], ["review_candidate.id"], name="fk_review_judgement_candidate"
    ),
    Index("ix_review_judgement_candidate", "candidate"),
    Index("ix_review_judgement_kind", "kind", "decision"),
)
