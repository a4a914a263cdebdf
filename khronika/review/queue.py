"""The review queue: proposed pairs wait here for a human to say "same" or "not the same".

    dedupe ───────┐                                     accept ──▶ positive ──▶ the kind's
    lists screen ─┼─▶ candidate (score, explanation) ──▶ reject ──▶ negative     effect
    media ────────┘                                     unsure ──▶ stays in the queue
                                                        undo ────▶ retracts the judgement,
                                                                   and the kind's undo

A pair is proposed once (proposing it again is a no-op, whatever its status). Judgements are
append-only (`khronika.storage.review`); an undo retracts the current one and undoes its
effects. What each kind shows and does is declared by its area (`khronika.review.kinds`);
this module branches on no kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from khronika.audit import record as record_audit
from khronika.audit import table_changes
from khronika.errors import Conflict, InvalidValue, NotFound
from khronika.model.dates import now_timestamp, storage_timestamp
from khronika.model.judgements import Judgement, JudgementRow, current_decision
from khronika.review.kinds import ProposalKind, proposal_kind
from khronika.storage import Database
from khronika.storage import review as store

__all__ = [
    "STATUSES",
    "Proposal",
    "ProposeReport",
    "by_candidate",
    "judge",
    "list_queue",
    "propose",
    "show_candidate",
    "undo",
]

#: A candidate's status, from its current judgement: none → `open`.
STATUSES = ("open", "unsure", "accepted", "rejected")
_STATUS = {
    None: "open",
    Judgement.UNSURE: "unsure",
    Judgement.POSITIVE: "accepted",
    Judgement.NEGATIVE: "rejected",
}


@dataclass(frozen=True, slots=True)
class Proposal:
    """A pair for the queue, with the score and explanation that made it a candidate."""

    kind: str
    a: str
    b: str
    score: float
    explanation: dict[str, Any] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ProposeReport:
    """What `propose` did: candidate ids (in input order), how many were new."""

    ids: list[int]
    new: int
    known: int


def propose(
    db: Database,
    proposals: Sequence[Proposal],
    *,
    proposed_by: str,
    now: datetime | None = None,
) -> ProposeReport:
    """Put pairs into the queue; a pair proposed before (judged or not) is left as it was.

    Raises:
        InvalidValue: an undeclared kind, or a thing paired with itself.
    """
    when = storage_timestamp(now or now_timestamp())
    rows: list[dict[str, Any]] = []
    for p in proposals:
        kind = proposal_kind(p.kind)
        a, b = kind.stored_pair(p.a, p.b)
        rows.append(
            {
                "kind": kind.name,
                "a": a,
                "b": b,
                "score": float(p.score),
                "explanation": p.explanation,
                "context": p.context,
                "proposed_by": proposed_by,
                "proposed": when,
            }
        )
    with db.begin() as conn:
        ids, new = store.insert_candidates(conn, rows)
    return ProposeReport(ids, new, len(rows) - new)


def _with_status(
    cand: dict[str, Any], history: list[JudgementRow], known_on: str | None = None
) -> dict[str, Any]:
    decision = current_decision(history, known_on=known_on)
    return cand | {
        "status": _STATUS[decision.decision if decision else None],
        "judgement": decision.to_json() if decision else None,
    }


def list_queue(
    db: Database,
    *,
    kind: str | None = None,
    status: Iterable[str] = ("open", "unsure"),
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Return candidates with their status, best score first (then id).

    Args:
        kind: only pairs of this kind (`person-person`, `entry-person`, `mention-person`).
        status: the statuses wanted (default: still to decide, `open` and `unsure`).
        limit: at most this many.
    """
    wanted = set(status)
    if unknown := wanted - set(STATUSES):
        raise InvalidValue(f"unknown status {sorted(unknown)}; known: {', '.join(STATUSES)}")
    if kind is not None:
        proposal_kind(kind)
    with db.connect() as conn:
        cands = store.select_candidates(conn, kind=kind)
        history = by_candidate(store.judgements(conn, kind=kind))
    out = [
        c
        for c in (_with_status(c, history.get(c["id"], [])) for c in cands)
        if c["status"] in wanted
    ]
    out.sort(key=lambda c: (-c["score"], c["id"]))
    return out[:limit] if limit is not None else out


def by_candidate(rows: Iterable[JudgementRow]) -> dict[int, list[JudgementRow]]:
    """Group judgements by their candidate."""
    out: dict[int, list[JudgementRow]] = {}
    for j in rows:
        out.setdefault(j.candidate, []).append(j)
    return out


def show_candidate(db: Database, candidate_id: int) -> dict[str, Any]:
    """Return one candidate: status, every judgement (undone ones too), and both sides.

    Raises:
        NotFound: no such candidate.
    """
    with db.connect() as conn:
        cand = store.get_candidate(conn, candidate_id)
        if cand is None:
            raise NotFound(f"no review candidate {candidate_id}")
        history = store.judgements(conn, candidates=[candidate_id])
    out = _with_status(cand, history)
    out["judgements"] = [j.to_json() for j in history]
    kind = proposal_kind(cand["kind"])
    out["sides"] = {"a": kind.describe_a(db, cand["a"]), "b": kind.describe_b(db, cand["b"])}
    return out


def _open(
    conn: Connection, candidate_id: int
) -> tuple[dict[str, Any], ProposalKind, JudgementRow | None]:
    """The candidate, its declared kind and its current judgement (for a decision)."""
    cand = store.get_candidate(conn, candidate_id)
    if cand is None:
        raise NotFound(f"no review candidate {candidate_id}")
    return (
        cand,
        proposal_kind(cand["kind"]),
        current_decision(store.judgements(conn, candidates=[candidate_id])),
    )


def judge(
    db: Database,
    candidate_id: int,
    decision: Judgement | str,
    *,
    reason: str,
    by: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Record a decision on a candidate (accept = positive, reject = negative, or unsure).

    What accepting does is the kind's: two people merge (reversibly: the judgement is the
    merge); a list entry adds `designated` (and `delisted`, if it has left the list).

    Raises:
        NotFound: no such candidate. InvalidValue: no reason given.
        Conflict: the pair is already accepted or rejected (undo first), or the kind
            refuses the accept (a merge that would join people judged to be different).
    """
    decision = Judgement(decision)
    if not reason.strip():
        raise InvalidValue("a judgement needs a reason (--reason)")
    when = storage_timestamp(now or now_timestamp())
    with db.begin() as conn:
        cand, kind, current = _open(conn, candidate_id)
        if current is not None and current.decision != Judgement.UNSURE:
            raise Conflict(
                f"candidate {candidate_id} is already {_STATUS[current.decision]} "
                f"(judgement {current.id}); undo it first"
            )
        if current is not None and current.recorded >= when:
            raise Conflict(
                f"candidate {candidate_id} was judged at {current.recorded}, not before {when}"
            )
        if decision == Judgement.POSITIVE and kind.check_accept is not None:
            kind.check_accept(conn, cand["a"], cand["b"])
        jid = store.insert_judgement(
            conn,
            {
                "candidate": candidate_id,
                "kind": cand["kind"],
                "a": cand["a"],
                "b": cand["b"],
                "decision": decision.value,
                "reason": reason,
                "score": cand["score"],
                "explanation": cand["explanation"],
                "recorded": when,
                "recorded_by": by,
            },
        )
        if kind.in_transaction is not None:
            kind.in_transaction(conn, cand["a"], cand["b"])
        record_audit(
            conn,
            "review.judge",
            at=when,
            actor=by,
            changes=table_changes(conn, "review_judgement", id=jid),
            ids=[f"judgement:{jid}", f"candidate:{candidate_id}"],
            after=[
                (f"judgement:{jid}", f"{cand['kind']}|{cand['a']}|{cand['b']}|{decision.value}")
            ],
        )
        written = JudgementRow(
            jid, candidate_id, cand["kind"], cand["a"], cand["b"], decision, reason, when, by
        )
    effects: list[str] = []
    if decision == Judgement.POSITIVE and kind.accepted is not None:
        effects = kind.accepted(db, written, by, when)
    return show_candidate(db, candidate_id) | {"effects": {"events_added": effects}}


def undo(
    db: Database,
    candidate_id: int,
    *,
    reason: str,
    by: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Retract the candidate's current judgement (never delete it) and undo its effects.

    A merge stops standing (both people count separately again); `designated`/`delisted`
    events added by an accepted list match are retracted. The judgement before it, if any
    (an `unsure`), is current again.

    Raises:
        NotFound: no such candidate, or nothing to undo. InvalidValue: no reason given.
    """
    if not reason.strip():
        raise InvalidValue("an undo needs a reason (--reason)")
    when = storage_timestamp(now or now_timestamp())
    with db.begin() as conn:
        cand, kind, current = _open(conn, candidate_id)
        if current is None:
            raise NotFound(f"candidate {candidate_id} has no judgement to undo")
        if current.recorded >= when:
            raise Conflict(
                f"judgement {current.id} was recorded at {current.recorded}, not before {when}"
            )
        if not store.retract_judgement(conn, current.id, when=when, by=by, reason=reason):
            raise Conflict(f"judgement {current.id} was retracted meanwhile")
        if kind.in_transaction is not None:
            kind.in_transaction(conn, current.a, current.b)
        record_audit(
            conn,
            "review.undo",
            at=when,
            actor=by,
            changes=table_changes(conn, "review_judgement", retraction=True, id=current.id),
            ids=[f"judgement:{current.id}", f"candidate:{candidate_id}"],
            before=[(f"judgement:{current.id}", current.decision.value)],
            after=[(f"judgement:{current.id}", "retracted")],
        )
    effects: list[str] = []
    if current.decision == Judgement.POSITIVE and kind.undone is not None:
        effects = kind.undone(db, current, f"review undo: {reason}", by, when)
    return show_candidate(db, candidate_id) | {"effects": {"events_retracted": effects}}
