"""Resolve merged people: map each person id to its canonical id, as known on any date.

Merging two people writes no person or event row: the merge *is* a positive
`person-person` judgement (khronika.model.judgements). Whoever counts people (the figures,
exports, pages) maps ids through an `IdentityMap` built from the judgements standing on the
same `known_on` as everything else, so a merge recorded on day X is invisible as known on
X-1, and an undone merge splits the two again.

Rules, written once:

* People joined by standing positive judgements form a cluster (transitively: a=b and b=c
  make one person of three).
* The canonical id of a cluster is its smallest id in byte order (`C` collation): stable
  whichever judgement came first, and the same on both engines.
* A negative judgement never splits a cluster; `khronika.review` refuses a merge that
  would join two people judged different.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from khronika.model.dates import END_TS, storage_timestamp
from khronika.model.judgements import JudgementRow, PairKind, current_decision
from khronika.storage import Database
from khronika.storage import review as store

__all__ = ["OPEN", "IdentityMap", "Merge", "identity_map", "merge_history", "resolve_merges"]

#: The open end of a merge that still stands (the transaction-time sentinel of the caches).
OPEN = END_TS


def resolve_merges(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Return person id -> canonical id for every id in `pairs` (merged pairs of people).

    Pure: union-find over the pairs; the canonical id is the smallest id of each cluster.

    Example:
        >>> resolve_merges([("p3", "p2"), ("p2", "p9")])
        {'p2': 'p2', 'p3': 'p2', 'p9': 'p2'}
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # path halving keeps chains short
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            # The smaller root wins, so the root of a cluster is always its smallest id.
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in sorted(parent)}


@dataclass(frozen=True, slots=True)
class Merge:
    """Two people counted as one for transaction times [tf, tt) (`tt` OPEN: still)."""

    a: str
    b: str
    tf: str
    tt: str


def merge_history(
    judgements: Iterable[tuple[int, int, str, str, str, str, str | None]],
) -> list[Merge]:
    """Return when each pair of people stood merged, from every `person-person` judgement.

    Pure. `judgements` are (candidate, id, a, b, decision, recorded, retracted), retracted
    ones included. A pair stands merged while its current decision (the latest standing
    judgement, by recorded then id, as in `khronika.model.judgements`) is positive.
    """
    by_candidate: dict[int, list[tuple[int, int, str, str, str, str, str | None]]] = {}
    for j in judgements:
        by_candidate.setdefault(j[0], []).append(j)
    out: list[Merge] = []
    for rows in by_candidate.values():
        a, b = rows[0][2], rows[0][3]
        instants = sorted({r[5] for r in rows} | {r[6] for r in rows if r[6]})
        since: str | None = None
        for t in instants:
            standing = [r for r in rows if r[5] <= t and (r[6] is None or r[6] > t)]
            latest = max(standing, key=lambda r: (r[5], r[1]), default=None)
            merged = latest is not None and latest[4] == "positive"
            if merged and since is None:
                since = t
            elif not merged and since is not None:
                out.append(Merge(a, b, since, t))
                since = None
        if since is not None:
            out.append(Merge(a, b, since, OPEN))
    return out


@dataclass(frozen=True)
class IdentityMap:
    """Merged people as known on one date: id -> canonical id (ids not merged map to self).

    Attributes:
        known_on: the stored timestamp it was built for (None: now).
        canonical_of: only ids that are part of a merge (canonical ids included).
    """

    known_on: str | None = None
    canonical_of: dict[str, str] = field(default_factory=dict)

    def canonical(self, person_id: str) -> str:
        """Return the id that stands for `person_id` (itself when not merged)."""
        return self.canonical_of.get(person_id, person_id)

    def members(self, person_id: str) -> list[str]:
        """Return every id merged with `person_id` (itself included), sorted."""
        root = self.canonical(person_id)
        found = sorted(p for p, c in self.canonical_of.items() if c == root)
        return found or [person_id]

    def rows(self) -> Iterator[tuple[str, str]]:
        """Yield (person id, canonical id) for every merged id that is not canonical.

        Small (one row per merge): load it into a temporary table or a VALUES list to
        count distinct canonical people in SQL.
        """
        for pid, root in self.canonical_of.items():
            if pid != root:
                yield pid, root

    def __len__(self) -> int:
        return sum(1 for _ in self.rows())


def identity_map(db: Database, *, known_on: str | None = None) -> IdentityMap:
    """Return the merges standing on `known_on` (a date, timestamp, or None for now).

    Args:
        db: a `khronika.storage.Database`.
        known_on: as everywhere: a date means the end of that day, UTC.
    """
    k = storage_timestamp(known_on) if known_on else None
    with db.connect() as conn:
        positives = store.positive_judgements(conn, PairKind.PERSON_PERSON.value, known_on=k)
        history = store.judgements(conn, candidates={j.candidate for j in positives})
    by_candidate: dict[int, list[JudgementRow]] = {}
    for j in history:
        by_candidate.setdefault(j.candidate, []).append(j)
    pairs = []
    for rows in by_candidate.values():
        decision = current_decision(rows, known_on=k)
        if decision is not None and decision.decision == "positive":
            pairs.append((decision.a, decision.b))
    return IdentityMap(k, resolve_merges(pairs))
