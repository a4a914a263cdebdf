"""CSV interchange for spreadsheet users: a zip of one CSV file per record type.

Columns are documented in docs/format.md. Lists are joined with `|`; names and stories get a
column per language (`name__be`, `name__ru`, `name__be-Latn`, `name__be-Latn__passport` when
a romanisation system is given; `story__en`); the `primary` column names the column of the
primary name (the first name of that cell). Details that have no column of their own, and
fields of an older file, travel as JSON in `details_extra` and `extra`. An empty cell means "not
given". Reading then writing gives back the same bytes.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from typing import IO, Any

import orjson

from khronika.registry.validate import BrokenLine, RawRecord
from khronika.storage.rows import FIELD_ORDER

__all__ = ["CSV_FILES", "read_csv_zip", "write_csv_zip"]

#: File name in the zip for each record type.
CSV_FILES: dict[str, str] = {
    "meta": "meta.csv",
    "organisation": "organisations.csv",
    "facility": "facilities.csv",
    "source": "sources.csv",
    "person": "people.csv",
    "event": "events.csv",
}
_TX = ["recorded", "retracted", "recorded_by", "retracted_by", "retraction_reason"]
# Fields laid out over columns of their own (a name or story column per language, a column
# per detail) instead of one cell; the names leave in their place the column `primary`.
_SPREAD: dict[str, list[str]] = {"names": ["primary"], "story": [], "details": []}
# The columns of one cell per field: the id, then the fields in their declared order.
_FIXED: dict[str, list[str]] = {
    rtype: ["id", *(col for f in fields for col in _SPREAD.get(f, [f]))]
    for rtype, fields in FIELD_ORDER.items()
}
# Event details with a column of their own, and the JSON type each column holds.
_DETAIL_COLUMNS: dict[str, type] = {
    "facility": str,
    "proceeding": str,
    "articles": list,
    "case_number": str,
    "court": str,
    "judge": str,
    "sentence_months": int,
    "sentence_type": str,
    "basis": str,
    "list": str,
    "entry": str,
}
_BOOL = {"meta": {"synthetic"}, "facility": {"public"}}
_INT = {"event": {"seq"}}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "|".join(str(v) for v in value)
    return str(value)


def _name_column(name: dict[str, Any]) -> str:
    col = f"name__{name['lang']}"
    return f"{col}__{name['system']}" if name.get("system") else col


def _rows(rtype: str, records: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """Lay out records of one type as a header and rows of cells."""
    fixed = _FIXED[rtype]
    dynamic: set[str] = set()
    laid: list[dict[str, str]] = []
    for rec in records:
        row: dict[str, str] = {}
        extra: dict[str, Any] = {}
        for key, value in rec.items():
            if key == "type":
                continue
            if key in fixed or key in _TX:
                row[key] = _cell(value)
            elif rtype == "person" and key == "names":
                cells: dict[str, list[str]] = {}
                for n in value:
                    cells.setdefault(_name_column(n), []).append(n["name"])
                row["primary"] = _name_column(value[0])
                for col, names in cells.items():
                    row[col] = "|".join(names)
                    dynamic.add(col)
            elif rtype == "person" and key == "story":
                for lang, text in value.items():
                    row[f"story__{lang}"] = text
                    dynamic.add(f"story__{lang}")
            elif rtype == "event" and key == "details":
                rest = {}
                for dk, dv in value.items():
                    kind = _DETAIL_COLUMNS.get(dk)
                    fits = kind is not None and isinstance(dv, kind) and not isinstance(dv, bool)
                    if fits and kind is list:
                        fits = all(isinstance(x, str) for x in dv)
                    if fits:
                        row[dk] = _cell(dv)
                    else:
                        rest[dk] = dv
                if rest:
                    row["details_extra"] = orjson.dumps(rest, option=orjson.OPT_SORT_KEYS).decode()
            else:
                extra[key] = value
        if extra:
            row["extra"] = orjson.dumps(extra, option=orjson.OPT_SORT_KEYS).decode()
        laid.append(row)
    middle = sorted(dynamic) if rtype == "person" else []
    if rtype == "event":
        middle = [*_DETAIL_COLUMNS, "details_extra"]
    header = [*fixed, *middle, "extra", *_TX]
    return header, [[row.get(col, "") for col in header] for row in laid]


def write_csv_zip(records: Iterable[dict[str, Any]], stream: IO[bytes]) -> int:
    """Write canonical records as a CSV zip; return how many were written."""
    by_type: dict[str, list[dict[str, Any]]] = {t: [] for t in CSV_FILES}
    n = 0
    for rec in records:
        by_type[rec["type"]].append(rec)
        n += 1
    # A fixed timestamp inside the zip, so that equal data gives equal bytes.
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for rtype, name in CSV_FILES.items():
            header, rows = _rows(rtype, by_type[rtype])
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\r\n")
            writer.writerow(header)
            writer.writerows(rows)
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            # A BOM so that spreadsheet programs read UTF-8 as UTF-8.
            zf.writestr(info, "\ufeff" + buf.getvalue())
    return n


def read_csv_zip(stream: IO[bytes], name: str) -> Iterator[RawRecord]:
    """Yield the records of a CSV zip with their `NAME/FILE.csv:LINE`."""
    try:
        zf = zipfile.ZipFile(stream)
    # A damaged directory can fail in a name's decoding, the offsets or the version too.
    except (zipfile.BadZipFile, UnicodeDecodeError, ValueError, EOFError, OSError,
            NotImplementedError):  # fmt: skip
        yield RawRecord(f"{name}:0", BrokenLine("not a zip file (a CSV export is a zip)"))
        return
    with zf:
        members = set(zf.namelist())
        unknown = members - set(CSV_FILES.values())
        for member in sorted(unknown):
            yield RawRecord(f"{name}/{member}:0", BrokenLine(f"unexpected file {member!r}"))
        for rtype, member in CSV_FILES.items():
            if member not in members:
                continue
            try:
                text = zf.read(member).decode("utf-8-sig")
            except UnicodeDecodeError as e:
                yield RawRecord(f"{name}/{member}:0", BrokenLine(f"not UTF-8: {e}"))
                continue
            # Damaged, encrypted or in a compression zipfile does not read.
            except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError):
                yield RawRecord(f"{name}/{member}:0", BrokenLine("the zip's member is damaged"))
                continue
            reader = csv.reader(io.StringIO(text, newline=""))
            header = next(reader, None)
            if header is None:
                continue
            for cells in reader:
                where = f"{name}/{member}:{reader.line_num}"
                if not any(cells):
                    continue
                if len(cells) != len(header):
                    yield RawRecord(
                        where,
                        BrokenLine(f"{len(cells)} cells where the header has {len(header)}"),
                    )
                    continue
                yield RawRecord(where, _record(rtype, dict(zip(header, cells, strict=True))))


def _record(rtype: str, row: dict[str, str]) -> dict[str, Any] | BrokenLine:
    """Turn one CSV row back into a raw record (validation happens later)."""
    out: dict[str, Any] = {"type": rtype}
    names: list[dict[str, Any]] = []
    story: dict[str, str] = {}
    details: dict[str, Any] = {}
    primary_col = row.get("primary", "")
    for col, cell in row.items():
        if cell == "" or col == "primary":
            continue
        if rtype == "person" and col.startswith("name__"):
            _, lang, *system = col.split("__")
            items: list[dict[str, Any]] = [
                {"name": t, "lang": lang, **({"system": system[0]} if system else {})}
                for t in cell.split("|")
            ]
            if col == primary_col:
                items[0]["primary"] = True
            names.extend(items)
        elif rtype == "person" and col.startswith("story__"):
            story[col[len("story__") :]] = cell
        elif rtype == "event" and col in _DETAIL_COLUMNS:
            kind = _DETAIL_COLUMNS[col]
            details[col] = (
                cell.split("|") if kind is list else _number(cell) if kind is int else cell
            )
        elif col in ("extra", "details_extra"):
            try:
                parsed = orjson.loads(cell)
            except orjson.JSONDecodeError as e:
                return BrokenLine(f"{col}: not JSON: {e}")
            if not isinstance(parsed, dict):
                return BrokenLine(f"{col}: must be a JSON object")
            (details if col == "details_extra" else out).update(parsed)
        elif col == "sources":
            out[col] = cell.split("|")
        elif col in _BOOL.get(rtype, ()):
            out[col] = {"true": True, "false": False}.get(cell.lower(), cell)
        elif col in _INT.get(rtype, ()):
            out[col] = _number(cell)
        else:
            out[col] = cell
    if names:
        out["names"] = names
    if story:
        out["story"] = story
    if details:
        out["details"] = details
    return out


def _number(cell: str) -> Any:
    try:
        return int(cell)
    except ValueError:
        return cell  # validation reports the wrong type with the field's name
