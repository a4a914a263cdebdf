"""`table`: any list published as a table (.csv, .xlsx, .docx, legacy .doc) with a column mapping.

A mapping says which header holds which field, as lower-case header fragments:

    {"title": "…", "kind": "person", "identity": "name",
     "columns": {"name": ["фамилия", "фио"], "birth_date": ["дата рождения"],
                 "place": ["место рождения"]}}

`name` may instead be built from several columns: `"name_parts": ["surname", "given",
"patronymic"]`, each mapped in `columns`. With `"identity": "source_id"` a `source_id`
column is the list's own stable number; otherwise the row number (`№`) is a position and
is dropped. Shipped mappings (the Belarusian lists) are in `mappings/`, named in MAPPINGS.

Rows are read after the header: a row whose first non-empty cell is a number is an entry;
a row with one text repeated across it (a merged section title such as `Часть 2`) or an
empty row is skipped, so numbering may restart in each part. When no birth-date column is
mapped, a date in the name cell (`ФАМИЛИЯ Имя, 01.02.1990 г.р.`) is split off.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from khronika.listwatch.entries import KINDS, Entry, ParseError, ParseResult
from khronika.listwatch.formats.declaration import Format
from khronika.listwatch.formats.tabular import Rows, read_table
from khronika.listwatch.text import clean, parse_date, split_aliases

__all__ = ["FORMAT", "MAPPINGS", "load_mapping", "parse", "parse_rows"]

MAPPINGS: tuple[str, ...] = tuple(
    sorted(
        p.name.removesuffix(".json")
        for p in resources.files("khronika.listwatch.formats.mappings").iterdir()
        if p.name.endswith(".json")
    )
)
_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?$")
_DATE_IN_NAME = re.compile(r"\s*,?\s*(\d{1,2}\.\d{1,2}\.\d{4})\s*(?:г\.?\s*р\.?)?\s*,?\s*(.*)$")
_HEADER_SCAN = 30


def load_mapping(spec: str | dict[str, Any]) -> dict[str, Any]:
    """Return a mapping from a shipped name, a JSON file path, a JSON text or a dict.

    A short `field=header fragment,field=fragment` text is accepted too (the command line).

    Raises:
        ParseError: when the mapping is unknown or has no `name` column.
    """
    if isinstance(spec, dict):
        mapping = spec
    elif spec in MAPPINGS:
        path = resources.files("khronika.listwatch.formats.mappings") / f"{spec}.json"
        mapping = json.loads(path.read_text(encoding="utf-8"))
    elif spec.lstrip().startswith("{"):
        mapping = json.loads(spec)
    elif spec.endswith(".json") and Path(spec).is_file():
        mapping = json.loads(Path(spec).read_text(encoding="utf-8"))
    elif "=" in spec:
        columns: dict[str, list[str]] = {}
        for part in spec.split(","):
            field, _, fragment = part.partition("=")
            columns.setdefault(field.strip(), []).append(fragment.strip().lower())
        mapping = {"columns": columns}
    else:
        raise ParseError(f"unknown mapping {spec!r}; shipped: {', '.join(MAPPINGS)}")
    columns = mapping.get("columns") or {}
    if "name" not in columns and not mapping.get("name_parts"):
        raise ParseError("a table mapping needs a `name` column (or `name_parts`)")
    if mapping.get("kind", "person") not in KINDS:
        raise ParseError(f"mapping kind must be one of {', '.join(KINDS)}")
    return mapping


def parse(data: bytes, *, options: dict[str, Any] | None = None) -> ParseResult:
    """Parse a table file with `options["mapping"]` (see load_mapping).

    Raises:
        ParseError: without a mapping, when no header row matches it, or the file is unreadable.
    """
    spec = (options or {}).get("mapping")
    if not spec:
        raise ParseError("the `table` format needs a column mapping (--mapping NAME|FILE|a=b,…)")
    mapping = load_mapping(spec)
    return parse_rows(read_table(data, delimiter=mapping.get("delimiter")), mapping)


def parse_rows(rows: Rows, mapping: dict[str, Any]) -> ParseResult:
    """Turn table rows into entries according to `mapping` (already loaded)."""
    start, columns = _find_header(rows, mapping)
    kind = mapping.get("kind", "person")
    by_source = mapping.get("identity") == "source_id"
    entries: list[Entry] = []
    warnings: list[str] = []
    for n, row in enumerate(rows[start:], start=start + 1):
        cells = [c for c in row if c]
        if not cells or len(set(cells)) == 1 and not _NUMBER.match(cells[0]):
            continue  # empty row, or a merged section title spanning the width
        if not _NUMBER.match(cells[0]):
            warnings.append(f"row {n}: not an entry (no number first): {' | '.join(cells)[:80]}")
            continue
        values = {
            f: " ".join(_unique(row[i] for i in idx if i < len(row))) for f, idx in columns.items()
        }
        entry = _entry(values, mapping, kind=kind, by_source=by_source)
        if entry is None:
            warnings.append(f"row {n}: numbered row without a name")
        else:
            entries.append(entry)
    return ParseResult(tuple(entries), warnings=tuple(warnings))


def _find_header(rows: Rows, mapping: dict[str, Any]) -> tuple[int, dict[str, list[int]]]:
    """Find the header block; return the first row after it and field -> column indexes.

    The block runs from the first row matching the name column to the first numbered row,
    so a two-row header (merged group cells over sub-headers) is read as one.
    """
    wanted: dict[str, list[str]] = {
        f: [frag.lower() for frag in (v if isinstance(v, list) else [v])]
        for f, v in mapping.get("columns", {}).items()
    }
    name_fields = mapping.get("name_parts") or ["name"]
    for top in range(min(len(rows), _HEADER_SCAN)):
        end = top
        while end < len(rows) and not _is_entry_row(rows[end]):
            end += 1
        width = max((len(r) for r in rows[top:end]), default=0)
        titles = [
            " ".join(_unique(rows[r][c] for r in range(top, end) if c < len(rows[r]))).lower()
            for c in range(width)
        ]
        columns = {
            f: [c for c, t in enumerate(titles) if any(frag in t for frag in frags)]
            for f, frags in wanted.items()
        }
        # A column belongs to the first field that claims it (mapping order), so that
        # `дата рождения` is not also taken by a field looking for `дата`.
        taken: set[int] = set()
        for f in list(columns):
            columns[f] = (
                [c for c in columns[f] if c not in taken][:1]
                if f != "name"
                else [c for c in columns[f] if c not in taken]
            )
            taken.update(columns[f])
        if all(columns.get(f) for f in name_fields) and columns.get(name_fields[0]):
            if top == end:
                continue
            return end, {f: c for f, c in columns.items() if c}
    raise ParseError(
        f"no header row matches the mapping's name column {wanted.get('name') or name_fields}"
        f" in the first {_HEADER_SCAN} rows"
    )


def _is_entry_row(row: list[str]) -> bool:
    cells = [c for c in row if c]
    return bool(cells) and bool(_NUMBER.match(cells[0])) and len(set(cells)) > 1


def _unique(values: Any) -> list[str]:
    """Non-empty values in order, each once (merged cells repeat their text)."""
    seen: list[str] = []
    for v in values:
        if v and v not in seen:
            seen.append(v)
    return seen


def _entry(
    values: dict[str, str], mapping: dict[str, Any], *, kind: str, by_source: bool
) -> Entry | None:
    parts = mapping.get("name_parts")
    name = " ".join(values.get(p, "") for p in parts) if parts else values.get("name", "")
    name = clean(name)
    birth = parse_date(values.get("birth_date"))
    fields: dict[str, Any] = {}
    if "birth_date" not in values and (m := _DATE_IN_NAME.search(name)) and kind == "person":
        birth = parse_date(m[1])
        if m[2] and "place" not in values:
            fields["place"] = clean(m[2].rstrip(" ;.,")) or None
        name = clean(name[: m.start()])
    if not name:
        return None
    skip = {"name", "birth_date", "source_id", *(parts or ())}
    for field, value in values.items():
        if field in skip:
            continue
        if field == "aliases":
            fields["aliases"] = split_aliases(value)
        elif field.endswith("_on"):
            fields[field] = parse_date(value) or clean(value) or None
        else:
            fields[field] = clean(value) or None
    source = clean(values.get("source_id", "")) or None
    return Entry(
        name=name,
        kind=kind,
        source_id=source if by_source else None,
        birth_date=birth,
        fields=fields,
    )


#: What `khronika.listwatch.formats` registers; last, so that all it names is defined.
FORMAT = Format(
    name="table",
    version="1",
    identity="name",
    fields={
        "name": "the mapped name column(s), joined with spaces",
        "aliases": "a mapped `aliases` column, split on `;`, as a set",
        "birth_date": "a mapped birth-date column, or a date found in the name cell",
        "other": "every other mapped column as text; `*_on` columns as ISO dates",
    },
    options={"mapping": "a shipped mapping name, a JSON file, or `field=header fragment,…`"},
    parse=parse,
)
