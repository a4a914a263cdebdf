"""A fast path for validating plainly valid events, the bulk of every large import.

`fast_event` checks the common shape of an event with plain Python and builds its
canonical content directly. It never rejects anything: whenever a record is not plainly
valid (a wrong type, an unknown field, a non-ASCII id, a detail that fails) it returns None
and the record goes through the pydantic model, which reports the precise problem.

    !!! The fast path must accept exactly what `Event` accepts and produce exactly the
    !!! content `content_of(Event(...))` produces. tests/model/test_fastpath.py checks both
    !!! on generated and mutated records; change the two together.
"""

from __future__ import annotations

import re
from typing import Any

from khronika.errors import InvalidValue
from khronika.model.dates import PartialDate, canonical_timestamp
from khronika.model.events import EVENT_KINDS, validate_details

__all__ = ["FastEvent", "fast_event"]

_ASCII_ID = re.compile(r"[A-Za-z0-9_.:~@+-]{1,200}")
_KEYS = frozenset(
    {
        "type",
        "id",
        "person",
        "kind",
        "date",
        "seq",
        "by",
        "details",
        "sources",
        "visibility",
        "recorded",
        "retracted",
        "recorded_by",
        "retracted_by",
        "retraction_reason",
    }
)
_TIERS = frozenset({"public", "restricted", "withheld"})
_TX_LIMITS = {"recorded_by": 300, "retracted_by": 300, "retraction_reason": 4_000}

FastEvent = tuple[dict[str, Any], dict[str, str | None]]


def fast_event(data: dict[str, Any]) -> FastEvent | None:
    """Return (canonical content, transaction fields) of a plainly valid event, else None."""
    if not _KEYS.issuperset(data):
        return None
    rid, person, kind, date = data.get("id"), data.get("person"), data.get("kind"), data.get("date")
    if not (_is_id(rid) and _is_id(person) and isinstance(kind, str) and isinstance(date, str)):
        return None
    spec = EVENT_KINDS.get(kind)
    if spec is None:
        return None
    try:
        PartialDate.parse(date)
    except InvalidValue:
        return None
    content: dict[str, Any] = {
        "type": "event",
        "id": rid,
        "person": person,
        "kind": kind,
        "date": date,
    }
    seq = data.get("seq")
    if seq is not None:
        if type(seq) is not int or not 0 <= seq <= 1_000_000:
            return None
        content["seq"] = seq
    by = data.get("by")
    if by is not None:
        if not _is_id(by):
            return None
        content["by"] = by
    elif spec.needs_by:
        return None
    details = data.get("details", {})
    if not isinstance(details, dict):
        return None
    try:
        details = validate_details(kind, details)
    except ValueError:
        return None
    if details:
        content["details"] = details
    sources = data.get("sources", [])
    if not isinstance(sources, list) or len(sources) > 100 or not all(map(_is_id, sources)):
        return None
    content["sources"] = sorted(set(sources))
    visibility = data.get("visibility")
    if visibility is not None:
        if visibility not in _TIERS:
            return None
        content["visibility"] = visibility
    tx: dict[str, str | None] = {}
    for name in ("recorded", "retracted"):
        value = data.get(name)
        if value is not None:
            if not isinstance(value, str):
                return None
            try:
                value = canonical_timestamp(value)
            except (InvalidValue, ValueError):
                return None
        tx[name] = value
    for name, limit in _TX_LIMITS.items():
        value = data.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            return None
        tx[name] = value
    return content, tx


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and _ASCII_ID.fullmatch(value) is not None
