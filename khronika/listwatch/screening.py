"""Screening: find registry people who may be the entries of a list snapshot.

Pure candidate generation, ready for the review queue: every candidate carries its score
and the features that produced it (which name matched which spelling, birth dates).
Blocking keeps it fast (16k entries × 10k people): a pair is scored only when the two
share two name tokens, or one rare token (a rare surname), and their birth dates are
compatible.

Where it hooks in (when `khronika.names` and its review queue land): the scorer is
`identity`'s pluggable name matcher — pass `scorer=` or set it with `set_name_matcher` —
and the candidates go to the review queue; a confirmed candidate adds a `designated`
event (details.list = list id, details.entry = entry key; the snapshot's archived file is
the source), and a later snapshot without the entry adds `delisted`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import combinations
from typing import Any

from khronika.listwatch.entries import Entry
from khronika.listwatch.identity import normalise_name
from khronika.names.pairs import compare_birth_dates

__all__ = ["Candidate", "RegistryPerson", "screen_entries"]

#: A single token shared by more people than this is too common to block on alone
#: (Иван, Александр); such names are still found through a second shared token.
MAX_BLOCK = 50
THRESHOLD = 0.9


@dataclass(frozen=True, slots=True)
class RegistryPerson:
    """What screening needs of a registry person: id, every spelling, birth date."""

    id: str
    names: tuple[str, ...]
    birth_date: str | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible match of a list entry to a registry person, with its explanation."""

    entry_key: str
    person_id: str
    score: float
    features: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Return the candidate as JSON-ready data."""
        return {
            "entry": self.entry_key,
            "person": self.person_id,
            "score": round(self.score, 3),
            "features": self.features,
        }


def screen_entries(
    entries: Mapping[str, Entry],
    people: Iterable[RegistryPerson],
    *,
    scorer: Callable[[str, str], float] | None = None,
    threshold: float = THRESHOLD,
) -> list[Candidate]:
    """Return candidates (entry, person) scoring at least `threshold`, best first.

    Args:
        entries: key -> entry (persons are screened; other kinds are skipped).
        people: the registry.
        scorer: compares two normalised names, 0…1; default: token-set equality, then
            string similarity (the real one is `khronika.names`).
        threshold: the least score kept.
    """
    score_names = scorer or _default_scorer
    registry = list(people)
    spellings = [[normalise_name(n) for n in p.names] for p in registry]
    singles, pairs = _index(spellings)
    out: list[Candidate] = []
    for key, entry in entries.items():
        if entry.kind != "person":
            continue
        entry_names = [normalise_name(n) for n in (entry.name, *entry.aliases)]
        for i in _pool(entry_names, singles, pairs):
            person = registry[i]
            dates = compare_birth_dates(entry.birth_date, person.birth_date)
            if dates == "different":
                continue
            best, pair = max(
                ((score_names(a, b), (a, b)) for a in entry_names for b in spellings[i]),
                key=lambda x: x[0],
            )
            if dates == "same":
                best = min(1.0, best + 0.05)  # an equal birth date is strong evidence
            if best >= threshold:
                out.append(
                    Candidate(
                        key,
                        person.id,
                        best,
                        {"entry_name": pair[0], "person_name": pair[1], "birth_date": dates},
                    )
                )
    out.sort(key=lambda c: (-c.score, c.entry_key, c.person_id))
    return out


def _tokens(name: str) -> list[str]:
    return sorted({t for t in name.split() if len(t) > 2})


def _index(
    spellings: list[list[str]],
) -> tuple[dict[str, set[int]], dict[tuple[str, str], set[int]]]:
    """Index people by single name tokens (used only when rare) and by token pairs (two
    shared tokens, however common each is: СЕМЕНОВ + СЕМЕН)."""
    singles: dict[str, set[int]] = defaultdict(set)
    pairs: dict[tuple[str, str], set[int]] = defaultdict(set)
    for i, names in enumerate(spellings):
        for name in names:
            tokens = _tokens(name)
            for t in tokens:
                singles[t].add(i)
            for a, b in combinations(tokens, 2):
                pairs[(a, b)].add(i)
    return singles, pairs


def _pool(
    names: list[str], singles: dict[str, set[int]], pairs: dict[tuple[str, str], set[int]]
) -> set[int]:
    """People sharing a rare token or two tokens with any of `names`."""
    pool: set[int] = set()
    for name in names:
        tokens = _tokens(name)
        for t in tokens:
            if len(block := singles.get(t, ())) <= MAX_BLOCK:
                pool.update(block)
        for pair in combinations(tokens, 2):
            pool.update(pairs.get(pair, ()))
    return pool


def _default_scorer(a: str, b: str) -> float:
    """1.0 for the same tokens in any order; 0.9 when one name's 2+ tokens are all in the
    other (a patronymic left out); else their similarity (difflib ratio)."""
    ta, tb = a.split(), b.split()
    if sorted(ta) == sorted(tb):
        return 1.0
    short, long_ = sorted((set(ta), set(tb)), key=len)
    if len(short) >= 2 and short <= long_:
        return 0.9
    return SequenceMatcher(None, a, b).ratio()
