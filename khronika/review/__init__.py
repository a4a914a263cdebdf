"""review: the queue of proposed pairs and the human judgements on them.

    an area proposes ──▶ candidate ──▶ a reviewer judges ──▶ the kind's effect
    (registry, lists, media)            (append-only)        (declared by the area)

The queue knows candidates and judgements only; each area declares its proposal kind as
data (`ProposalKind`: how to show each side, what accepting and undoing do) and registers it
when imported. The judgement rules themselves are pure, in `khronika.model.judgements`.
"""

from khronika.model.judgements import Judgement, JudgementRow, PairKind, current_decision
from khronika.review.kinds import ProposalKind, proposal_kind, proposal_kinds, register_kind
from khronika.review.queue import (
    STATUSES,
    Proposal,
    ProposeReport,
    by_candidate,
    judge,
    list_queue,
    propose,
    show_candidate,
    undo,
)

__all__ = [
    "Judgement",
    "JudgementRow",
    "PairKind",
    "Proposal",
    "ProposalKind",
    "ProposeReport",
    "STATUSES",
    "by_candidate",
    "current_decision",
    "judge",
    "list_queue",
    "proposal_kind",
    "proposal_kinds",
    "propose",
    "register_kind",
    "show_candidate",
    "undo",
]
