"""List entries as parsers return them: one frozen record per person, organisation or material.

An entry carries only what the list says about someone, never where in the list it stood:
list position is not part of an entry (positions shift whenever someone above is removed).

    !!! Never put a row number or line number into `fields`: the diff compares every field,
    !!! so a position would turn each removal into hundreds of false changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from khronika.errors import KhronikaError

__all__ = ["KINDS", "Entry", "FieldValue", "ParseResult", "ParseError"]

#: What an entry can be.
KINDS: tuple[str, ...] = ("person", "organisation", "material", "other")

#: A compared value: text, a flag, a set of texts (as a sorted tuple) or nothing.
FieldValue = str | bool | tuple[str, ...] | None


class ParseError(KhronikaError, ValueError):
    """A file cannot be read as the format claims; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of an official list as published in one snapshot.

    Attributes:
        name: the primary name, normalised (NFC, single spaces, plain quotes).
        kind: one of KINDS.
        source_id: the list's own identifier (OFAC ent_num, a register number) or None
            when the list has none that survives between editions.
        birth_date: partial ISO date (`1986`, `1986-04`, `1986-04-24`) or None.
        fields: the other compared fields of the format (see each format's `FORMAT.fields`);
            sets are sorted tuples so that equal sets compare equal.
    """

    name: str
    kind: str = "person"
    source_id: str | None = None
    birth_date: str | None = None
    fields: Mapping[str, FieldValue] = field(default_factory=dict)

    def compared(self) -> dict[str, FieldValue]:
        """Return every compared field (name, birth_date, kind and the format's fields)."""
        out: dict[str, FieldValue] = {
            "kind": self.kind,
            "name": self.name,
            "birth_date": self.birth_date,
        }
        out.update(self.fields)
        return out

    @property
    def aliases(self) -> tuple[str, ...]:
        """The entry's other names (empty when the format has none)."""
        value = self.fields.get("aliases")
        return value if isinstance(value, tuple) else ()

    def to_json(self) -> dict[str, Any]:
        """Return the entry as JSON-ready data (tuples become lists)."""
        data: dict[str, Any] = {"source_id": self.source_id}
        for name, value in self.compared().items():
            data[name] = list(value) if isinstance(value, tuple) else value
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Entry:
        """Rebuild an entry from `to_json` output."""
        rest = {
            k: (tuple(v) if isinstance(v, list) else v)
            for k, v in data.items()
            if k not in ("source_id", "kind", "name", "birth_date")
        }
        return cls(
            name=data["name"],
            kind=data.get("kind", "person"),
            source_id=data.get("source_id"),
            birth_date=data.get("birth_date"),
            fields=rest,
        )


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What a parser returns: the entries, and the snapshot time if the file states one.

    Attributes:
        entries: in file order (the order is kept for display only, never for identity).
        taken: ISO date or date-time found in the file itself, or None.
        warnings: lines the parser skipped or repaired, for the import report.
    """

    entries: tuple[Entry, ...]
    taken: str | None = None
    warnings: tuple[str, ...] = ()
