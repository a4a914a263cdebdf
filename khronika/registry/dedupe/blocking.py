"""Candidate pairs by blocking: only people who share a name or a case block are compared.

A name block is a pair of the matcher's phonological word keys (`name_blocks`), so
Belarusian, Russian and Latin spellings and vowel slips meet; a case block is an event of
one kind on one day. Within a block only people born within a year of each other (or of
unknown birth) are paired; blocks larger than `max_block` are skipped and counted.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import combinations

from khronika.names.key import token_keys
from khronika.names.scripts import detect_script, normalise_name
from khronika.registry.dedupe.evidence import Person
from khronika.registry.dedupe.report import DedupeReport

__all__ = ["MAX_BLOCK", "candidates", "name_blocks", "token_pair_keys"]

#: Blocks with more people than this are skipped (counted in the report).
MAX_BLOCK = 500


def token_pair_keys(name: str) -> set[str]:
    """Return every pair of a name's tokens (case-folded, ё→е), sorted; a one-token name: itself.

    The blocking of earlier versions; kept for callers that pass it as `keys`.
    """
    tokens = sorted({t for t in normalise_name(name).split() if len(t) > 1})
    if len(tokens) == 1:
        return {tokens[0]}
    return {f"{a} {b}" for a, b in combinations(tokens, 2)}


def name_blocks(name: str) -> set[str]:
    """Return a spelling's name blocks: every pair of its words' phonological keys.

    The keys are the matcher's (`khronika.names.key.token_keys`): Belarusian, Russian and
    Latin spellings of a word share one, so "Алесь Выдумчук" and "Ales Vydumchuk" meet. A
    one-word name blocks on its keys alone.
    """
    words = [w for w in normalise_name(name).split() if len(w) > 1]
    keys = [_word_keys(w) for w in words]
    if len(keys) == 1:
        return set(keys[0])
    return {f"{min(x, y)} {max(x, y)}" for ka, kb in combinations(keys, 2) for x in ka for y in kb}


@functools.lru_cache(maxsize=65_536)
def _word_keys(word: str) -> frozenset[str]:
    return token_keys(word, detect_script(word)) or frozenset((word,))


def _year(birth_date: str | None) -> int | None:
    head = (birth_date or "")[:4]
    return int(head) if head.isdigit() else None


def _year_pairs(members: list[int], years: list[int | None]) -> Iterator[tuple[int, int]]:
    """Pairs of a block's people born within a year of each other, or either unknown."""
    by_year: dict[int | None, list[int]] = defaultdict(list)
    for m in members:
        by_year[years[m]].append(m)
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


def candidates(
    people: Sequence[Person],
    keys: Callable[[str], Iterable[str]],
    max_block: int,
    report: DedupeReport,
) -> Iterator[tuple[int, int]]:
    """Yield each pair of people (i < j) sharing a name or case block, once."""
    cache: dict[str, tuple[str, ...]] = {}
    blocks: dict[str, set[int]] = defaultdict(set)
    for i, p in enumerate(people):
        for name in p.names:
            if name not in cache:
                cache[name] = tuple(keys(name))
            for k in cache[name]:
                blocks[k].add(i)
        for kind, day in p.events:
            if len(day) == 10:
                blocks[f"{kind} {day}"].add(i)
    years = [_year(p.birth_date) for p in people]
    seen: set[int] = set()
    n = len(people)
    for members in blocks.values():
        if len(members) < 2:
            continue
        report.blocks += 1
        if len(members) > max_block:
            report.skipped_blocks += 1
            continue
        for i, j in _year_pairs(sorted(members), years):
            i, j = min(i, j), max(i, j)
            if i * n + j not in seen:
                seen.add(i * n + j)
                yield i, j
