"""Validation of raw records (dicts read from NDJSON or CSV) into canonical content.

A raw record comes with where it was read (`FILE:LINE`). Validation returns either a
`Checked` record (canonical content, its digest and its transaction-time fields) or the
problems found, each one line `FILE:LINE: field: reason`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from khronika.model.fastpath import fast_event
from khronika.model.records import RECORD_TYPES, Record, content_digest, content_of

__all__ = ["BrokenLine", "Checked", "Problem", "RawRecord", "check_record"]

#: The longest line or record an import accepts (bytes of JSON).
MAX_RECORD_BYTES = 1_000_000


class BrokenLine:
    """Stands in for a line that could not be read as a record; validation reports it."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


@dataclass(slots=True)
class RawRecord:
    """A record as read from a file, before validation."""

    where: str  # FILE:LINE
    data: Any
    size: int = 0


@dataclass(slots=True)
class Problem:
    """One reason a record was rejected."""

    where: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.field}: {self.reason}"


@dataclass(slots=True)
class Checked:
    """A valid record: canonical content, digest and transaction time (stored form later)."""

    where: str
    rtype: str
    content: dict[str, Any]
    digest: str
    recorded: str | None
    retracted: str | None
    recorded_by: str | None
    retracted_by: str | None
    retraction_reason: str | None

    @property
    def id(self) -> str:
        """The record id."""
        return str(self.content["id"])


def check_record(raw: RawRecord) -> Checked | list[Problem]:
    """Validate one raw record; return it checked, or every problem found in it."""
    data = raw.data
    if isinstance(data, BrokenLine):
        return [Problem(raw.where, "-", data.reason)]
    if raw.size > MAX_RECORD_BYTES:
        return [Problem(raw.where, "-", f"record longer than {MAX_RECORD_BYTES} bytes")]
    if not isinstance(data, dict):
        return [Problem(raw.where, "-", "a record must be a JSON object")]
    rtype = data.get("type")
    if not isinstance(rtype, str) or rtype not in RECORD_TYPES:
        known = ", ".join(RECORD_TYPES)
        return [Problem(raw.where, "type", f"unknown record type {rtype!r} (known: {known})")]
    if rtype == "event":
        fast = fast_event(data)
        if fast is not None:
            content, tx = fast
            return Checked(raw.where, rtype, content, content_digest(content), **tx)
    model = RECORD_TYPES[rtype]
    try:
        record: Record = model.model_validate(data)
    except ValidationError as e:
        return [_problem(raw.where, err, model) for err in e.errors()]
    content = content_of(record)
    return Checked(
        where=raw.where,
        rtype=rtype,
        content=content,
        digest=content_digest(content),
        recorded=record.recorded,
        retracted=record.retracted,
        recorded_by=record.recorded_by,
        retracted_by=record.retracted_by,
        retraction_reason=record.retraction_reason,
    )


def _problem(where: str, err: Any, model: type[Record]) -> Problem:
    loc = ".".join(str(p) for p in err["loc"])
    msg = str(err["msg"])
    if err["type"] == "extra_forbidden" and len(err["loc"]) == 1:
        known = ", ".join(f for f in model.model_fields if f != "type")
        return Problem(where, loc, f"unknown field (a {model.type} has: {known})")
    if err["type"] == "details":
        # Per-kind details validation names the detail field itself.
        return Problem(where, err["ctx"]["field"], err["ctx"]["reason"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if not loc and ": " in msg:
        # Validators that look at several fields name the field at the start of the message.
        field, _, msg = msg.partition(": ")
        return Problem(where, field, msg)
    if err["type"] == "string_too_long":
        msg = f"too long ({len(err['input'])} characters; at most {err['ctx']['max_length']})"
    return Problem(where, loc or "-", msg)
