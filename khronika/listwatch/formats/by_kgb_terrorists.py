"""`by-kgb-terrorists-xlsx`: the KGB's list of persons and organisations involved in terrorism.

The workbook `Перечень.xlsx` («Перечень организаций и физических лиц, причастных к
террористической деятельности») has three sheets, found by name, never by position:
«Перечень физических лиц» (persons), «Перечень организаций» and «Перечень террорист.
организаций» (organisations). Persons' columns, found by header text (A–H when no header
matches):

    № | ФИО (русскоязычное) | ФИО (транслитерация; alias notes after a line break) |
    Гражданство | Дата рождения | Адрес | Основание | Справочная информация

`№` is permanent (numbers of removed entries are not reused, so there are gaps), but each
sheet numbers its own rows, so `source_id` is the number prefixed by the sheet:
`person:1701`, `organisation:12`, `terrorist-organisation:3`. `д/о` (no data) in any cell
is None. The organisation sheets' layout is not documented: their columns are found by
header text (`наименование`, `транслит`/`латин`, `адрес`, `основани`, `справочн`).

Rows listed under UN Security Council sanctions (about half the persons) are kept, flagged
`un_listed`: they are on the published list, and leaving them out would hide their
additions and removals from the diff. Filter on the flag to see the Belarusian cases.
The file states no date of its own: give the edition date (the Telegram caption's) on import.
"""

from __future__ import annotations

import re
from typing import Any

from khronika.listwatch.entries import Entry, ParseError, ParseResult
from khronika.listwatch.formats.declaration import Format
from khronika.listwatch.formats.workbook import (
    Cell,
    Sheet,
    cell_dates,
    cell_text,
    read_workbook,
    value,
)
from khronika.listwatch.text import clean, parse_articles, parse_date

__all__ = ["FORMAT", "parse", "parse_articles", "split_aliases"]


# Sheet-name test, entry kind, part name and source_id prefix, in the order read.
_SHEETS = (
    (re.compile(r"физическ", re.IGNORECASE), "person", "persons", "person"),
    (
        re.compile(r"^(?!.*террор).*организац", re.IGNORECASE),
        "organisation",
        "organisations",
        "organisation",
    ),
    (
        re.compile(r"террор.*организац", re.IGNORECASE),
        "organisation",
        "terrorist_organisations",
        "terrorist-organisation",
    ),
)
# Header fragments per column; the first field claiming a column keeps it.
_HEADERS = (
    ("number", ("№",)),
    ("translit", ("латин", "транслит")),
    ("name", ("русскояз", "фамилия", "наименован")),
    ("citizenship", ("гражданств",)),
    ("birth", ("рождени",)),
    ("address", ("адрес", "местонахожд")),
    ("basis", ("основани",)),
    ("remarks", ("справочн",)),
)
_PERSON_COLUMNS = dict(
    zip(
        ("number", "name", "translit", "citizenship", "birth", "address", "basis", "remarks"),
        range(8),
        strict=True,
    )
)
_NUMBER = re.compile(r"^\s*(\d+)\s*\.?\s*$")
_HEADER_SCAN = 20
_AKA = re.compile(
    r"\s*,?\s*(?:на основании[^:]*?|может быть также|может быть|также)\s*"
    r"(?:известен|известна|известны)\s+как\s*:?\s*",
    re.IGNORECASE,
)
_UN = re.compile(r"Совета\s+Безопасности\s+ООН|Security\s+Council", re.IGNORECASE)
_ACCUSED = re.compile(r"обвиняется", re.IGNORECASE)
_CONVICTED = re.compile(r"законную\s+силу\s+приговор", re.IGNORECASE)


def parse(data: bytes, *, options: dict[str, Any] | None = None) -> ParseResult:
    """Parse the workbook; return the persons, then the organisations of both sheets.

    Raises:
        ParseError: when the file is not an .xlsx or has no «Перечень физических лиц» sheet.
    """
    sheets = read_workbook(data, keep_merged_in=frozenset({0}))
    entries: list[Entry] = []
    warnings: list[str] = []
    for test, kind, part, prefix in _SHEETS:
        sheet = next((s for s in sheets if test.search(s.name)), None)
        if sheet is None:
            if kind == "person":
                names = ", ".join(repr(s.name) for s in sheets) or "none"
                raise ParseError(
                    f"no «Перечень физических лиц» sheet: not the KGB terrorist list; "
                    f"sheets: {names}"
                )
            warnings.append(f"no sheet for {part}: only the persons were read")
            continue
        entries.extend(_read_sheet(sheet, kind, part, prefix, warnings))
    _warn_duplicates(entries, warnings)
    return ParseResult(tuple(entries), warnings=tuple(warnings))


def _read_sheet(
    sheet: Sheet, kind: str, part: str, prefix: str, warnings: list[str]
) -> list[Entry]:
    columns = _columns(sheet, kind)
    out = []
    for n, row in enumerate(sheet.rows, start=1):
        number = _NUMBER.match(cell_text(_cell(row, columns, "number")))
        if number is None:
            continue  # title, header, or an empty row
        cells = {f: _cell(row, columns, f) for f in columns}
        entry = _entry(cells, kind, part, f"{prefix}:{number[1]}")
        if entry is None:
            warnings.append(f"{sheet.name!r} row {n}: № {number[1]} has no name; skipped")
        else:
            out.append(entry)
    return out


def _columns(sheet: Sheet, kind: str) -> dict[str, int]:
    """Field -> column, from the header rows above the first numbered row."""
    claimed: dict[str, int] = {}
    for row in sheet.rows[:_HEADER_SCAN]:
        if _NUMBER.match(cell_text(row[0] if row else None)):
            break
        for c, cell in enumerate(row):
            title = clean(cell_text(cell)).lower()
            for field, fragments in _HEADERS:
                free = field not in claimed and c not in claimed.values()
                if free and any(f in title for f in fragments):
                    claimed[field] = c
                    break
    if "name" in claimed and "number" in claimed:
        return claimed
    if kind == "person":
        return dict(_PERSON_COLUMNS)
    return {"number": 0, "name": 1}


def _cell(row: list[Cell], columns: dict[str, int], field: str) -> Cell:
    col = columns.get(field)
    return row[col] if col is not None and col < len(row) else None


def _entry(cells: dict[str, Cell], kind: str, part: str, source_id: str) -> Entry | None:
    name = value(cells.get("name"))
    if name is None:
        return None
    basis = value(cells.get("basis"))
    fields: dict[str, Any] = {
        "aliases": split_aliases(cell_text(cells.get("translit"))),
        "address": value(cells.get("address")),
        "basis": basis,
        "articles": parse_articles(basis or ""),
        "status": _status(basis or ""),
        "un_listed": bool(_UN.search(basis or "")),
        "remarks": value(cells.get("remarks")),
        "part": part,
    }
    birth = None
    if kind == "person":
        fields["citizenship"] = value(cells.get("citizenship"))
        dates = cell_dates(cells.get("birth"))
        # A year alone (`1965`) is a partial date; two dates in the cell are a range.
        birth = dates[0] if len(dates) == 1 else parse_date(value(cells.get("birth")))
        fields["birth_text"] = None if birth else value(cells.get("birth"))
    return Entry(name=name, kind=kind, source_id=source_id, birth_date=birth, fields=fields)


def split_aliases(text: str) -> tuple[str, ...]:
    """Return the transliteration and the aliases of a column C cell, as a sorted set.

    `IVANOU PIOTR\\r\\nНа основании достоверных источников также известен как: A, B` gives
    the transliteration, `A` and `B`; a note of `д/о` (no data) gives nothing.
    """
    flat = clean(text)
    m = _AKA.search(flat)
    head, note = (flat[: m.start()], flat[m.end() :]) if m else (flat, "")
    names = [head, *re.split(r"[;,]", note)]
    out = {clean(n).strip(" .") for n in names}
    return tuple(sorted(n for n in out if n and n not in ("-", "—") and value(n) is not None))


def _status(basis: str) -> str | None:
    if _CONVICTED.search(basis):
        return "convicted"
    if _ACCUSED.search(basis):
        return "accused"
    return None


def _warn_duplicates(entries: list[Entry], warnings: list[str]) -> None:
    seen: set[str] = set()
    for e in entries:
        if e.source_id in seen:
            warnings.append(f"№ {e.source_id} appears twice: the second is matched by name")
        seen.add(e.source_id or "")


#: What `khronika.listwatch.formats` registers; last, so that all it names is defined.
FORMAT = Format(
    name="by-kgb-terrorists-xlsx",
    version="1",
    identity="source_id",
    fields={
        "name": "full name in Russian (persons) or the organisation's name",
        "birth_date": "date of birth from an Excel serial or `DD.MM.YYYY` text, ISO (persons)",
        "birth_text": "the birth-date cell when it is not a date (`Между 1965 и 1969`)",
        "aliases": "the transliteration and the names after «также известен как:», as a set",
        "citizenship": "citizenship as written (persons)",
        "address": "address or region as written",
        "basis": "the basis for inclusion as written",
        "articles": "Criminal Code articles in the basis: `289`, `289-1`, `309 ч.4`, as a set",
        "status": "`accused` («Обвиняется»), `convicted` (a verdict in force) or None",
        "un_listed": "True when the basis is a UN Security Council sanctions list",
        "remarks": "reference information (Справочная информация)",
        "part": "the sheet: `persons`, `organisations` or `terrorist_organisations`",
    },
    parse=parse,
)
