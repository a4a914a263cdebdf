"""The review queue: proposed pairs wait here for a human to say "same" or "not the same".

    dedupe ─┐                        accept ──▶ positive judgement ──▶ merge (person-person)
    lists screen ─┼─▶ candidate (score, explanation) ──▶ reject ──▶ negative   │ designated /
    media (later) ┘                        unsure ─▶ stays in the queue        │ delisted events
                                           undo ──▶ retracts the judgement ◀───┘ (entry-person)

A pair is proposed once (proposing it again is a no-op, whatever its status). Judgements are
append-only (`khronika.storage.review`); an undo retracts the current one and undoes its
effects: a merge simply stops standing (`khronika.identity`), list events are retracted.

The scorer is an interface (`Scorer`): `khronika.names` provides the real one; until it is
present `standin_score` is used (the lists watch's interim rules).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher
from typing import Any

from khronika.errors import Conflict, InvalidValue, NotFound
from khronika.model.dates import now_timestamp, storage_timestamp
from khronika.names.judgements import (
    Judgement,
    JudgementRow,
    PairKind,
    current_decision,
    normalise_pair,
)
from khronika.stats.maintain import refresh_spans
from khronika.storage import Database
from khronika.storage import review as store

__all__ = [
    "STANDIN_THRESHOLD",
    "STATUSES",
    "Proposal",
    "ProposeReport",
    "Scorer",
    "default_scorer",
    "default_threshold",
    "judge",
    "list_queue",
    "propose",
    "show_candidate",
    "standin_score",
    "undo",
]

#: Compares two names (and birth dates, partial or None): (score in [0, 1], explanation).
Scorer = Callable[[str, str, str | None, str | None], tuple[float, dict[str, Any]]]

#: The stand-in's "same" threshold (the lists watch's interim screening threshold).
STANDIN_THRESHOLD = 0.9

#: A candidate's status, from its current judgement: none → `open`.
STATUSES = ("open", "unsure", "accepted", "rejected")
_STATUS = {
    None: "open",
    Judgement.UNSURE: "unsure",
    Judgement.POSITIVE: "accepted",
    Judgement.NEGATIVE: "rejected",
}


def standin_score(
    name_a: str, name_b: str, birth_a: str | None = None, birth_b: str | None = None
) -> tuple[float, dict[str, Any]]:
    """Score two names with the interim rules (until `khronika.names` is merged).

    Same tokens in any order → 1.0; one name's 2+ tokens all in the other → 0.9; else
    string similarity. An equal birth date adds 0.05; a different one gives 0.
    """
    from khronika.listwatch.identity import normalise_name

    a, b = normalise_name(name_a), normalise_name(name_b)
    ta, tb = a.split(), b.split()
    short, long_ = sorted((set(ta), set(tb)), key=len)
    if sorted(ta) == sorted(tb):
        score, rule = 1.0, "same-tokens"
    elif len(short) >= 2 and short <= long_:
        score, rule = 0.9, "tokens-contained"
    else:
        score, rule = SequenceMatcher(None, a, b).ratio(), "similarity"
    dates = _dates(birth_a, birth_b)
    if dates == "different":
        score = 0.0
    elif dates == "same":
        score = min(1.0, score + 0.05)
    return round(score, 4), {"scorer": "standin", "a": a, "b": b, "rule": rule, "birth_date": dates}


def _dates(a: str | None, b: str | None) -> str:
    if a is None or b is None:
        return "unknown"
    if a == b:
        return "same"
    return "compatible" if a.startswith(b) or b.startswith(a) else "different"


def default_scorer() -> Scorer:
    """Return the name matcher's scorer when `khronika.names` provides one, else the stand-in."""
    try:
        from khronika.names import compare  # type: ignore[attr-defined]
    except ImportError:
        return standin_score

    def score(a: str, b: str, birth_a: str | None, birth_b: str | None) -> tuple[float, dict]:
        m = compare(a, b, birth_date_a=birth_a, birth_date_b=birth_b)
        return float(m.score), dict(m.explanation)

    return score


def default_threshold() -> float:
    """Return the score from which `default_scorer` says "same": the name matcher's
    `THRESHOLD` when present, else the stand-in's 0.9."""
    try:
        from khronika.names import THRESHOLD  # type: ignore[attr-defined]
    except ImportError:
        return STANDIN_THRESHOLD
    return float(THRESHOLD)


@dataclass(frozen=True, slots=True)
class Proposal:
    """A pair for the queue, with the score and explanation that made it a candidate."""

    kind: PairKind
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
    """Put pairs into the queue; a pair proposed before (judged or not) is left as it was."""
    when = storage_timestamp(now or now_timestamp())
    rows: list[dict[str, Any]] = []
    for p in proposals:
        a, b = normalise_pair(p.kind, p.a, p.b)
        rows.append(
            {
                "kind": PairKind(p.kind).value,
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
        PairKind(kind)
    with db.connect() as conn:
        cands = store.select_candidates(conn, kind=kind)
        history = _by_candidate(store.judgements(conn, kind=kind))
    out = [
        c
        for c in (_with_status(c, history.get(c["id"], [])) for c in cands)
        if c["status"] in wanted
    ]
    out.sort(key=lambda c: (-c["score"], c["id"]))
    return out[:limit] if limit is not None else out


def _by_candidate(rows: Iterable[JudgementRow]) -> dict[int, list[JudgementRow]]:
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
    out["sides"] = {
        "a": _describe(db, cand["kind"], cand["a"], first=True),
        "b": _describe(db, cand["kind"], cand["b"], first=False),
    }
    return out


def _describe(db: Database, kind: str, ref: str, *, first: bool) -> dict[str, Any]:
    """What a reviewer needs to see of one side: a person's names and birth date, or an entry."""
    if first and kind == PairKind.ENTRY_PERSON:
        from khronika.listwatch.reports import entry_history

        list_id, _, key = ref.partition("/")
        try:
            hist = entry_history(db, list_id, key)
        except NotFound:
            return {"entry": ref, "missing": True}
        return {
            "list": list_id,
            "key": key,
            "entry": hist["entry"],
            "present": hist["present"],
            "first_seen": hist["first_seen"],
            "last_seen": hist["last_seen"],
        }
    if first and kind == PairKind.MENTION_PERSON:
        return {"mention": ref}
    from khronika.registry import get_person

    try:
        p = get_person(db, ref).person
    except NotFound:
        return {"person": ref, "missing": True}
    return {
        "person": ref,
        "names": [n["name"] for n in p.get("names", [])],
        "sex": p.get("sex"),
        "birth_date": p.get("birth_date"),
        "region": p.get("region"),
    }


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

    Accepting two people merges them (reversibly: the judgement is the merge); accepting a
    list entry adds `designated` (and `delisted`, if it has left the list) to the person.

    Raises:
        NotFound: no such candidate. InvalidValue: no reason given.
        Conflict: the pair is already accepted or rejected (undo first), or the merge
            would join people judged to be different.
    """
    decision = Judgement(decision)
    if not reason.strip():
        raise InvalidValue("a judgement needs a reason (--reason)")
    when = storage_timestamp(now or now_timestamp())
    with db.begin() as conn:
        cand = store.get_candidate(conn, candidate_id)
        if cand is None:
            raise NotFound(f"no review candidate {candidate_id}")
        history = store.judgements(conn, candidates=[candidate_id])
        current = current_decision(history)
        if current is not None and current.decision != Judgement.UNSURE:
            raise Conflict(
                f"candidate {candidate_id} is already {_STATUS[current.decision]} "
                f"(judgement {current.id}); undo it first"
            )
        if current is not None and current.recorded >= when:
            raise Conflict(
                f"candidate {candidate_id} was judged at {current.recorded}, not before {when}"
            )
        if decision == Judgement.POSITIVE and cand["kind"] == PairKind.PERSON_PERSON:
            _check_merge(conn, cand["a"], cand["b"])
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
        if cand["kind"] == PairKind.PERSON_PERSON:
            # A merge changes who counts as one person: the figures cache follows.
            refresh_spans(conn, [cand["a"], cand["b"]])
    effects: list[str] = []
    if decision == Judgement.POSITIVE and cand["kind"] == PairKind.ENTRY_PERSON:
        from khronika.listwatch.designations import add_link_events

        effects = add_link_events(db, jid, by=by, now=when)
    return show_candidate(db, candidate_id) | {"effects": {"events_added": effects}}


def _check_merge(conn: Any, a: str, b: str) -> None:
    """Refuse a merge that would put two people judged different into one cluster."""
    from khronika.identity import resolve_merges

    kind = PairKind.PERSON_PERSON.value
    rows = store.judgements(conn, kind=kind)
    current = [d for d in (current_decision(h) for h in _by_candidate(rows).values()) if d]
    canon = resolve_merges([(j.a, j.b) for j in current if j.decision == Judgement.POSITIVE])
    cluster = {canon.get(a, a), canon.get(b, b)}
    for j in current:
        if (
            j.decision == Judgement.NEGATIVE
            and {canon.get(j.a, j.a), canon.get(j.b, j.b)} == cluster
            and len(cluster) == 2
        ):
            raise Conflict(
                f"merging {a} and {b} would join {j.a} and {j.b}, judged different "
                f"(judgement {j.id}: {j.reason}); undo that judgement first"
            )


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
        if store.get_candidate(conn, candidate_id) is None:
            raise NotFound(f"no review candidate {candidate_id}")
        current = current_decision(store.judgements(conn, candidates=[candidate_id]))
        if current is None:
            raise NotFound(f"candidate {candidate_id} has no judgement to undo")
        if current.recorded >= when:
            raise Conflict(
                f"judgement {current.id} was recorded at {current.recorded}, not before {when}"
            )
        if not store.retract_judgement(conn, current.id, when=when, by=by, reason=reason):
            raise Conflict(f"judgement {current.id} was retracted meanwhile")
        if current.kind == PairKind.PERSON_PERSON:
            refresh_spans(conn, [current.a, current.b])
    effects: list[str] = []
    if current.decision == Judgement.POSITIVE and current.kind == PairKind.ENTRY_PERSON:
        from khronika.listwatch.designations import retract_link_events

        effects = retract_link_events(db, current, reason=f"review undo: {reason}", by=by, now=when)
    return show_candidate(db, candidate_id) | {"effects": {"events_retracted": effects}}
