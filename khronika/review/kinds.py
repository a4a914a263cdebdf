"""Proposal kinds as data: what each kind of pair shows a reviewer and what a decision does.

The queue (`khronika.review.queue`) knows candidates and judgements and nothing of people,
lists or media. Each area that proposes pairs declares its kind here, the way
`khronika.model.events.EVENT_KINDS` declares event kinds, and registers it when it is
imported:

    registry  person-person    accepting merges two people (the judgement is the merge)
    listwatch entry-person     accepting adds `designated`/`delisted` events to the person
    media     mention-person   accepting links a state-media mention to the person

    !!! An effect runs after the judgement is committed and must be idempotent and
    !!! undoable: `undone` is called with the judgement that `accepted` saw.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from khronika.errors import InvalidValue
from khronika.model.judgements import JudgementRow
from khronika.storage import Database

__all__ = ["ProposalKind", "proposal_kind", "proposal_kinds", "register_kind"]

#: Describes one side of a pair for a reviewer: (database, reference) → JSON-ready data.
Describe = Callable[[Database, str], dict[str, Any]]
#: What accepting does, after the commit: (db, judgement, by, when) → ids of records added.
Accepted = Callable[[Database, JudgementRow, str | None, str], list[str]]
#: What undoing an accept does: (db, judgement, reason, by, when) → ids of records retracted.
Undone = Callable[[Database, JudgementRow, str, str | None, str], list[str]]


@dataclass(frozen=True, slots=True)
class ProposalKind:
    """One kind of pair: its sides, and what judging it does.

    Attributes:
        name: the stored kind (`person-person`, …).
        describe_a, describe_b: what a reviewer needs to see of each side.
        symmetric: both sides are the same sort of thing: the pair is stored sorted (a < b)
            and a thing is never paired with itself.
        check_accept: refuses a positive judgement (raises `Conflict`) before it is written;
            runs in the judgement's transaction.
        in_transaction: runs in the transaction of every judgement and undo of this kind,
            with both sides (a merge changes who counts as one person: the figures follow).
        accepted: after a positive judgement is committed; returns the records it added.
        undone: after that judgement is retracted; returns the records it retracted.
    """

    name: str
    describe_a: Describe
    describe_b: Describe
    symmetric: bool = False
    check_accept: Callable[[Connection, str, str], None] | None = None
    in_transaction: Callable[[Connection, str, str], None] | None = None
    accepted: Accepted | None = None
    undone: Undone | None = None

    def stored_pair(self, a: str, b: str) -> tuple[str, str]:
        """Return the pair in stored order (sorted when symmetric).

        Raises:
            InvalidValue: a thing paired with itself.
        """
        if not self.symmetric:
            return a, b
        if a == b:
            raise InvalidValue(f"{self.name}: {a!r} cannot be paired with itself")
        return (a, b) if a < b else (b, a)


_KINDS: dict[str, ProposalKind] = {}


def register_kind(kind: ProposalKind) -> ProposalKind:
    """Declare a proposal kind (the owning area does, on import); registering again replaces."""
    _KINDS[kind.name] = kind
    return kind


def proposal_kind(name: str) -> ProposalKind:
    """Return the declared kind called `name`.

    Raises:
        InvalidValue: no area has declared it (or the area that does was not imported).
    """
    try:
        return _KINDS[str(name)]
    except KeyError:
        known = ", ".join(sorted(_KINDS)) or "none"
        raise InvalidValue(f"unknown review kind {name!r}; declared: {known}") from None


def proposal_kinds() -> tuple[str, ...]:
    """Return the names of every declared kind, sorted."""
    return tuple(sorted(_KINDS))
