"""Read a table out of a .csv, .xlsx, .docx or legacy .doc/.xls file, as rows of text cells.

The kind of file is told from its bytes (ZIP members, OLE2 signature), not its name.
Merged cells are filled with the merged value on every row and column they cover, so
that a header spanning two columns, or a section title spanning the whole width, reads
the same in each cell. Legacy binary files are converted with LibreOffice (`soffice`)
when it is installed; otherwise a clear error says what to do.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from khronika.listwatch.entries import ParseError
from khronika.listwatch.text import clean, decode

__all__ = ["Rows", "read_table", "sniff"]

#: A table: one list of cleaned cell texts per row (all tables of a document, in order).
Rows = list[list[str]]
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes) -> str:
    """Return `xlsx`, `docx`, `legacy` (OLE2 .doc/.xls) or `csv` for file bytes."""
    if data.startswith(_OLE2):
        return "legacy"
    if data.startswith(b"PK"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile as e:
            raise ParseError(f"damaged ZIP container: {e}") from e
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise ParseError("a ZIP file that is neither .docx nor .xlsx")
    return "csv"


def read_table(data: bytes, *, delimiter: str | None = None) -> Rows:
    """Return the rows of every table in the file, merged cells filled.

    Raises:
        ParseError: when the file cannot be read, or is legacy and LibreOffice is missing.
    """
    kind = sniff(data)
    if kind == "legacy":
        return read_table(_convert_legacy(data))
    if kind == "xlsx":
        return _read_xlsx(data)
    if kind == "docx":
        return _read_docx(data)
    return _read_csv(data, delimiter=delimiter)


def _read_csv(data: bytes, *, delimiter: str | None) -> Rows:
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    if delimiter is None:
        first = text.split("\n", 1)[0]
        delimiter = max((";", ",", "\t"), key=first.count)
    return [[clean(c) for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _read_xlsx(data: bytes) -> Rows:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as e:  # openpyxl raises many kinds; all mean "not readable"
        raise ParseError(f"unreadable .xlsx: {e}") from e
    rows: Rows = []
    for sheet in book.worksheets:
        grid = [[_cell_text(v) for v in r] for r in sheet.iter_rows(values_only=True)]
        for rng in sheet.merged_cells.ranges:
            top = grid[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= len(grid) else ""
            for r in range(rng.min_row - 1, min(rng.max_row, len(grid))):
                for c in range(rng.min_col - 1, min(rng.max_col, len(grid[r]))):
                    grid[r][c] = top
        rows.extend(grid)
    return rows


def _cell_text(value: object) -> str:
    """Text of a spreadsheet cell; dates as DD.MM.YYYY like the published lists."""
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return str(value.strftime("%d.%m.%Y"))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(str(value))


def _read_docx(data: bytes) -> Rows:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises many kinds; all mean "not readable"
        raise ParseError(f"unreadable .docx: {e}") from e
    rows: Rows = []
    for table in document.tables:
        # python-docx repeats a merged cell in each grid position it spans (both ways).
        rows.extend([clean(cell.text) for cell in row.cells] for row in table.rows)
    return rows


def _convert_legacy(data: bytes) -> bytes:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ParseError(
            "legacy .doc/.xls file: converting it needs LibreOffice (`soffice`), which is not "
            "installed; install it, or save the file as .docx/.xlsx and import that"
        )
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "list.doc"
        src.write_bytes(data)
        target = "docx" if b"W\x00o\x00r\x00d\x00D\x00o\x00c" in data else "xlsx"
        try:
            subprocess.run(
                [soffice, "--headless", "--convert-to", target, "--outdir", tmp, str(src)],
                check=True,
                capture_output=True,
                timeout=120,
            )
        except (subprocess.SubprocessError, OSError) as e:
            raise ParseError(f"LibreOffice could not convert the legacy file: {e}") from e
        out = Path(tmp) / f"list.{target}"
        if not out.exists():
            raise ParseError("LibreOffice produced no converted file")
        return out.read_bytes()
