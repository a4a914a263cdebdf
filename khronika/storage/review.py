"""Every SQL statement of the review queue: candidates, judgements, and the merges they make.

Functions take an open Connection so the caller decides the unit of work. Candidates are
written once (a pair already proposed is skipped); judgements are inserted, and the only
UPDATE is `retract_judgement` on a judgement not yet retracted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson
from sqlalchemy import Connection, insert, select, update

from khronika.model.judgements import Judgement, JudgementRow
from khronika.storage.schema.review import review_candidate, review_judgement
from khronika.storage.versions import known_on_clause

__all__ = [
    "candidate_pairs",
    "get_candidate",
    "insert_candidates",
    "insert_judgement",
    "judgements",
    "positive_judgements",
    "retract_judgement",
    "select_candidates",
]

_CHUNK = 500  # bounded IN lists, for both engines


def _dumps(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def _candidate(row: Any) -> dict[str, Any]:
    # Plain str keys: SQLAlchemy may hand back `quoted_name`s, which JSON encoders refuse.
    out = {str(k): v for k, v in row.items()}
    out["explanation"] = orjson.loads(out["explanation"])
    out["context"] = orjson.loads(out["context"])
    return out


def candidate_pairs(conn: Connection, kind: str) -> dict[tuple[str, str], int]:
    """Return (a, b) -> candidate id of every candidate of `kind` (for skipping known pairs)."""
    c = review_candidate.c
    rows = conn.execute(select(c.a, c.b, c.id).where(c.kind == kind))
    return {(a, b): int(cid) for a, b, cid in rows}


def insert_candidates(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> tuple[list[int], int]:
    """Add candidates not yet proposed; return the candidate id of every row, in order, and
    how many were new.

    Each row: kind, a, b (stored order), score, explanation (dict), context (dict),
    proposed_by, proposed. A pair already present keeps its first proposal.
    """
    ids: list[int | None] = [None] * len(rows)
    new = 0
    by_kind: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_kind.setdefault(r["kind"], []).append(i)
    for kind, idx in by_kind.items():
        known = candidate_pairs(conn, kind)
        fresh: list[int] = []
        pending: set[tuple[str, str]] = set()
        for i in idx:
            pair = (rows[i]["a"], rows[i]["b"])
            if pair in known:
                ids[i] = known[pair]
            elif pair not in pending:
                pending.add(pair)
                fresh.append(i)
        new += len(fresh)
        if fresh:
            conn.execute(
                insert(review_candidate),
                [
                    dict(rows[i])
                    | {
                        "explanation": _dumps(rows[i]["explanation"]),
                        "context": _dumps(rows[i]["context"]),
                    }
                    for i in fresh
                ],
            )
            known = candidate_pairs(conn, kind)
            for i in idx:
                ids[i] = known[(rows[i]["a"], rows[i]["b"])]
    return [int(x) for x in ids if x is not None], new


def get_candidate(conn: Connection, candidate_id: int) -> dict[str, Any] | None:
    """Return one candidate (explanation and context decoded), or None."""
    row = (
        conn.execute(select(review_candidate).where(review_candidate.c.id == candidate_id))
        .mappings()
        .first()
    )
    return None if row is None else _candidate(row)


def select_candidates(
    conn: Connection,
    *,
    kind: str | None = None,
    ids: Iterable[int] | None = None,
    a_prefix: str | None = None,
) -> list[dict[str, Any]]:
    """Return candidates, by id: all, of one kind, with given ids, or whose `a` starts so."""
    c = review_candidate.c
    stmt = select(review_candidate).order_by(c.id)
    if kind is not None:
        stmt = stmt.where(c.kind == kind)
    if a_prefix is not None:
        stmt = stmt.where(c.a.startswith(a_prefix, autoescape=True))
    if ids is None:
        return [_candidate(r) for r in conn.execute(stmt).mappings()]
    wanted = sorted(set(ids))
    out: list[dict[str, Any]] = []
    for start in range(0, len(wanted), _CHUNK):
        part = stmt.where(c.id.in_(wanted[start : start + _CHUNK]))
        out += [_candidate(r) for r in conn.execute(part).mappings()]
    return sorted(out, key=lambda r: r["id"])


def _judgement(row: Any) -> JudgementRow:
    return JudgementRow(
        id=int(row["id"]),
        candidate=int(row["candidate"]),
        kind=row["kind"],
        a=row["a"],
        b=row["b"],
        decision=Judgement(row["decision"]),
        reason=row["reason"],
        recorded=row["recorded"],
        recorded_by=row["recorded_by"],
        retracted=row["retracted"],
        retracted_by=row["retracted_by"],
        retraction_reason=row["retraction_reason"],
    )


def judgements(
    conn: Connection,
    *,
    candidates: Iterable[int] | None = None,
    kind: str | None = None,
) -> list[JudgementRow]:
    """Return every judgement (retracted ones too), oldest first: all, of some candidates,
    or of one kind of pair."""
    j = review_judgement.c
    stmt = select(review_judgement)
    if kind is not None:
        stmt = stmt.where(j.kind == kind)
    if candidates is None:
        rows = [_judgement(r) for r in conn.execute(stmt).mappings()]
    else:
        wanted = sorted(set(candidates))
        rows = []
        for start in range(0, len(wanted), _CHUNK):
            part = stmt.where(j.candidate.in_(wanted[start : start + _CHUNK]))
            rows += [_judgement(r) for r in conn.execute(part).mappings()]
    return sorted(rows, key=lambda r: (r.recorded, r.id))


def positive_judgements(
    conn: Connection,
    kind: str,
    *,
    known_on: str | None = None,
    a_prefix: str | None = None,
) -> list[JudgementRow]:
    """Return the positive judgements of `kind` standing on `known_on` (None: now).

    A positive judgement superseded by a later standing one (e.g. `negative` after an undo
    and a new decision) is filtered out by the caller with `current_decision`; here every
    standing positive is returned.
    """
    j = review_judgement.c
    stmt = select(review_judgement).where(
        j.kind == kind,
        j.decision == Judgement.POSITIVE.value,
        known_on_clause(review_judgement, known_on),
    )
    if a_prefix is not None:
        stmt = stmt.where(j.a.startswith(a_prefix, autoescape=True))
    return [_judgement(r) for r in conn.execute(stmt).mappings()]


def insert_judgement(conn: Connection, row: Mapping[str, Any]) -> int:
    """Add a judgement (explanation as a dict); return its id."""
    values = dict(row) | {"explanation": _dumps(row["explanation"])}
    key = conn.execute(insert(review_judgement).values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])


def retract_judgement(
    conn: Connection, judgement_id: int, *, when: str, by: str | None, reason: str
) -> bool:
    """Set `retracted` (who, why) on a judgement not yet retracted; False if it was already.

    This is the only UPDATE the review tables ever see.
    """
    j = review_judgement.c
    result = conn.execute(
        update(review_judgement)
        .where(j.id == judgement_id, j.retracted.is_(None))
        .values(retracted=when, retracted_by=by, retraction_reason=reason)
    )
    return bool(result.rowcount == 1)
