"""`ru-minjust-materials-csv`: Russia's federal list of extremist materials (CSV export).

The export is cp1251, `;`-separated, with quoted fields that run over several lines, and
comes with CRLF or LF line ends depending on who saved it. Columns: `#` (the list's own
number, stable between editions), `Материал`, `Дата включения` (given since 2017).
Each record is cleaned (NFC, whitespace, quotes) so that line-end accidents compare equal.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from khronika.listwatch.entries import Entry, ParseError, ParseResult
from khronika.listwatch.formats.declaration import Format
from khronika.listwatch.text import clean, decode, parse_date

__all__ = ["FORMAT", "parse"]


def parse(data: bytes, *, options: dict[str, Any] | None = None) -> ParseResult:
    """Parse the CSV export; the number in column `#` becomes the source id.

    Raises:
        ParseError: when the header is not `#;Материал;…` or a row has no number.
    """
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    if not rows or len(rows[0]) < 2 or clean(rows[0][0]) != "#":
        raise ParseError("expected a header `#;Материал;Дата включения` (cp1251, `;`-separated)")
    entries = []
    warnings = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        number = clean(row[0])
        if not number.isdigit() or len(row) < 2:
            raise ParseError(f"record {line}: no material number in {row[:2]!r}")
        date = clean(row[2]) if len(row) > 2 else ""
        included = parse_date(date)
        if date and included is None:
            warnings.append(f"record {line}: unreadable date {date!r}")
        entries.append(
            Entry(
                name=clean(row[1]),
                kind="material",
                source_id=number,
                fields={"included_on": included},
            )
        )
    return ParseResult(tuple(entries), warnings=tuple(warnings))


#: What `khronika.listwatch.formats` registers; last, so that all it names is defined.
FORMAT = Format(
    name="ru-minjust-materials-csv",
    version="1",
    identity="source_id",
    fields={
        "name": "the description of the material, with the court decision",
        "included_on": "date of inclusion (ISO), given for materials added since 2017",
    },
    parse=parse,
)
