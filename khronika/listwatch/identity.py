"""Stable entry identity: carry keys from one snapshot's entries to the next one's.

An entry gets an opaque key when first seen; later snapshots inherit it by matching, and a
key is never recomputed from content. Matching, in order of trust:

1. the list's own identifier (`source_id`) when the format has one (OFAC `ent_num`, a
   register number);
2. the same kind, normalised name and birth date;
3. the same normalised name, when it is unique on both sides and the birth dates agree,
   one is missing, or they differ like a typo (two of day, month, year equal);
4. organisations sharing a registration number; entries sharing a name or alias;
5. the name matcher's score above a threshold, among entries with the same birth date
   (or, for entries without one, of the same kind when few are left).

So a corrected typo, an added alias, an added birth date or a changed flag keeps the key;
list position never enters. Previously removed entries (`history`) are tried after the
previous snapshot's, so a re-listed entry gets its old key back.

The name matcher is pluggable: `khronika.names` will provide one (see `set_name_matcher`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from difflib import SequenceMatcher
from functools import partial

from khronika.listwatch.entries import Entry
from khronika.names.scripts import normalise_name

__all__ = [
    "NameMatcher",
    "assign_keys",
    "default_name_score",
    "normalise_name",
    "set_name_matcher",
]

#: Scores how likely two entries name the same person or body: 0.0 (no) to 1.0 (same).
NameMatcher = Callable[[Entry, Entry], float]

MATCH_THRESHOLD = 0.88
# Above this many unmatched pairs without a birth date to block on, fuzzy matching is
# skipped: a mass change is for review, not for a quadratic guess.
_MAX_UNBLOCKED_PAIRS = 250_000


def default_name_score(a: Entry, b: Entry) -> float:
    """Score two entries' names: 1.0 when any name or alias is shared, else string similarity."""
    names_a = {normalise_name(n) for n in (a.name, *a.aliases)}
    names_b = {normalise_name(n) for n in (b.name, *b.aliases)}
    if names_a & names_b:
        return 1.0
    return max(SequenceMatcher(None, x, y).ratio() for x in names_a for y in names_b)


_matcher: NameMatcher = default_name_score


def set_name_matcher(matcher: NameMatcher | None) -> None:
    """Use `matcher` for fuzzy identity from now on (None restores the default)."""
    global _matcher
    _matcher = matcher or default_name_score


def assign_keys(
    entries: Sequence[Entry],
    previous: Mapping[str, Entry],
    *,
    history: Mapping[str, Entry] | None = None,
    by_source_id: bool,
    new_key: Callable[[int], str],
    matcher: NameMatcher | None = None,
) -> list[str]:
    """Return a key for each of `entries`: inherited by matching, or new from `new_key(i)`.

    Args:
        entries: the new snapshot's entries.
        previous: key -> entry of the snapshot before.
        history: key -> last version of entries seen earlier but absent from `previous`.
        by_source_id: match on the list's own identifier first.
        new_key: makes a fresh opaque key for the entry at index i.
        matcher: name scorer; defaults to the one set with `set_name_matcher`.
    """
    keys: list[str | None] = [None] * len(entries)
    for pool in (previous, history or {}):
        used = set(filter(None, keys))
        free = {k: e for k, e in pool.items() if k not in used}
        if not free:
            continue
        todo = [i for i, k in enumerate(keys) if k is None]
        if by_source_id:
            _match_source_ids(entries, todo, free, keys)
            # An identifier the list keeps stable is trusted alone: a new ent_num under an
            # old name is a new designation. Only entries without one are matched by name.
            todo = [i for i in todo if keys[i] is None and not entries[i].source_id]
            free = {k: e for k, e in free.items() if not e.source_id}
        _match_names(entries, todo, free, keys, matcher or _matcher)
    return [k if k is not None else new_key(i) for i, k in enumerate(keys)]


def _match_source_ids(
    entries: Sequence[Entry], todo: list[int], free: dict[str, Entry], keys: list[str | None]
) -> None:
    by_id: dict[str, str] = {e.source_id: k for k, e in free.items() if e.source_id}
    for i in todo:
        sid = entries[i].source_id
        key = by_id.pop(sid, None) if sid else None
        if key is not None:
            keys[i] = key
            del free[key]


def _match_names(
    entries: Sequence[Entry],
    todo: list[int],
    free: dict[str, Entry],
    keys: list[str | None],
    matcher: NameMatcher,
) -> None:
    """Run passes 2-5 of the module docstring; each pass sees only what is still unmatched."""
    passes: list[
        Callable[[Sequence[Entry], list[int], dict[str, Entry]], list[tuple[int, str]]]
    ] = [
        _exact_pairs,
        _unique_name_pairs,
        _registration_pairs,
        _shared_name_pairs,
        partial(_matcher_pairs, matcher=matcher),
    ]
    for find in passes:
        for i, key in find(entries, todo, free):
            if keys[i] is None and key in free:
                keys[i] = key
                del free[key]
        todo = [i for i in todo if keys[i] is None]


def _exact_pairs(
    entries: Sequence[Entry], todo: list[int], free: dict[str, Entry]
) -> list[tuple[int, str]]:
    """Pass 2: kind + name + birth date, pairing duplicates in order."""
    exact: dict[tuple[object, ...], list[str]] = defaultdict(list)
    for k, e in free.items():
        exact[(e.kind, normalise_name(e.name), e.birth_date)].append(k)
    out = []
    for i in todo:
        e = entries[i]
        bucket = exact.get((e.kind, normalise_name(e.name), e.birth_date))
        if bucket:
            out.append((i, bucket.pop(0)))
    return out


def _unique_name_pairs(
    entries: Sequence[Entry], todo: list[int], free: dict[str, Entry]
) -> list[tuple[int, str]]:
    """Pass 3: a name unique on both sides, birth dates compatible."""
    pairs = _unique_pairs(todo, entries, free, lambda e: (e.kind, normalise_name(e.name)))
    return [
        (i, k) for i, k in pairs if _dates_compatible(entries[i].birth_date, free[k].birth_date)
    ]


def _registration_pairs(
    entries: Sequence[Entry], todo: list[int], free: dict[str, Entry]
) -> list[tuple[int, str]]:
    """Pass 4a: organisations sharing a registration number."""
    return _overlap_pairs(todo, entries, free, _registrations)


def _shared_name_pairs(
    entries: Sequence[Entry], todo: list[int], free: dict[str, Entry]
) -> list[tuple[int, str]]:
    """Pass 4b: a shared name or alias, birth dates compatible."""
    return [
        (i, k)
        for i, k in _overlap_pairs(todo, entries, free, _all_names)
        if _dates_compatible(entries[i].birth_date, free[k].birth_date)
    ]


def _matcher_pairs(
    entries: Sequence[Entry], todo: list[int], free: dict[str, Entry], *, matcher: NameMatcher
) -> list[tuple[int, str]]:
    """Pass 5: the matcher's best score above the threshold, blocked on kind + birth date."""
    blocks: dict[tuple[object, ...], list[str]] = defaultdict(list)
    for k, e in free.items():
        blocks[(e.kind, e.birth_date)].append(k)
    unblocked = sum(1 for i in todo if entries[i].birth_date is None)
    out: list[tuple[int, str]] = []
    taken: set[str] = set()
    for i in todo:
        e = entries[i]
        candidates = [k for k in blocks.get((e.kind, e.birth_date), []) if k not in taken]
        if e.birth_date is None and unblocked * len(candidates) > _MAX_UNBLOCKED_PAIRS:
            continue
        scored = sorted(((matcher(free[k], e), k) for k in candidates), reverse=True)
        if scored and scored[0][0] >= MATCH_THRESHOLD:
            out.append((i, scored[0][1]))
            taken.add(scored[0][1])
    return out


def _unique_pairs(
    todo: Iterable[int],
    entries: Sequence[Entry],
    free: Mapping[str, Entry],
    key_of: Callable[[Entry], object],
) -> list[tuple[int, str]]:
    new_groups: dict[object, list[int]] = defaultdict(list)
    for i in todo:
        new_groups[key_of(entries[i])].append(i)
    old_groups: dict[object, list[str]] = defaultdict(list)
    for k, e in free.items():
        old_groups[key_of(e)].append(k)
    return [
        (idx[0], old_groups[g][0])
        for g, idx in new_groups.items()
        if len(idx) == 1 and len(old_groups.get(g, ())) == 1
    ]


def _overlap_pairs(
    todo: Iterable[int],
    entries: Sequence[Entry],
    free: Mapping[str, Entry],
    values_of: Callable[[Entry], set[str]],
) -> list[tuple[int, str]]:
    """Pairs (new index, old key) of the same kind sharing a value, unique on both sides."""
    index: dict[tuple[str, str], set[str]] = defaultdict(set)
    for k, e in free.items():
        for v in values_of(e):
            index[(e.kind, v)].add(k)
    pairs: dict[str, list[int]] = defaultdict(list)
    for i in todo:
        found = set().union(
            *(index.get((entries[i].kind, v), set()) for v in values_of(entries[i]))
        )
        if len(found) == 1:
            pairs[found.pop()].append(i)
    return [(idx[0], k) for k, idx in pairs.items() if len(idx) == 1]


def _registrations(e: Entry) -> set[str]:
    value = e.fields.get("registration_numbers")
    return set(value) if isinstance(value, tuple) else set()


def _all_names(e: Entry) -> set[str]:
    return {normalise_name(n) for n in (e.name, *e.aliases)}


def _dates_compatible(a: str | None, b: str | None) -> bool:
    """True when dates agree, one is missing, or they differ like a typo (2 of 3 parts)."""
    if a is None or b is None or a == b:
        return True
    pa, pb = a.split("-"), b.split("-")
    if len(pa) != 3 or len(pb) != 3:
        return a[:4] == b[:4]
    return sum(x == y for x, y in zip(pa, pb, strict=True)) >= 2
