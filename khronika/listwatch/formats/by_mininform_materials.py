"""`by-mininform-materials-docx`: the Ministry of Information's Republican list of extremist materials.

Mininform publishes one Word file («Республиканский список экстремистских материалов»)
with a title and one table of three columns, and no row numbers:

    Вид (`Информационная продукция`, `Символика и атрибутика`) | Наименование (the
    description, with URLs, @handles and `(ID) … последовательность цифр …`) | the court,
    its decision date in words and the procedural clause

Read as a .docx or as the tab-separated text a converter prints from the .doc (see
`wordtable`); a binary .doc is refused with the command that converts it. The header row
(and any repetition of it) is skipped. A row broken by a page break comes as two rows, the
first with an empty court cell and the second with an empty Вид cell: they are joined. A
row with an empty court cell and no continuation is kept, with a warning.

The description is cleaned like every compared text (whitespace runs to one space, plain
quotes) and nothing else: URLs, handles and digit sequences stay as written, look-alike
Latin letters in Russian words included (matching folds them, the list does not).

Dates in the court cell are in words (`от 21 апреля 2022 года`, possibly broken over
lines); the first is the decision date, and old rows add the date the decision came into
force (`вступило в законную силу 13 июля 2015 года`). The list states no date of
inclusion, so `included_on` is always None. Identity is the name: positions shift
whenever an entry is removed, and the list has no numbers of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from khronika.listwatch.entries import Entry, ParseError, ParseResult
from khronika.listwatch.formats.declaration import Format
from khronika.listwatch.formats.wordtable import TEXT, read_word_rows
from khronika.listwatch.text import clean

__all__ = ["FORMAT", "parse", "parse_court", "parse_word_dates"]


_WHAT = "the Mininform list of extremist materials"
_WIDTH = 3
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        (
            "января",
            "февраля",
            "марта",
            "апреля",
            "мая",
            "июня",
            "июля",
            "августа",
            "сентября",
            "октября",
            "ноября",
            "декабря",
        )
    )
}
_DATE = r"(?P<d>\d{1,2})\s+(?P<m>[а-яё]+)\s+(?P<y>\d{4})(?!\d)|(?P<nd>\d{1,2})\.(?P<nm>\d{1,2})\.(?P<ny>\d{4})"
_WORD_DATE = re.compile(_DATE, re.IGNORECASE)
_DECISION = re.compile(
    r"(?:Решени[еяю]|Определени[еяю]|Постановлени[еяю])\s+(?P<court>.+?),?\s+от\s+(?:"
    + _DATE
    + ")",
    re.IGNORECASE,
)
_IN_FORCE = re.compile(r"законную\s+силу\s+(?:" + _DATE + ")", re.IGNORECASE)
_HEADER = ("вид экстремистских материалов", "наименование суда", "наименование, автор")


@dataclass(slots=True)
class _Row:
    """A table row, or a row and its continuations after page breaks, read so far."""

    row: int
    kind: str
    description: str
    court: str


def parse(data: bytes, *, options: dict[str, Any] | None = None) -> ParseResult:
    """Parse the list (.docx or converter text); return one material entry per table row.

    Raises:
        ParseError: for a binary .doc (convert it: see `wordtable.CONVERT`), a file that is
            not a Word table, or a table without the list's header.
    """
    form, raw = read_word_rows(data, what=_WHAT)
    rows = _regroup(raw) if form == TEXT else raw
    start = next((i for i, r in enumerate(rows) if _is_header(r)), None)
    if start is None:
        raise ParseError(
            f"no header «Вид экстремистских материалов … | Наименование … | Наименование суда …»: "
            f"not {_WHAT}"
        )
    warnings: list[str] = []
    found = _rows(rows, start + 1, warnings)
    entries = []
    for r in found:
        name = clean(r.description)
        if not name:
            warnings.append(f"row {r.row}: no description, skipped")
            continue
        if not clean(r.court):
            warnings.append(
                f"row {r.row}: empty court cell and no continuation row: kept without a decision"
            )
        entries.append(_entry(name, r, warnings))
    return ParseResult(tuple(entries), warnings=tuple(warnings))


def _regroup(chunks: list[list[str]]) -> list[list[str]]:
    """Rows of the text form, re-joined where a cell starting with a line break split a row.

    A `\\t\\n` ends a row, but it also appears where a cell's text starts with a line
    break; such a piece has fewer than three cells and is joined to the next piece.
    """
    rows: list[list[str]] = []
    pending: list[str] = []
    for cells in chunks:
        if not pending and not any(c.strip() for c in cells):
            continue  # blank lines or a page break between rows
        pending.extend(cells)
        if len(pending) >= _WIDTH or _is_header(pending) or _is_title(pending):
            rows.append(pending)
            pending = []
    if any(c.strip() for c in pending):
        rows.append(pending)
    return rows


def _is_header(cells: list[str]) -> bool:
    text = " ".join(clean(c).lower() for c in cells)
    return any(h in text for h in _HEADER)


def _is_title(cells: list[str]) -> bool:
    filled = [clean(c) for c in cells if c.strip()]
    return len(filled) == 1 and filled[0].lower().startswith("республиканский список")


def _rows(rows: list[list[str]], start: int, warnings: list[str]) -> list[_Row]:
    """Read the rows after the header; join page-split rows."""
    out: list[_Row] = []
    for n, cells in enumerate(rows[start:], start=start + 1):
        cells = list(cells)
        while len(cells) > _WIDTH and not cells[-1].strip():
            cells.pop()
        filled = [clean(c) for c in cells if c.strip()]
        if not filled or _is_header(cells) or _is_title(cells) or all(c.isdigit() for c in filled):
            continue  # an empty row, a repeated header, or a column-number row `1 2 3`
        if len(cells) < _WIDTH:
            warnings.append(f"row {n}: {len(cells)} cell(s) instead of 3, read as Вид | name")
            cells += [""] * (_WIDTH - len(cells))
        elif len(cells) > _WIDTH:
            warnings.append(f"row {n}: {len(cells)} cells; the middle ones joined as the name")
            cells = [cells[0], "\n".join(cells[1:-1]), cells[-1]]
        kind, description, court = cells
        previous = out[-1] if out else None
        if previous is not None and not clean(kind) and not clean(previous.court):
            # The second half of a row broken by a page break: empty Вид, the rest of the
            # description, and the court cell the first half lacked.
            previous.description = f"{previous.description}\n{description}"
            previous.court = court
            warnings.append(f"row {n}: continues row {previous.row} after a page break: joined")
            continue
        if not clean(kind):
            warnings.append(f"row {n}: empty Вид cell")
        out.append(_Row(n, kind, description, court))
    return out


def _entry(name: str, row: _Row, warnings: list[str]) -> Entry:
    basis = clean(row.court)
    court, decided, in_force = parse_court(basis)
    if basis and decided is None:
        warnings.append(f"row {row.row}: no decision date in the court cell {basis[:60]!r}")
    return Entry(
        name=name,
        kind="material",
        fields={
            "material_type": clean(row.kind) or None,
            "court": court,
            "decided_on": decided,
            "in_force_on": in_force,
            "basis": basis or None,
            "included_on": None,
        },
    )


def parse_court(cell: str) -> tuple[str | None, str | None, str | None]:
    """Return (court, decision date, in-force date) read from a court cell.

    The court is the text between `Решение` and `от <date>`, as written, except that a
    leading genitive `суда` becomes `суд`. Dates are ISO; each is None when absent.

    Examples:
        >>> parse_court("Решение суда Центрального района г. Минска от 30 июня 2015 года, "
        ...             "вступило в законную силу 13 июля 2015 года")
        ('суд Центрального района г. Минска', '2015-06-30', '2015-07-13')
    """
    text = clean(cell)
    court = None
    decided = None
    if m := _DECISION.search(text):
        court = re.sub(r"^суда\b", "суд", m["court"].strip(" ,.")) or None
        decided = _iso(m)
    else:
        dates = parse_word_dates(text)
        decided = dates[0] if dates else None
    in_force = _iso(f) if (f := _IN_FORCE.search(text)) else None
    return court, decided, in_force


def parse_word_dates(text: str) -> tuple[str, ...]:
    """Return every date in `text` as ISO, in order: `21 апреля 2022` or `21.04.2022`.

    Examples:
        >>> parse_word_dates("от 9 января\\n2024 года, вступило в силу 1.02.2024")
        ('2024-01-09', '2024-02-01')
    """
    return tuple(d for m in _WORD_DATE.finditer(clean(text)) if (d := _iso(m)))


def _iso(m: re.Match[str]) -> str | None:
    if m["d"]:
        month = _MONTHS.get(m["m"].lower())
        day, year = int(m["d"]), int(m["y"])
    else:
        month, day, year = int(m["nm"]), int(m["nd"]), int(m["ny"])
    if month is None:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


#: What `khronika.listwatch.formats` registers; last, so that all it names is defined.
FORMAT = Format(
    name="by-mininform-materials-docx",
    version="1",
    identity="name",
    fields={
        "name": "the description (Наименование), identifiers kept as written",
        "material_type": "the Вид column: `Информационная продукция`, `Символика и атрибутика`",
        "court": "the court that decided, as written (`суд Центрального района г. Минска`)",
        "decided_on": "date of the court decision (ISO), from the date in words",
        "in_force_on": "date the decision came into force (ISO), given in rows until about 2020",
        "basis": "the whole court cell (court, date, procedural clause)",
        "included_on": "always None: the list gives no date of inclusion",
    },
    parse=parse,
)
