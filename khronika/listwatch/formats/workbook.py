"""Read .xlsx workbooks for the list parsers: sheets as grids of raw cells, Excel dates, `д/о`.

Unlike `tabular.read_table`, which flattens every sheet into cleaned text, this keeps each
sheet apart (the Belarusian lists are picked by sheet name or content), keeps line breaks
inside a cell (broken URLs are repaired from them) and keeps numbers as numbers (dates are
often Excel serial numbers in a cell with no date format).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from khronika.listwatch.entries import ParseError
from khronika.listwatch.formats.tabular import sniff
from khronika.listwatch.text import clean, parse_date

__all__ = [
    "Cell",
    "Sheet",
    "cell_dates",
    "cell_text",
    "excel_serial_date",
    "no_data",
    "read_workbook",
    "value",
]

#: A raw cell value as openpyxl gives it (None for an empty cell).
Cell = str | int | float | datetime | date | None

# Serial numbers outside this range are not dates in these lists (1900 … 2099).
_SERIAL_MIN, _SERIAL_MAX = 1, 73_050
_NO_DATA = re.compile(r"^д\s*/\s*о\.?$", re.IGNORECASE)
_DATE_TEXT = re.compile(r"(?<!\d)(\d{1,2}\.\d{1,2}\.\d{4})(?!\d)")
# Only five digits: a four-digit text is far likelier a year than a date in 1902-1927.
_SERIAL_TEXT = re.compile(r"^\d{5}(?:\.0+)?$")


@dataclass(frozen=True, slots=True)
class Sheet:
    """One worksheet: its name and its rows of raw cells, merged ranges filled.

    Attributes:
        name: the sheet's tab name as published.
        rows: one list of cells per row, all as wide as the widest row.
    """

    name: str
    rows: list[list[Cell]]


def read_workbook(data: bytes, *, keep_merged_in: frozenset[int] = frozenset()) -> list[Sheet]:
    """Return the workbook's sheets in tab order, each merged range's value in every cell.

    Args:
        keep_merged_in: 0-based columns where only the top row of a vertically merged range
            keeps the value (the rows below stay empty). The list parsers pass the number
            column, so that an entry spanning two rows reads as one numbered row plus a
            continuation row, not as the same number twice.

    Raises:
        ParseError: when the bytes are not an .xlsx workbook or openpyxl cannot read it.
    """
    if sniff(data) != "xlsx":
        raise ParseError(
            "not an .xlsx workbook (expected a ZIP with xl/workbook.xml); "
            "a legacy .xls must be saved as .xlsx first"
        )
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as e:  # openpyxl raises many kinds; all mean "not readable"
        raise ParseError(f"unreadable .xlsx: {e}") from e
    sheets = []
    for ws in book.worksheets:
        grid: list[list[Cell]] = [list(r) for r in ws.iter_rows(values_only=True)]
        width = max((len(r) for r in grid), default=0)
        for row in grid:
            row.extend([None] * (width - len(row)))
        for rng in ws.merged_cells.ranges:
            if rng.min_row > len(grid):
                continue
            top = grid[rng.min_row - 1][rng.min_col - 1]
            for r in range(rng.min_row - 1, min(rng.max_row, len(grid))):
                for c in range(rng.min_col - 1, min(rng.max_col, width)):
                    if r > rng.min_row - 1 and c in keep_merged_in:
                        continue
                    grid[r][c] = top
        sheets.append(Sheet(ws.title, grid))
    return sheets


def cell_text(cell: Cell) -> str:
    """Return a cell as text with its line breaks kept (CRLF and CR made LF), not cleaned.

    Whole floats lose their `.0`; dates become DD.MM.YYYY like the published text.
    """
    if cell is None:
        return ""
    if isinstance(cell, datetime | date):
        return cell.strftime("%d.%m.%Y")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).replace("\r\n", "\n").replace("\r", "\n")


def no_data(text: str) -> bool:
    """True for `д/о` ("данных нет", no data), the lists' empty-value marker."""
    return bool(_NO_DATA.match(text.strip()))


def value(cell: Cell) -> str | None:
    """Return a cell cleaned (see text.clean), or None when it is empty or `д/о`."""
    text = clean(cell_text(cell))
    return None if not text or no_data(text) else text


def excel_serial_date(serial: float) -> str | None:
    """Return an Excel (1900 date system) serial number as an ISO date, None if out of range.

    Excel counts 1900 as a leap year: serial 60 is the non-existent 29 February 1900, so
    serials from 61 on are one day ahead of a plain count from 31 December 1899.

    Examples:
        >>> excel_serial_date(44487), excel_serial_date(59), excel_serial_date(61)
        ('2021-10-18', '1900-02-28', '1900-03-01')
    """
    if not _SERIAL_MIN <= serial <= _SERIAL_MAX or serial == 60:
        return None
    day = int(serial)
    base = date(1899, 12, 30) if day > 60 else date(1899, 12, 31)
    return (base + timedelta(days=day)).isoformat()


def cell_dates(cell: Cell) -> tuple[str, ...]:
    """Return every date in a cell as ISO dates, in the order written.

    A date-formatted cell gives its date; a number (or a text of five digits) is an Excel
    serial; a text gives each `D.M.YYYY` in it (`23.09.2022 13.04.2023` gives two).
    """
    if isinstance(cell, datetime | date):
        return (cell.strftime("%Y-%m-%d"),)
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        found = excel_serial_date(cell)
        return (found,) if found else ()
    text = clean(cell_text(cell))
    if _SERIAL_TEXT.match(text):
        found = excel_serial_date(float(text))
        return (found,) if found else ()
    return tuple(d for d in (parse_date(m) for m in _DATE_TEXT.findall(text)) if d)
