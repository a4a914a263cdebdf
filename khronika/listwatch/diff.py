"""Pure diffs between two keyed snapshots: added, removed and changed entries, field by field.

Fields are compared after normalisation by the parsers; sets (aliases, programmes,
registration numbers) are sorted tuples, so order never shows as a change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from khronika.listwatch.entries import Entry, FieldValue
from khronika.listwatch.identity import NameMatcher, assign_keys

__all__ = ["Change", "Diff", "compare_entries", "diff_entries", "diff_keyed"]


@dataclass(frozen=True, slots=True)
class Change:
    """One entry present on both sides whose fields differ."""

    key: str
    old: Entry
    new: Entry
    changes: dict[str, tuple[FieldValue, FieldValue]]


@dataclass(frozen=True, slots=True)
class Diff:
    """What happened between two snapshots; each list sorted by entry name, then key."""

    added: list[tuple[str, Entry]] = field(default_factory=list)
    removed: list[tuple[str, Entry]] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Return `{"added": n, "removed": n, "changed": n}`."""
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
        }

    def to_json(self, entry_json: Any = None) -> dict[str, Any]:
        """Return the contract's shape (`added`, `removed`, `changed` with `changes`)."""
        as_json = entry_json or (lambda key, e: {"key": key, **e.to_json()})
        return {
            "added": [as_json(k, e) for k, e in self.added],
            "removed": [as_json(k, e) for k, e in self.removed],
            "changed": [
                {
                    "entry": as_json(c.key, c.new),
                    "changes": {f: [_json(o), _json(n)] for f, (o, n) in c.changes.items()},
                }
                for c in self.changed
            ],
        }


def _json(value: FieldValue) -> Any:
    return list(value) if isinstance(value, tuple) else value


def compare_entries(old: Entry, new: Entry) -> dict[str, tuple[FieldValue, FieldValue]]:
    """Return `{field: (old, new)}` for every compared field whose value differs."""
    a, b = old.compared(), new.compared()
    out = {}
    for name in [*a, *(f for f in b if f not in a)]:
        x, y = a.get(name), b.get(name)
        if x != y and not (x in (None, ()) and y in (None, ())):
            out[name] = (x, y)
    if old.source_id != new.source_id:
        out["source_id"] = (old.source_id, new.source_id)
    return out


def diff_keyed(old: Mapping[str, Entry], new: Mapping[str, Entry]) -> Diff:
    """Diff two snapshots given as key -> entry."""

    def order(item: tuple[str, Entry]) -> tuple[str, str]:
        return (item[1].name, item[0])

    added = sorted(((k, e) for k, e in new.items() if k not in old), key=order)
    removed = sorted(((k, e) for k, e in old.items() if k not in new), key=order)
    changed = []
    for key, entry in new.items():
        before = old.get(key)
        if before is not None and before != entry and (changes := compare_entries(before, entry)):
            changed.append(Change(key, before, entry, changes))
    changed.sort(key=lambda c: (c.new.name, c.key))
    return Diff(added, removed, changed)


def diff_entries(
    old: Sequence[Entry],
    new: Sequence[Entry],
    *,
    by_source_id: bool,
    matcher: NameMatcher | None = None,
) -> Diff:
    """Diff two parsed snapshots directly: keys `o0…` for old, inherited or `n0…` for new."""
    old_keyed = {f"o{i}": e for i, e in enumerate(old)}
    keys = assign_keys(
        new, old_keyed, by_source_id=by_source_id, new_key=lambda i: f"n{i}", matcher=matcher
    )
    return diff_keyed(old_keyed, dict(zip(keys, new, strict=True)))
