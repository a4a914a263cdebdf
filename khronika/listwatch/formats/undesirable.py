"""`ru-undesirable-json`: Russia's register of 'undesirable' organisations (JSON array).

Each object has `id` (the register's own number, the source id), `fullName` (Russian,
usually with the original name in brackets), `decisionInMinjust`, `decisionInGenproc`,
`decisionOutMinjust`, `decisionOutGenproc`, `dateIn`, `dateOut`. The bracketed original
name at the end of `fullName` is also kept as an alias, for screening.
"""

from __future__ import annotations

import json
import re
from typing import Any

from khronika.listwatch.entries import Entry, ParseError, ParseResult
from khronika.listwatch.formats.declaration import Format
from khronika.listwatch.text import clean, decode, parse_date

__all__ = ["FORMAT", "parse"]

_ORIGINAL = re.compile(r"\(([^()]*[A-Za-z][^()]*)\)\s*$")


def parse(data: bytes, *, options: dict[str, Any] | None = None) -> ParseResult:
    """Parse the JSON register.

    Raises:
        ParseError: when the file is not a JSON array of objects with `id` and `fullName`.
    """
    try:
        items = json.loads(decode(data))
    except ValueError as e:
        raise ParseError(f"not JSON: {e}") from e
    if not isinstance(items, list):
        raise ParseError("expected a JSON array of register records")
    entries = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not item.get("id") or not item.get("fullName"):
            raise ParseError(f"record {n}: needs `id` and `fullName`")
        name = clean(item["fullName"])
        original = _ORIGINAL.search(name)
        entries.append(
            Entry(
                name=name,
                kind="organisation",
                source_id=clean(str(item["id"])),
                fields={
                    "aliases": (clean(original[1]),) if original else (),
                    "decision_in": _join(item, "decisionInMinjust", "decisionInGenproc"),
                    "decision_out": _join(item, "decisionOutMinjust", "decisionOutGenproc"),
                    "included_on": _date(item.get("dateIn")),
                    "excluded_on": _date(item.get("dateOut")),
                },
            )
        )
    return ParseResult(tuple(entries))


def _join(item: dict[str, Any], minjust: str, genproc: str) -> str | None:
    """Both decisions, labelled, empty ones left out (`Минюст: …; Генпрокуратура: …`)."""
    parts = [
        f"{label}: {text}"
        for label, key in (("Минюст", minjust), ("Генпрокуратура", genproc))
        if (text := clean(str(item.get(key) or "")))
    ]
    return "; ".join(parts) or None


def _date(value: object) -> str | None:
    text = clean(str(value or ""))
    return parse_date(text) or text or None


#: What `khronika.listwatch.formats` registers; last, so that all it names is defined.
FORMAT = Format(
    name="ru-undesirable-json",
    version="1",
    identity="source_id",
    fields={
        "name": "full name as published (Russian, original name in brackets)",
        "aliases": "the original (usually Latin) name in the final brackets, as a set",
        "decision_in": "the decisions to include, `Минюст: …; Генпрокуратура: …`",
        "decision_out": "the decisions to exclude",
        "included_on": "date of inclusion (ISO)",
        "excluded_on": "date of exclusion (ISO)",
    },
    parse=parse,
)
