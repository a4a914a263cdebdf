"""A dedupe run: weigh the candidate pairs, judge their names, propose the best for review.

`find_duplicates` is the pure part (people in, proposals out); `propose_duplicates` loads
the current registry, skips pairs proposed before and people already merged, and writes
the proposals to the review queue.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

import orjson

from khronika.identity import identity_map
from khronika.model.judgements import PairKind
from khronika.names.pairs import Scorer, default_threshold
from khronika.registry.dedupe.blocking import MAX_BLOCK, candidates, name_blocks
from khronika.registry.dedupe.evidence import (
    CASE_KINDS,
    EVIDENCE,
    MIN_POINTS,
    Person,
    points_of,
    weigh,
)
from khronika.registry.dedupe.names import (
    NAME_POINTS,
    NameJudgement,
    judge_names,
    matcher,
    near_name,
)
from khronika.registry.dedupe.report import DedupeReport
from khronika.review import Proposal, propose
from khronika.storage import Database
from khronika.storage import review as review_store
from khronika.storage.reads import current_rows

__all__ = ["find_duplicates", "load_people", "propose_duplicates"]


def find_duplicates(
    people: Sequence[Person],
    *,
    scorer: Scorer,
    threshold: float,
    skip: Callable[[str, str], bool] = lambda a, b: False,
    keys: Callable[[str], Iterable[str]] = name_blocks,
    max_block: int = MAX_BLOCK,
    min_points: float = MIN_POINTS,
    near: Callable[[str, str], str | None] = near_name,
    report: DedupeReport | None = None,
) -> list[Proposal]:
    """Return proposals for pairs of people with at least `min_points` of evidence, best first.

    Pure (no database). Args:
        people: the registry's people.
        scorer: compares two spellings with birth dates; `threshold` is where it says "same".
        skip: pairs (a < b) not to look at: already proposed, or already merged.
        keys: name block keys of a spelling (case blocks are added from the events).
        max_block: blocks with more people are skipped (counted in the report).
        min_points: the least points (name and evidence, `EVIDENCE`) a proposal has.
        near: says why names the scorer keeps apart may be one person's (or None).
    """
    report = report if report is not None else DedupeReport()
    out: list[Proposal] = []
    for i, j in candidates(people, keys, max_block, report):
        a, b = people[i], people[j]
        if a.id > b.id:
            a, b = b, a
        report.pairs_weighed += 1
        evidence = weigh(a, b)
        points = points_of(evidence)
        if points + NAME_POINTS < min_points or skip(a.id, b.id):
            continue
        report.pairs_scored += 1
        judged = judge_names(a, b, scorer, threshold, near)
        if judged is None or judged[0] + points < min_points:
            continue
        out.append(_proposal(a, b, judged, evidence, judged[0] + points, min_points))
    out.sort(key=lambda p: (-p.score, p.a, p.b))
    return out


def _proposal(
    a: Person,
    b: Person,
    judged: NameJudgement,
    evidence: list[tuple[str, str]],
    points: float,
    min_points: float,
) -> Proposal:
    name_points, rule, name_score, expl, x, y = judged
    lines = [f"names: {rule} ({name_score:.2f}, {name_points:+g})"] + [
        f"{EVIDENCE[f][1]}: {what} ({EVIDENCE[f][0]:+g})" for f, what in evidence
    ]
    explanation = {
        **expl,
        "notes": [*expl.get("notes", []), *lines],
        "name_rule": rule,
        "name_score": name_score,
        "evidence": [
            {"feature": f, "points": EVIDENCE[f][0], "what": what} for f, what in evidence
        ],
        "points": points,
        "min_points": min_points,
    }
    return Proposal(
        PairKind.PERSON_PERSON,
        a.id,
        b.id,
        round(1 - 2 ** (-points / 4), 4),
        explanation,
        {
            "a_name": x,
            "b_name": y,
            "a_birth_date": a.birth_date,
            "b_birth_date": b.birth_date,
        },
    )


def load_people(db: Database) -> list[Person]:
    """Return the current registry as dedupe sees it: people with their case evidence."""
    with db.connect() as conn:
        rows = current_rows(conn, "person")
        events = current_rows(conn, "event")
    cases: dict[str, list[Any]] = defaultdict(list)
    for e in events:
        if e.kind in CASE_KINDS:
            cases[e.person].append(e)
    people = []
    for r in rows:
        evs = cases.get(r.id, [])
        details = {}
        for e in evs:
            d = orjson.loads(e.details) if e.details else {}
            details[(e.kind, e.date)] = (
                frozenset(d.get("articles") or ()),
                str(d.get("court") or ""),
                str(d.get("case_number") or ""),
            )
        people.append(
            Person(
                r.id,
                tuple(n["name"] for n in orjson.loads(r.names)),
                r.birth_date,
                r.sex if r.sex in ("m", "f") else None,
                r.region,
                frozenset(details),
                details,
                frozenset(s for e in evs for s in orjson.loads(e.sources)),
            )
        )
    return people


def propose_duplicates(
    db: Database,
    *,
    scorer: Scorer | None = None,
    threshold: float | None = None,
    max_block: int = MAX_BLOCK,
    min_points: float = MIN_POINTS,
    now: datetime | None = None,
) -> DedupeReport:
    """Propose likely duplicate people (current registry) into the review queue.

    Args:
        scorer, threshold: the name scorer and where it says "same" (default: the matcher).
        max_block: blocks with more people are skipped.
        min_points: the least points a proposal has (`MIN_POINTS`).
        now: the time the proposals are recorded (default: now).
    """
    report = DedupeReport()
    t0 = time.perf_counter()
    people = load_people(db)
    with db.connect() as conn:
        known = set(review_store.candidate_pairs(conn, PairKind.PERSON_PERSON.value))
    merged = identity_map(db)
    report.people = len(people)
    t1 = time.perf_counter()

    def skip(a: str, b: str) -> bool:
        return (a, b) in known or merged.canonical(a) == merged.canonical(b)

    found = find_duplicates(
        people,
        scorer=scorer or matcher(),
        threshold=default_threshold() if threshold is None else threshold,
        skip=skip,
        max_block=max_block,
        min_points=min_points,
        report=report,
    )
    t2 = time.perf_counter()
    result = propose(db, found, proposed_by="names dedupe", now=now)
    report.proposed, report.new, report.already_known = len(found), result.new, result.known
    report.candidates = result.ids
    report.seconds = {
        "load": round(t1 - t0, 3),
        "block_and_score": round(t2 - t1, 3),
        "write": round(time.perf_counter() - t2, 3),
    }
    return report
