"""Conversion between records (canonical content dicts) and table rows.

A row holds one version: its content in columns (JSON text for nested values, canonical,
keys sorted) and its transaction time. `row_from_content` and `content_from_row` are exact
inverses on canonical content, which is what makes export → import → export byte-identical.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from sqlalchemy import Row

from khronika.model.dates import PartialDate, export_timestamp, storage_timestamp
from khronika.model.records import RECORD_TYPES, Record

__all__ = ["FIELD_ORDER", "content_from_row", "dumps", "row_from_content", "tx_from_row"]

_SORT = orjson.OPT_SORT_KEYS


def dumps(value: Any) -> str:
    """Serialise a value as canonical JSON text (keys sorted, UTF-8 kept)."""
    return orjson.dumps(value, option=_SORT).decode()


# Fields of each type that are stored in a column of the same name, as is.
_PLAIN: dict[str, tuple[str, ...]] = {
    "meta": ("dataset", "licence", "synthetic", "description"),
    "organisation": ("name", "kind", "url"),
    "facility": ("name", "kind", "address", "public"),
    "source": ("url", "file", "title", "publisher", "retrieved", "sha256", "visibility"),
    "person": ("sex", "region", "visibility", "photo", "notes"),
    "event": ("person", "kind", "seq", "by", "visibility"),
}
# Declared field order per type (canonical export order, after `type` and `id`): the fields
# of each record model, in the order `content_of` writes them.
FIELD_ORDER: dict[str, tuple[str, ...]] = {
    rtype: tuple(f for f in model.model_fields if f != "id" and f not in Record.TX_FIELDS)
    for rtype, model in RECORD_TYPES.items()
}
_KNOWN = {t: {"type", "id", *fields} for t, fields in FIELD_ORDER.items()}


def row_from_content(
    rtype: str,
    content: dict[str, Any],
    *,
    digest: str,
    recorded: str,
    retracted: str | None = None,
    recorded_by: str | None = None,
    retracted_by: str | None = None,
    retraction_reason: str | None = None,
) -> dict[str, Any]:
    """Build the row of one version from its canonical content and transaction time.

    Timestamps are stored in their fixed-width form (see `storage_timestamp`).
    """
    row: dict[str, Any] = {
        "id": content["id"],
        "recorded": storage_timestamp(recorded),
        "retracted": storage_timestamp(retracted) if retracted else None,
        "recorded_by": recorded_by,
        "retracted_by": retracted_by,
        "retraction_reason": retraction_reason,
        "digest": digest,
    }
    for name in _PLAIN[rtype]:
        row[name] = content.get(name)
    extra = {k: v for k, v in content.items() if k not in _KNOWN[rtype]}
    row["extra"] = dumps(extra) if extra else None
    if rtype == "meta":
        row["synthetic"] = bool(content.get("synthetic", False))
    elif rtype == "facility":
        row["public"] = bool(content.get("public", False))
    elif rtype == "source":
        _date_columns(row, content.get("published"), "published", "published_lo", "published_hi")
        if row["retrieved"]:
            row["retrieved"] = storage_timestamp(row["retrieved"])
    elif rtype == "person":
        names = content["names"]
        # Names keep their canonical order and key order (name, lang, system, primary).
        row["names"] = orjson.dumps(names).decode()
        row["primary_name"] = names[0]["name"]
        row["search_text"] = "\n".join(n["name"].casefold() for n in names)
        _date_columns(row, content.get("birth_date"), "birth_date", "birth_lo", "birth_hi")
        row["story"] = dumps(content["story"]) if content.get("story") else None
    elif rtype == "event":
        _date_columns(row, content["date"], "date", "date_lo", "date_hi")
        row["details"] = dumps(content.get("details") or {})
        row["sources"] = dumps(content.get("sources") or [])
    return row


def _date_columns(row: dict[str, Any], text: str | None, col: str, lo: str, hi: str) -> None:
    if text is None:
        row[col] = row[lo] = row[hi] = None
        return
    d = PartialDate.parse(text)
    row[col], row[lo], row[hi] = d.text, d.lower, d.upper


def _json(text: str | None) -> Any:
    return None if text is None else orjson.loads(text)


def _details(text: str) -> Any:
    return orjson.loads(text) or None


def _timestamp(text: str | None) -> str | None:
    return export_timestamp(text) if text else None


def _same(value: Any) -> Any:
    return value


# How each field comes back from its column; a table, because export runs this a million
# times and a chain of ifs per field costs more than the rest of the work.
_READERS: dict[str, Callable[[Any], Any]] = {
    "names": orjson.loads,
    "story": _json,
    "details": _details,
    "sources": orjson.loads,
    "retrieved": _timestamp,
    "synthetic": bool,
    "public": bool,
}
_FIELD_READERS: dict[str, tuple[tuple[str, Callable[[Any], Any]], ...]] = {
    rtype: tuple((name, _READERS.get(name, _same)) for name in fields)
    for rtype, fields in FIELD_ORDER.items()
}


def content_from_row(rtype: str, row: Any) -> dict[str, Any]:
    """Rebuild the canonical content of a version from its row (inverse of the above).

    `row` is a SQLAlchemy Row or a mapping of column names.
    """
    m = row._mapping if isinstance(row, Row) else row
    out: dict[str, Any] = {"type": rtype, "id": m["id"]}
    for name, read in _FIELD_READERS[rtype]:
        value = m[name]
        if value is not None:
            value = read(value)
            if value is not None:
                out[name] = value
    if m["extra"]:
        out.update(orjson.loads(m["extra"]))
    return out


def tx_from_row(row: Any) -> dict[str, Any]:
    """Return the transaction-time fields of a row, canonical (nulls left out)."""
    m = row._mapping if isinstance(row, Row) else row
    out: dict[str, Any] = {"recorded": export_timestamp(m["recorded"])}
    if m["retracted"]:
        out["retracted"] = export_timestamp(m["retracted"])
    if m["recorded_by"]:
        out["recorded_by"] = m["recorded_by"]
    if m["retracted_by"]:
        out["retracted_by"] = m["retracted_by"]
    if m["retraction_reason"]:
        out["retraction_reason"] = m["retraction_reason"]
    return out
