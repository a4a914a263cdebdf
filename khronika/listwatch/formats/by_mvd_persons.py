"""`by-mvd-persons-docx`: the MVD's list of citizens and foreigners involved in extremist activity.

One part («Перечень граждан Республики Беларусь, иностранных граждан или лиц без
гражданства, причастных к экстремистской деятельности. Часть N») of the list the MVD
publishes as several binary .doc files, read as a .docx or as the tab-separated text a
converter prints (see `wordtable`); a binary .doc is refused with the command that
converts it. Import each part as its own list. One table of nine columns under a
two-level header (the name spans two sub-columns):

    № | ФИО: русскоязычное написание | латинская либо национальная транслитерация |
    Гражданство | Дата рождения | Основание для включения | Дата включения |
    Местонахождение | Справочная информация

Row boundaries are unreliable in the converted text (`\\t\\n` or `\\t\\t`, runs of empty
cells at page breaks, an extra empty cell after the name in fresh parts), so the cells are
read as one stream and each entry is found from its basis cell: a verdict or ruling
(`приговор`, `постановление` …) of a court, after a birth date (or an empty cell) or
before an inclusion date. The
birth date and citizenship are the two cells before it, the inclusion date(s), address
and remarks the three after it; the number, the Russian name and the transliteration are
the last cells before those, empty cells ignored. An excluded person's row (number kept,
every other cell `-`) has no basis, so it is skipped: the person is gone from the list.

Identity is the name with the birth date, like the Rosfinmonitoring list's. `№` is a
position within one part, and new entries in the last part are unnumbered until the MVD
numbers them, so it is kept as `source_id` (a number given later shows as a `source_id`
change) but never trusted to pair entries.

Articles are normalised to `<article>` or `<article> ч.<part>`: «частью 1 статьи 342,
статьей 364» gives `342 ч.1`, `364`; «частями 1, 2 статьи 361-4» gives `361-4 ч.1` and
`361-4 ч.2` (the form the KGB list's parser uses).
"""

from __future__ import annotations

import re
from typing import Any

from khronika.listwatch.entries import Entry, ParseError, ParseResult
from khronika.listwatch.formats.declaration import Format
from khronika.listwatch.formats.wordtable import read_word_rows
from khronika.listwatch.text import clean, parse_articles, parse_date

__all__ = ["FORMAT", "parse", "parse_articles"]


_WHAT = "the MVD list of persons involved in extremist activity"
_DASH = re.compile(r"^[-‐‑–—.\s]*$")
_NUMBER = re.compile(r"^\d+\.?$")
# A date, or a typo'd one (`07.04.198`): where a date is expected, it still marks the cell.
_DATE_LIKE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}$")
_DATES = re.compile(r"(?<!\d)\d{1,2}\.\d{1,2}\.\d{4}(?!\d)")
_BASIS_WORD = re.compile(
    r"(?<![а-яё])(?:приговор|постановлени|определени|решени)[а-яё]*", re.IGNORECASE
)
_BASIS_CONTEXT = re.compile(r"суд|стат|кодекс", re.IGNORECASE)
_MIN_BASIS = 25
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[А-Яа-яЁёІіЎў]")
_HEADER = ("основани", "рождени")


def parse(data: bytes, *, options: dict[str, Any] | None = None) -> ParseResult:
    """Parse one part of the list (.docx or converter text); return its person entries.

    Args:
        options: `part` (optional) labels every entry's `part` field, e.g. `Часть 4`.

    Raises:
        ParseError: for a binary .doc (convert it: see `wordtable.CONVERT`), a file that is
            not a Word table, or a table without the list's header.
    """
    _, rows = read_word_rows(data, what=_WHAT)
    cells = [c.replace("\xa0", " ").strip() for row in rows for c in row]
    anchors = [i for i in range(len(cells)) if _is_basis(cells, i)]
    head = " ".join(cells[: anchors[0]] if anchors else cells).lower()
    if not all(h in head for h in _HEADER):
        raise ParseError(
            f"no header naming «Дата рождения» and «Основание для включения в перечень»: "
            f"not {_WHAT}"
        )
    part = clean(str((options or {}).get("part") or "")) or None
    entries: list[Entry] = []
    warnings: list[str] = []
    excluded: list[str] = []
    end = 0
    for b in anchors:
        if b < end:
            continue  # a basis-like cell inside the previous entry (its remarks)
        entry = _entry(cells, end, b, part, excluded, warnings, first=not entries)
        if entry is not None:
            entries.append(entry)
        end = b + 4
    if entries and (rest := _leftover([c for c in cells[end:] if c], excluded)):
        warnings.append(f"cells after the last entry dropped: {' | '.join(rest)[:80]}")
    if excluded:
        warnings.append(
            f"{len(excluded)} excluded row(s) (number and dashes) skipped: № {', '.join(excluded)}"
        )
    return ParseResult(tuple(entries), warnings=tuple(warnings))


def _is_basis(cells: list[str], i: int) -> bool:
    """A basis cell: a court's verdict or ruling, after a birth date or before an inclusion date."""
    text = cells[i]
    if len(text) < _MIN_BASIS or not _BASIS_WORD.search(text) or not _BASIS_CONTEXT.search(text):
        return False
    after = cells[i + 1] if i + 1 < len(cells) else ""
    return _birth_before(cells, i) or bool(_DATES.search(after))


def _birth_before(cells: list[str], b: int) -> bool:
    """Whether the cell before the basis is the birth date (a date, a dash or empty)."""
    before = cells[b - 1] if b > 0 else ""
    return not before or bool(_DASH.match(before) or _DATE_LIKE.match(before))


def _entry(
    cells: list[str],
    start: int,
    b: int,
    part: str | None,
    excluded: list[str],
    warnings: list[str],
    *,
    first: bool,
) -> Entry | None:
    """Build the entry whose basis is cells[b]; its head runs from cells[start]."""
    head, citizenship, birth_cell = _split(cells, start, b)
    number, name, translit, leftover = _read_head(head, excluded)
    label = f"№ {number}" if number else f"unnumbered {clean(name or '')!r}"
    if leftover and not first:
        warnings.append(f"{label}: unexpected cells dropped: {' | '.join(leftover)[:80]}")
    if not name:
        warnings.append(f"{label}: a basis without a name, skipped: {clean(cells[b])[:60]!r}")
        return None
    birth_text = _text(birth_cell)
    birth = parse_date(birth_text)
    if birth_text and birth is None:
        warnings.append(f"{label}: unreadable birth date {birth_text!r}")
    after = [cells[i] if i < len(cells) else "" for i in (b + 1, b + 2, b + 3)]
    included = tuple(d for d in (parse_date(x) for x in _DATES.findall(after[0])) if d)
    basis = clean(cells[b])
    return Entry(
        name=name,
        kind="person",
        source_id=number,
        birth_date=birth,
        fields={
            "birth_text": birth_text if birth is None else None,
            "aliases": (translit,) if translit else (),
            "citizenship": _text(citizenship),
            "basis": basis,
            "articles": parse_articles(basis),
            "included_on": included[0] if included else None,
            "included_dates": included,
            "address": _text(after[1]),
            "remarks": _text(after[2]),
            "part": part,
        },
    )


def _split(cells: list[str], start: int, b: int) -> tuple[list[str], str, str]:
    """Return (head cells, citizenship, birth-date cell) of the entry whose basis is cells[b]."""
    if _birth_before(cells, b):
        return (
            cells[start : max(start, b - 2)],
            cells[b - 2] if b >= 2 else "",
            cells[b - 1] if b else "",
        )
    # No birth-date cell at all: the cell before the basis is the citizenship.
    return cells[start : max(start, b - 1)], cells[b - 1], ""


def _read_head(
    head: list[str], excluded: list[str]
) -> tuple[str | None, str | None, str | None, list[str]]:
    """Return (number, name, transliteration, leftover cells) from the cells before the birth date.

    Read from the end, empty cells skipped: a Latin (or `-`) cell is the transliteration,
    the Cyrillic cell before it the name, a number before that the entry's number.
    Whatever is left (the table header, excluded rows) is leftover; excluded numbers are
    added to `excluded`.
    """
    filled = [c for c in head if c]
    translit = name = number = None
    if filled and (_DASH.match(filled[-1]) or _is_latin(filled[-1])):
        t = filled.pop()
        translit = None if _DASH.match(t) else clean(t)
    if filled and _CYRILLIC.search(filled[-1]) and not _NUMBER.match(filled[-1]):
        name = clean(filled.pop())
    if filled and _NUMBER.match(filled[-1]):
        number = filled.pop().rstrip(".")
    return number, name, translit, _leftover(filled, excluded)


def _leftover(filled: list[str], excluded: list[str]) -> list[str]:
    """Return the cells that belong to no entry; add excluded rows' numbers to `excluded`."""
    leftover = []
    for i, c in enumerate(filled):
        if _NUMBER.match(c) and (i + 1 == len(filled) or _DASH.match(filled[i + 1])):
            excluded.append(c.rstrip("."))
        elif not _DASH.match(c):
            leftover.append(clean(c))
    return leftover


def _is_latin(text: str) -> bool:
    return len(_LATIN.findall(text)) > len(_CYRILLIC.findall(text))


def _text(value: str) -> str | None:
    text = clean(value)
    return None if not text or _DASH.match(text) else text


#: What `khronika.listwatch.formats` registers; last, so that all it names is defined.
FORMAT = Format(
    name="by-mvd-persons-docx",
    version="1",
    identity="name",
    fields={
        "name": "full name in Russian (ФИО, русскоязычное написание), one line",
        "birth_date": "date of birth (ISO); None, with a warning, when it is not a whole date",
        "birth_text": "the birth-date cell when it is not a date (`07.04.198`)",
        "aliases": "the transliteration (`IVANOU PIOTR`), as a set",
        "citizenship": "citizenship as written",
        "basis": "the basis for inclusion (a verdict or ruling) as written",
        "articles": "Criminal Code articles in the basis: `364`, `342 ч.1`, `361-4 ч.2`, as a set",
        "included_on": "first date of inclusion (ISO)",
        "included_dates": "every date of inclusion, in published order",
        "address": "Местонахождение as written",
        "remarks": "Справочная информация as written (not kept up to date in old parts)",
        "part": "the part's label when the import options give one (`part`)",
    },
    options={"part": "the part this list reads (`Часть 4`): fills every entry's `part` field"},
    parse=parse,
)
