"""Read the table of a Word list: a .docx, or the text a converter prints from a binary .doc.

The Belarusian lists are published as binary .doc files, which khronika does not read
itself. It reads what they convert to:

* a .docx (LibreOffice, Word): every table's rows, a cell spanning several grid columns
  given once, line breaks inside a cell kept as `\\n`;
* the text word-extractor and antiword-like tools print: each cell ends with a tab, a row
  ends with `\\t\\n`, a line break inside a cell stays a `\\n` (UTF-8 or cp1251).

The kind is told from the bytes, never from the file name (a .docx is often saved with a
.doc extension). A binary .doc is refused with the command that converts it.
"""

from __future__ import annotations

import io

from khronika.listwatch.entries import ParseError
from khronika.listwatch.formats.tabular import sniff
from khronika.listwatch.text import decode

__all__ = ["CONVERT", "DOCX", "TEXT", "read_word_rows"]

#: Which form a document came in: `docx`, or `text` (tab-separated converter output).
DOCX, TEXT = "docx", "text"

#: How to turn a binary .doc into something khronika reads (quoted in the error message).
CONVERT = "libreoffice --headless --convert-to docx FILE"


def read_word_rows(data: bytes, *, what: str) -> tuple[str, list[list[str]]]:
    """Return the document's form (DOCX or TEXT) and the rows of its tables, as raw cell texts.

    Cell texts are not cleaned: line breaks and spaces are as published, so a parser can
    still tell where a cell broke. In the text form a row is what lies between two `\\t\\n`,
    split on tabs; row boundaries there are only as good as the converter's.

    Args:
        what: the list's name, for error messages (`the Mininform list`).

    Raises:
        ParseError: for a binary .doc (the message gives the conversion command), an .xlsx
            or other ZIP, a damaged .docx, or text without a single tab-separated cell.
    """
    kind = sniff(data)
    if kind == "legacy":
        raise ParseError(
            f"this is a binary Word .doc file; khronika reads {what} as .docx or as the text "
            f"word-extractor/antiword print. Convert it first: `{CONVERT}`, then import the .docx"
        )
    if kind == "xlsx":
        raise ParseError(f"an .xlsx workbook, not a Word document: not {what}")
    if kind == "docx":
        return DOCX, _docx_rows(data)
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    if "\t" not in text:
        raise ParseError(
            f"no table: expected {what} as .docx, or as the tab-separated text "
            "word-extractor/antiword print of the .doc"
        )
    return TEXT, [chunk.split("\t") for chunk in text.split("\t\n")]


def _docx_rows(data: bytes) -> list[list[str]]:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises many kinds; all mean "not readable"
        raise ParseError(f"unreadable .docx: {e}") from e
    rows: list[list[str]] = []
    for table in document.tables:
        for row in table.rows:
            cells: list[str] = []
            last = None
            for cell in row.cells:
                # python-docx repeats a cell once per grid column it spans; keep it once,
                # as the text form has it (a vertically merged cell still repeats per row).
                if cell._tc is last:
                    continue
                last = cell._tc
                cells.append(cell.text)
            rows.append(cells)
    return rows
