"""Human identity decisions: the judgement enum, kinds of pairs, and pure rules over them.

A judgement says of a proposed pair (two people, a list entry and a person, a media
mention and a person) whether they are the same: `positive`, `negative` or `unsure`.
Judgements are stored append-only (`khronika.storage.review`) and the queue that takes them
is `khronika.review`; an undo retracts one, and
the judgement before it (if any) is current again. What a pair's decision was *as known on*
a date K is decided here, from the judgements alone:

    the latest judgement (by `recorded`) with recorded ≤ K and not retracted by K.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = ["Judgement", "JudgementRow", "PairKind", "current_decision"]


class Judgement(StrEnum):
    """Whether the two sides of a pair are the same person."""

    POSITIVE = "positive"  # the same person: accepting merges / links
    NEGATIVE = "negative"  # not the same: never proposed again
    UNSURE = "unsure"  # looked at, undecided: stays in the queue


class PairKind(StrEnum):
    """What a pair links: two registry people, a list entry and a person, a mention and a person,
    a state report's claim and a person.

    These are the names only: what each kind shows and does is declared by the area that owns
    it (`khronika.review.ProposalKind`).
    """

    PERSON_PERSON = "person-person"
    ENTRY_PERSON = "entry-person"
    MENTION_PERSON = "mention-person"
    CLAIM_PERSON = "claim-person"


@dataclass(frozen=True, slots=True)
class JudgementRow:
    """One stored judgement, as the rules here need it (transaction time included)."""

    id: int
    candidate: int
    kind: str
    a: str
    b: str
    decision: Judgement
    reason: str
    recorded: str
    recorded_by: str | None = None
    retracted: str | None = None
    retracted_by: str | None = None
    retraction_reason: str | None = None

    def known_on(self, known_on: str | None) -> bool:
        """True when this judgement stood on `known_on` (stored timestamp text; None: now)."""
        if known_on is None:
            return self.retracted is None
        return self.recorded <= known_on and (self.retracted is None or self.retracted > known_on)

    def to_json(self) -> dict[str, Any]:
        """Return the judgement as JSON-ready data."""
        return {
            "id": self.id,
            "decision": str(self.decision),
            "reason": self.reason,
            "recorded": self.recorded,
            "recorded_by": self.recorded_by,
            "retracted": self.retracted,
            "retracted_by": self.retracted_by,
            "retraction_reason": self.retraction_reason,
        }


def current_decision(
    judgements: Iterable[JudgementRow], *, known_on: str | None = None
) -> JudgementRow | None:
    """Return the judgement that decides a pair as known on `known_on`, or None.

    The latest standing judgement wins (by `recorded`, then id): a later accept supersedes an
    earlier `unsure`, and undoing the accept brings the `unsure` back.
    """
    standing = [j for j in judgements if j.known_on(known_on)]
    return max(standing, key=lambda j: (j.recorded, j.id), default=None)
