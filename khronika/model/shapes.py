"""The JSON shape of a report or record dataclass: its fields, in order, as plain data.

Reports (`SnapshotReport`, `IngestReport`, `FetchReport`), outlets and tallies answer
`to_json`, and name matches `as_dict`, with their fields in declaration order; `fields_json`
is that one loop, so a field added to the class shows in its JSON without a second list.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import fields
from typing import Any

__all__ = ["fields_json"]


def fields_json(
    obj: Any,
    *,
    rename: Mapping[str, str] | None = None,
    skip: Collection[str] = (),
) -> dict[str, Any]:
    """Return a dataclass instance's fields as a dict, in declaration order.

    Unlike `dataclasses.asdict` it copies nothing deep and does not open nested
    dataclasses (a report nesting another says how, with that one's own `to_json`).

    Args:
        obj: a dataclass instance.
        rename: JSON keys for the fields whose key is not their name (`list_id` → `list`).
        skip: fields left out (internal ones, or those the caller nests itself).

    Returns:
        {key: value}; a tuple becomes a list and a mapping a dict, as JSON has them.
    """
    keys = rename or {}
    return {
        keys.get(f.name, f.name): _plain(getattr(obj, f.name))
        for f in fields(obj)
        if f.name not in skip
    }


def _plain(value: Any) -> Any:
    # Only the top level: tuples of strings and flat mappings are what the records hold.
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    return value
