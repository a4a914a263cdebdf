"""An in-memory screening index: find the people a name may refer to among many.

Candidate generation uses *blocking keys*: the surname's consonant skeleton (the key
without vowels, so Belarusian/Russian/Latin spellings and one-vowel typos meet) joined
with the given name's class (its given-name-table rows, or its key when the table does not
know it). A query looks up its own blocking keys, then scores only those candidates with
`scoring.score` and explains the best ones with `scoring.compare`.

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

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from khronika.names.parse import ParsedName, Token
from khronika.names.scoring import THRESHOLD, _date_adjust, compare, prepare, score

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
        explanation: as in `scoring.compare` (empty when `explain=False`).
    """

    key: Hashable
    name: str
    birth_date: str | None
    score: float
    match: bool
    explanation: dict[str, Any] = field(default_factory=dict)


def _blocks(
    p: ParsedName, suffixes: Callable[[Token | None], tuple[str, ...]]
) -> set[tuple[str, str]]:
    """Blocking keys of a name: (surname skeleton, given-name suffix) of every reading."""
    out: set[tuple[str, str]] = set()
    for r in p.readings:
        if r.surname is None:
            continue
        given = suffixes(r.given)
        for sk in r.surname.skeletons:
            for suf in given:
                out.add((sk, suf))
    return out


def _entry_suffixes(g: Token | None) -> tuple[str, ...]:
    # Stored: `*` (found by a query without a given name), `-` when none is given, a full
    # given name's classes and first letters (`i`), an initial's letters (`I`).
    if g is None:
        return ("*", "-")
    if g.initial:
        return ("*",) + tuple("I" + i for i in g.inits)
    return ("*",) + g.classes + tuple("i" + i for i in g.inits)


def _query_suffixes(g: Token | None) -> tuple[str, ...]:
    # Asked: `-` (names stored without a given name), `*` when none is given; an initial
    # asks the full names (`i`) and initials (`I`) it fits, a full name its classes and `I`.
    if g is None:
        return ("-", "*")
    if g.initial:
        return ("-",) + tuple("i" + i for i in g.inits) + tuple("I" + i for i in g.inits)
    return ("-",) + g.classes + tuple("I" + i for i in g.inits)


def _entry_blocks(p: ParsedName) -> set[tuple[str, str]]:
    """Blocking keys under which an indexed name is stored: (surname skeleton, given class)."""
    return _blocks(p, _entry_suffixes)


def _query_blocks(p: ParsedName) -> set[tuple[str, str]]:
    """Blocking keys a query looks up."""
    return _blocks(p, _query_suffixes)


class Index:
    """Names to screen against, with blocking keys for fast candidate generation.

    Args:
        threshold: the default yes/no cut-off of `search` (`scoring.THRESHOLD`).
    """

    def __init__(self, *, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._keys: list[Hashable] = []
        self._names: list[str] = []
        self._dates: list[str | None] = []
        self._parsed: list[ParsedName] = []
        self._postings: dict[tuple[str, str], list[int]] = {}

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

    def search(
        self,
        name: str,
        *,
        birth_date: str | None = None,
        mention: bool = False,
        limit: int = 10,
        min_score: float | None = None,
        explain: bool = True,
    ) -> list[Hit]:
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
                m = compare(
                    query,
                    self._parsed[pos],
                    birth_date_a=birth_date,
                    birth_date_b=self._dates[pos],
                    threshold=self.threshold,
                )
                expl = m.explanation
            hits.append(
                Hit(
                    self._keys[pos],
                    self._names[pos],
                    self._dates[pos],
                    round(s, 4),
                    s >= self.threshold,
                    expl,
                )
            )
        return hits
