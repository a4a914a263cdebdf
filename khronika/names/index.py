"""An in-memory screening index: find the people a name may refer to among many.

Candidate generation uses *blocking keys*: the surname's consonant skeleton (the key
without vowels, so Belarusian/Russian/Latin spellings and one-vowel typos meet) joined
with the given name's class (its given-name-table rows, or its key when the table does not
know it). A query looks up its own blocking keys, then scores only those candidates with
`score.score` and explains the best ones with `score.compare`.

What a blocking key can miss, on purpose: a surname whose consonants differ (Мазік/Мазеў
never meet) and a given name that is neither in the table nor equal by key; the scorer
would reject those pairs anyway.

The index is rebuilt from `(key, name, birth_date)` tuples (`Index.extend`); nothing is
persisted. About 1M names fit in well under 1.5 GB (see `bench/names.py`).

Example:
    >>> idx = Index()
    >>> idx.add(7, "Ганна Кандыбовіч", birth_date="1990-03")
    >>> [hit.key for hit in idx.search("Анна Кандыбович")]
    [7]
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from khronika.names.given import given_names
from khronika.names.key import consonant_skeleton
from khronika.names.parse import ParsedName, Token
from khronika.names.score import THRESHOLD, _date_adjust, compare, prepare, score

__all__ = ["Hit", "Index"]


@dataclass(frozen=True)
class Hit:
    """One candidate found by `Index.search`.

    Attributes:
        key: the caller's key given to `Index.add` (e.g. a person id).
        name: the indexed name.
        birth_date: the indexed birth date (or None).
        score: in [0, 1], birth date included.
        match: score ≥ threshold.
        explanation: as in `score.compare` (empty when `explain=False`).
    """

    key: Hashable
    name: str
    birth_date: str | None
    score: float
    match: bool
    explanation: dict[str, Any] = field(default_factory=dict)


def _given_classes(t: Token | None) -> tuple[list[str], list[str]]:
    """(classes of a full given name, initials) for blocking."""
    if t is None:
        return [], []
    if t.initial:
        return [], sorted({k[0] for k in t.keys if k})
    classes = [f"g{i}" for i in sorted(t.given_ids)] or [f"k{k}" for k in sorted(t.keys)]
    table = given_names()
    inits = {k[0] for k in t.keys if k}
    for gid in t.given_ids:
        inits |= table.initials.get(gid, frozenset())
    return classes, sorted(inits)


def _surname_blocks(t: Token | None) -> set[str]:
    if t is None:
        return set()
    out = set()
    for k in t.keys:
        out.add(consonant_skeleton(k))
        if "-" in k:
            out.update(consonant_skeleton(p) for p in k.split("-") if p)
    return out


def _entry_blocks(p: ParsedName) -> set[str]:
    """Blocking keys under which an indexed name is stored."""
    out = set()
    for r in p.readings:
        for s in _surname_blocks(r.surname):
            out.add(f"{s}|*")  # for lone-surname queries
            if r.given is None:
                out.add(f"{s}|-")
                continue
            classes, inits = _given_classes(r.given)
            if r.given.initial:
                out.update(f"{s}|I{i}" for i in inits)
            else:
                out.update(f"{s}|{c}" for c in classes)
                out.update(f"{s}|i{i}" for i in inits)
    return out


def _query_blocks(p: ParsedName) -> set[str]:
    """Blocking keys a query looks up."""
    out = set()
    for r in p.readings:
        for s in _surname_blocks(r.surname):
            out.add(f"{s}|-")
            if r.given is None:
                out.add(f"{s}|*")
                continue
            classes, inits = _given_classes(r.given)
            if r.given.initial:
                out.update(f"{s}|i{i}" for i in inits)
            else:
                out.update(f"{s}|{c}" for c in classes)
            out.update(f"{s}|I{i}" for i in inits)
    return out


class Index:
    """Names to screen against, with blocking keys for fast candidate generation.

    Args:
        threshold: the default yes/no cut-off of `search` (`score.THRESHOLD`).
    """

    def __init__(self, *, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._keys: list[Hashable] = []
        self._names: list[str] = []
        self._dates: list[str | None] = []
        self._parsed: list[ParsedName] = []
        self._postings: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, key: Hashable, name: str, birth_date: str | None = None) -> None:
        """Index one name (a person may be added under several names with the same key).

        Args:
            key: the caller's identifier, returned in hits.
            name: the name as recorded (not a mention: it is not lemmatised).
            birth_date: partial date `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, or None.
        """
        parsed = prepare(name)
        n = len(self._keys)
        self._keys.append(key)
        self._names.append(name)
        self._dates.append(birth_date)
        self._parsed.append(parsed)
        postings = self._postings
        for block in _entry_blocks(parsed):
            lst = postings.get(block)
            if lst is None:
                postings[block] = [n]
            else:
                lst.append(n)

    def extend(self, rows: Iterable[tuple[Hashable, str, str | None]]) -> None:
        """Index many `(key, name, birth_date)` rows (e.g. straight from the registry)."""
        for key, name, birth_date in rows:
            self.add(key, name, birth_date)

    def candidates(self, query: ParsedName) -> set[int]:
        """Positions of the indexed names that share a blocking key with `query`."""
        found: set[int] = set()
        for block in _query_blocks(query):
            lst = self._postings.get(block)
            if lst:
                found.update(lst)
        return found

    def search(self, name: str, *, birth_date: str | None = None, mention: bool = False,
               limit: int = 10, min_score: float | None = None,
               explain: bool = True) -> list[Hit]:
        """Return the best-scoring indexed names for `name`, best first.

        Args:
            name: the name to screen.
            birth_date: its partial birth date, if known (raises/lowers scores).
            mention: `name` comes from running text (may be inflected).
            limit: at most this many hits.
            min_score: drop hits below it (default: the index's threshold).
            explain: build explanations for the returned hits.

        Returns:
            Hits sorted by score (then by insertion order).
        """
        query = prepare(name, mention=mention)
        floor = self.threshold if min_score is None else min_score
        scored: list[tuple[float, int]] = []
        for pos in self.candidates(query):
            s = score(query, self._parsed[pos])
            if birth_date and self._dates[pos]:
                s = min(1.0, max(0.0, s + _date_adjust(birth_date, self._dates[pos])[0]))
            if s >= floor:
                scored.append((s, pos))
        scored.sort(key=lambda sp: (-sp[0], sp[1]))
        hits = []
        for s, pos in scored[:limit]:
            expl: dict[str, Any] = {}
            if explain:
                m = compare(query, self._parsed[pos], birth_date_a=birth_date,
                            birth_date_b=self._dates[pos], threshold=self.threshold)
                expl = m.explanation
            hits.append(Hit(self._keys[pos], self._names[pos], self._dates[pos], round(s, 4),
                            s >= self.threshold, expl))
        return hits
