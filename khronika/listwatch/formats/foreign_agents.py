"""`ru-foreign-agents-csv`: Russia's Ministry of Justice register of 'foreign agents' (CSV).

The CSV is converted from the official PDF; columns are found by their header text, so
an extra column (`Номер страницы в pdf`, a position in the PDF) is ignored, as positions
must never be compared. `№ п/п` is the register's own record number: it stays with its
record between editions (a re-inclusion gets a new number), so it is the source id.
A record with a birth date, or a name of two or three capitalised words, is a person.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from khronika.listwatch.entries import Entry, ParseError, ParseResult
from khronika.listwatch.formats.declaration import Format
from khronika.listwatch.text import clean, decode, parse_date

__all__ = ["FORMAT", "parse"]


# Header prefix (lower case) -> field; the first matching header wins.
_COLUMNS = (
    ("№", "number"),
    ("полное наименование/фио участников", "members"),
    ("полное наименование", "name"),
    ("дата рождения", "birth_date"),
    ("огрн", "ОГРН"),
    ("инн", "ИНН"),
    ("регистрационный номер", "РЕГ"),
    ("снилс", "СНИЛС"),
    ("адрес", "address"),
    ("информационный ресурс", "resources"),
    ("основания включения", "basis"),
    ("дата принятия решения о включении", "included_on"),
    ("дата принятия решения об исключении", "excluded_on"),
)
_PERSON = re.compile(r"^[А-ЯЁ][а-яё-]+(?: [А-ЯЁ][а-яё-]+){1,3}$")


def parse(data: bytes, *, options: dict[str, Any] | None = None) -> ParseResult:
    """Parse the register CSV; return one entry per record number.

    Raises:
        ParseError: when the name or number column is missing, or a number is not a number.
    """
    rows = list(csv.reader(io.StringIO(decode(data), newline="")))
    if not rows:
        raise ParseError("empty file")
    columns = _map_columns(rows[0])
    if "number" not in columns or "name" not in columns:
        raise ParseError(f"no `№ п/п` or `Полное наименование/ФИО` column in {rows[0]!r}")
    entries = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        cell = {f: clean(row[i]) if i < len(row) else "" for f, i in columns.items()}
        if not cell["number"].isdigit():
            raise ParseError(f"line {line}: record number {cell['number']!r} is not a number")
        entries.append(_entry(cell))
    return ParseResult(tuple(entries))


def _entry(cell: dict[str, str]) -> Entry:
    """One register record from its cleaned cells (field -> text)."""
    birth = parse_date(cell.get("birth_date"))
    regs = tuple(sorted(f"{k}:{cell[k]}" for k in ("ОГРН", "ИНН", "РЕГ", "СНИЛС") if cell.get(k)))
    person = birth is not None or (not regs and bool(_PERSON.match(cell["name"])))
    return Entry(
        name=cell["name"],
        kind="person" if person else "organisation",
        source_id=cell["number"],
        birth_date=birth,
        fields={
            "registration_numbers": regs,
            **{f: cell.get(f) or None for f in ("address", "resources", "members", "basis")},
            **{
                f: parse_date(cell.get(f)) or cell.get(f) or None
                for f in ("included_on", "excluded_on")
            },
        },
    )


def _map_columns(header: list[str]) -> dict[str, int]:
    """Map each known field to the index of its column (by header prefix)."""
    out: dict[str, int] = {}
    for index, title in enumerate(header):
        low = clean(title).lower()
        for prefix, field in _COLUMNS:
            if low.startswith(prefix) and field not in out:
                out[field] = index
                break
    return out


#: What `khronika.listwatch.formats` registers; last, so that all it names is defined.
FORMAT = Format(
    name="ru-foreign-agents-csv",
    version="1",
    identity="source_id",
    fields={
        "name": "full name of the organisation or person",
        "birth_date": "date of birth (persons)",
        "registration_numbers": "ОГРН, ИНН, registration number, СНИЛС, as a set of `KIND:value`",
        "address": "address (location)",
        "resources": "information resources (web sites, channels)",
        "members": "names of participants",
        "basis": "legal basis of the inclusion",
        "included_on": "date of the decision to include",
        "excluded_on": "date of the decision to exclude",
    },
    parse=parse,
)
