"""Find likely duplicate people in the registry and propose them for review.

Candidate generation is *blocking*: two people are scored only when one of their spellings
shares a block key (by default: two name tokens, e.g. surname + given name, in any order
and any of their spellings). The scorer (`khronika.names.pairs.Scorer`) then scores the
spellings that share a key, with birth dates; pairs at or above the threshold go to the
review queue with the best spelling pair's explanation.

Within a block, only people born within a year of each other (or with no birth date on
either side) are paired: namesakes are common, and a birth date decades apart is another
person whatever the name. So dedupe grows about linearly with the registry.

Pairs already proposed (judged or not) and people already merged are skipped, so dedupe can
run again after each import. Blocks larger than `max_block` are skipped and counted: a
frequent surname with a frequent given name, borne by thousands, is a quadratic trap, and
such people still meet through a rarer pair of their tokens (the patronymic).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations
from typing import Any

from khronika.identity import identity_map
from khronika.model.judgements import PairKind
from khronika.names.pairs import Scorer, default_scorer, default_threshold
from khronika.names.scripts import normalise_name
from khronika.review import Proposal, propose
from khronika.storage import Database
from khronika.storage import lists as list_store
from khronika.storage import review as review_store

__all__ = ["DedupeReport", "Person", "find_duplicates", "propose_duplicates", "token_pair_keys"]

MAX_BLOCK = 500


@dataclass(frozen=True, slots=True)
class Person:
    """What dedupe needs of a person: id, every spelling, birth date."""

    id: str
    names: tuple[str, ...]
    birth_date: str | None = None


@dataclass
class DedupeReport:
    """What a dedupe run did, with its timings (seconds)."""

    people: int = 0
    blocks: int = 0
    skipped_blocks: int = 0
    pairs_scored: int = 0
    proposed: int = 0
    new: int = 0
    already_known: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    candidates: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        return {
            k: getattr(self, k)
            for k in (
                "people",
                "blocks",
                "skipped_blocks",
                "pairs_scored",
                "proposed",
                "new",
                "already_known",
                "seconds",
                "candidates",
            )
        }


def token_pair_keys(name: str) -> set[str]:
    """Return a name's block keys: every pair of its tokens (case-folded, ё→е), sorted.

    A one-token name keys on itself.
    """
    tokens = sorted({t for t in normalise_name(name).split() if len(t) > 1})
    if len(tokens) == 1:
        return {tokens[0]}
    return {f"{a} {b}" for a, b in combinations(tokens, 2)}


def _year(birth_date: str | None) -> int | None:
    head = (birth_date or "")[:4]
    return int(head) if head.isdigit() else None


def _year_pairs(
    members: list[tuple[int, int]], years: list[int | None]
) -> Iterable[tuple[tuple[int, int], tuple[int, int]]]:
    """Pairs of a block's members born within a year of each other, or either unknown.

    Namesakes are common (a Zipf stock of surnames and a few dozen given names): without
    this, one block of a common name is quadratic in its bearers.
    """
    by_year: dict[int | None, list[tuple[int, int]]] = defaultdict(list)
    for m in members:
        by_year[years[m[0]]].append(m)
    unknown = by_year.pop(None, [])
    yield from combinations(unknown, 2)
    for year, group in by_year.items():
        yield from combinations(group, 2)
        for other in by_year.get(year + 1, ()):  # type: ignore[operator]
            for m in group:
                yield m, other
        for m in unknown:
            for other in group:
                yield m, other


def find_duplicates(
    people: Sequence[Person],
    *,
    scorer: Scorer,
    threshold: float,
    skip: Callable[[str, str], bool] = lambda a, b: False,
    keys: Callable[[str], Iterable[str]] = token_pair_keys,
    max_block: int = MAX_BLOCK,
    report: DedupeReport | None = None,
) -> list[Proposal]:
    """Return proposals for pairs of people scoring at least `threshold`, best first.

    Pure (no database). Args:
        people: the registry's people.
        scorer: compares two spellings with birth dates.
        skip: pairs (a < b) not to score: already proposed, or already merged.
        keys: block keys of a spelling.
        max_block: blocks with more people are skipped (counted in the report).
    """
    report = report if report is not None else DedupeReport()
    # Only the spellings that share a block key are scored against each other: a
    # Belarusian spelling never needs scoring against a Russian one that shares nothing.
    years = [_year(p.birth_date) for p in people]
    blocks: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for i, p in enumerate(people):
        for s, name in enumerate(p.names):
            for k in keys(name):
                blocks[k].add((i, s))
    spellings: dict[tuple[int, int], set[tuple[int, int]]] = defaultdict(set)
    for members in blocks.values():
        if len({i for i, _ in members}) < 2:
            continue
        report.blocks += 1
        if len(members) > max_block:
            report.skipped_blocks += 1
            continue
        for (i, si), (j, sj) in _year_pairs(sorted(members), years):
            if i != j:
                spellings[(min(i, j), max(i, j))].add((si, sj) if i < j else (sj, si))
    out: list[Proposal] = []
    for (i, j), which in spellings.items():
        a, b = people[i], people[j]
        if skip(*sorted((a.id, b.id))):
            continue
        report.pairs_scored += 1
        (score, explanation), x, y = max(
            (
                (
                    scorer(a.names[si], b.names[sj], a.birth_date, b.birth_date),
                    a.names[si],
                    b.names[sj],
                )
                for si, sj in sorted(which)
            ),
            key=lambda t: t[0][0],
        )
        if a.id > b.id:
            a, b, x, y = b, a, y, x
        if score >= threshold:
            out.append(
                Proposal(
                    PairKind.PERSON_PERSON,
                    a.id,
                    b.id,
                    score,
                    explanation,
                    {
                        "a_name": x,
                        "b_name": y,
                        "a_birth_date": a.birth_date,
                        "b_birth_date": b.birth_date,
                    },
                )
            )
    out.sort(key=lambda p: (-p.score, p.a, p.b))
    return out


def propose_duplicates(
    db: Database,
    *,
    scorer: Scorer | None = None,
    threshold: float | None = None,
    max_block: int = MAX_BLOCK,
    now: datetime | None = None,
) -> DedupeReport:
    """Propose likely duplicate people (current registry) into the review queue."""
    report = DedupeReport()
    t0 = time.perf_counter()
    with db.connect() as conn:
        people = [
            Person(p["id"], tuple(n["name"] for n in p["names"]), p["birth_date"])
            for p in list_store.registry_people(conn)
        ]
        known = set(review_store.candidate_pairs(conn, PairKind.PERSON_PERSON.value))
    merged = identity_map(db)
    report.people = len(people)
    t1 = time.perf_counter()

    def skip(a: str, b: str) -> bool:
        return (a, b) in known or merged.canonical(a) == merged.canonical(b)

    found = find_duplicates(
        people,
        scorer=scorer or default_scorer(),
        threshold=default_threshold() if threshold is None else threshold,
        skip=skip,
        max_block=max_block,
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
