"""`by-mvd-formations-xlsx`: the MVD's list of organisations and formations recognised as extremist.

The .xlsx published at mvd.gov.by («Перечень организаций, формирований, индивидуальных
предпринимателей, причастных к экстремистской деятельности»). The sheet is the one whose
header names `Наименование` and `Основание` above rows numbered `N.`, and whose title or
names say «экстремист…»; its position in the workbook does not matter. Columns A–J:

    A № (`101.`)  B full name  C short names (`«A» /\\n«B»`)  D links (`… ID:1200000001`)
    E address or resource (URLs broken across lines)  F basis (decisions, later ones appended)
    G in force on  H included on (Excel serials or text, sometimes two dates)
    I reference information  J logo

A numbered row opens an entry; an unnumbered row below it is a continuation (a page break,
or a row merged in A and B) and its cells are appended to the entry's; title and header
rows are skipped. Vertically merged cells give their value to every row they cover.

Identity is the name: whether the MVD keeps a number when an entry above is removed is not
known, so the number is kept as `source_id` (a renumbering shows as a `source_id` change)
but is never trusted to pair entries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from khronika.listwatch.entries import Entry, ParseError, ParseResult
from khronika.listwatch.formats.declaration import Format
from khronika.listwatch.formats.workbook import Cell, Sheet, cell_dates, cell_text, read_workbook
from khronika.listwatch.text import clean

__all__ = ["FORMAT", "parse", "parse_decisions", "parse_links", "repair_urls"]


_A, _B, _C, _D, _E, _F, _G, _H, _I, _J = range(10)
_WIDTH = 10
_NUMBER = re.compile(r"^\s*(\d+)\s*\.?\s*$")
_HEADER_SCAN = 30

# A URL token: scheme or `www.`, or a bare `t.me/` not inside another URL.
_URL = re.compile(r"(?:https?://|www\.|(?<![\w./])t\.me/)[^\s«»\"<>,;]*")
_URL_BREAK = re.compile(
    r"(?P<url>(?:https?://|www\.|(?<![\w./])t\.me/)[^\s«»\"<>,;]*)"
    r"(?P<gap>[ \t]*\n[ \t]*|[ \t]+)(?=(?P<next>\S+))"
)
_PATH_PART = re.compile(r"^[A-Za-z0-9_][\w.\-/?=&%#+~]*")
_TLD_PART = re.compile(r"^[a-z]{2,}(?:/|$)")
_ID_LABEL = re.compile(r"^\(?ID\)?\s*:")
_GLUED_ID = re.compile(r"(?<=[A-Za-z0-9_])ID(?=\s*:)")
_ID = re.compile(r"\(?\bID\)?,?\s*(?:содержащ\w*\s+последовательность\s+цифр\s*)?:?\s*(\d{5,})")
_HANDLE = re.compile(r"(?<![\w/.@])@[A-Za-z0-9_][A-Za-z0-9_.]{2,}")
_TRAILING = ".,;:)»\"'"

_DECISION = re.compile(
    r"(?:Решени[еяю]|Постановлени[еяю])\s+(?P<by>[^«»\"]{1,120}?)\s+от\s+"
    r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?:\s*г\.?)?"
    r"(?:\s*№\s*(?P<no>\d[\d/\-]*(?:\s?[А-ЯЁ]{2}(?![А-Яа-яЁё]))?))?"
)
_ISSUERS = {
    "министерства внутренних дел": "МВД",
    "комитета государственной безопасности": "КГБ",
}


def parse(data: bytes, *, options: dict[str, Any] | None = None) -> ParseResult:
    """Parse the workbook; return one organisation entry per numbered row.

    Raises:
        ParseError: when the file is not an .xlsx or no sheet holds the formations table.
    """
    sheets = read_workbook(data, keep_merged_in=frozenset({_A}))
    sheet = _pick_sheet(sheets)
    entries: list[Entry] = []
    warnings: list[str] = []
    for record in _records(sheet, warnings):
        entry = _entry(record)
        if entry is None:
            warnings.append(f"{sheet.name!r} row {record.row}: entry {record.number}. has no name")
        else:
            entries.append(entry)
    return ParseResult(tuple(entries), warnings=tuple(warnings))


def _pick_sheet(sheets: list[Sheet]) -> Sheet:
    """The sheet with a `Наименование … Основание` header above numbered rows, on extremism.

    "Extremist" must occur in the title, the header or the names (`Экстремистское
    формирование «…»`): the KGB's terrorist list has sheets of the same shape.
    """
    for sheet in sheets:
        entries = [r for r in sheet.rows if _is_entry_row(r)]
        header = " ".join(
            cell_text(c).lower()
            for row in sheet.rows[:_HEADER_SCAN]
            if not _is_entry_row(row)
            for c in row
        )
        names = " ".join(cell_text(r[_B]).lower() for r in entries)
        if (
            entries
            and "наименован" in header
            and "основани" in header
            and "экстремист" in f"{header} {names}"
        ):
            return sheet
    tabs = ", ".join(repr(s.name) for s in sheets) or "none"
    raise ParseError(
        "no sheet holds the MVD formations table (a header naming «Наименование» and "
        f"«Основание» above rows numbered `1.`, on extremist formations); sheets: {tabs}"
    )


def _is_entry_row(row: list[Cell]) -> bool:
    """A row numbered in column A with a name in B (a column-number row `1 2 3 …` is not)."""
    number = _NUMBER.match(cell_text(row[_A])) if row else None
    if number is None or len(row) <= _B or not cell_text(row[_B]).strip():
        return False
    return not _NUMBER.match(cell_text(row[_B]))


@dataclass(slots=True)
class _Record:
    """A numbered row and its continuation rows, read so far."""

    number: str
    row: int
    texts: list[str]
    in_force: list[str] = field(default_factory=list)
    included: list[str] = field(default_factory=list)

    def add_dates(self, raw: list[Cell]) -> None:
        """Add the G and H dates of a row (raw cells: a serial must stay a number)."""
        for target, cell in ((self.in_force, raw[_G]), (self.included, raw[_H])):
            target.extend(d for d in cell_dates(cell) if d not in target)


def _records(sheet: Sheet, warnings: list[str]) -> list[_Record]:
    """Group the rows into records: a numbered row plus the continuation rows below it."""
    records: list[_Record] = []
    for n, row in enumerate(sheet.rows, start=1):
        raw = list(row[:_WIDTH]) + [None] * (_WIDTH - len(row[:_WIDTH]))
        texts = [cell_text(c).strip() for c in raw]
        if _is_entry_row(row):
            m = _NUMBER.match(texts[_A])
            assert m is not None
            records.append(_Record(m[1], n, texts))
            records[-1].add_dates(raw)
            continue
        filled = [t for t in texts if t]
        if not filled or not records:
            continue  # an empty row, or the title and header above the first entry
        if texts[_A] or (len(filled) > 1 and len(set(filled)) == 1):
            warnings.append(f"{sheet.name!r} row {n}: skipped (title or header): {filled[0][:60]}")
            continue
        record = records[-1]
        for col in range(_WIDTH):
            # A value equal to the entry's own is a merged cell repeated: not new text.
            if texts[col] and texts[col] != record.texts[col] and col not in (_G, _H):
                record.texts[col] = f"{record.texts[col]}\n{texts[col]}".strip()
        record.add_dates(raw)
        warnings.append(f"{sheet.name!r} row {n}: continuation merged into entry {record.number}.")
    return records


def _entry(record: _Record) -> Entry | None:
    texts = record.texts
    name = clean(texts[_B])
    if not name:
        return None
    basis = clean(texts[_F])
    return Entry(
        name=name,
        kind="organisation",
        source_id=record.number,
        fields={
            "short_names": _short_names(texts[_C]),
            "links": tuple(sorted(set(parse_links(texts[_D]) + parse_links(texts[_E])))),
            "address": clean(repair_urls(texts[_E])) or None,
            "basis": basis or None,
            "decisions": parse_decisions(basis),
            "in_force_on": record.in_force[0] if record.in_force else None,
            "in_force_dates": tuple(record.in_force),
            "included_on": record.included[0] if record.included else None,
            "included_dates": tuple(record.included),
            "remarks": clean(texts[_I]) or None,
            "logo": clean(texts[_J]) or None,
        },
    )


def _short_names(text: str) -> tuple[str, ...]:
    """Split `«A» /\\n«B»` on slashes and line breaks outside «», drop the outer quotes."""
    parts: list[str] = []
    depth, current = 0, ""
    for ch in text:
        depth += (ch == "«") - (ch == "»")
        if depth <= 0 and ch in "/\n;":
            parts.append(current)
            current, depth = "", 0
        else:
            current += ch
    parts.append(current)
    out = set()
    for part in parts:
        name = clean(part)
        if name.startswith("«") and name.endswith("»") and name.count("«") == 1:
            name = name[1:-1].strip()
        if name:
            out.add(name)
    return tuple(sorted(out))


def repair_urls(text: str) -> str:
    """Join URLs broken by a line break or space where the break is plainly inside the URL.

    A break is joined after `://`; after a `/` when the next piece is a Latin path
    (`https://t.me/\\ninvented`, `https://www.youtube.com/channel/ UC…`), not `ID:`, `@…`
    or a new URL; and after a host ending in `.` when the next piece is a domain ending
    (`https://instagram.\\ncom/…`). An `ID:` glued to a handle (`…botID: 12`) is split off.
    """
    text = _GLUED_ID.sub(" ID", text.replace("\r\n", "\n"))
    for _ in range(5):  # one pass can join one break per URL; few URLs have two
        joined = _URL_BREAK.sub(_join_break, text)
        if joined == text:
            break
        text = joined
    return text


def _join_break(m: re.Match[str]) -> str:
    url, nxt = m["url"], m["next"]
    if url.endswith("://"):
        return url
    fresh = nxt.startswith(("http", "www.", "@")) or _ID_LABEL.match(nxt)
    if url.endswith("/") and not fresh and _PATH_PART.match(nxt):
        return url
    host = url.split("://", 1)[-1]
    if url.endswith(".") and "/" not in host and _TLD_PART.match(nxt):
        return url
    return m[0]


def parse_links(text: str) -> list[str]:
    """Return the URLs, @handles and `id:<digits>` of a cell, as written (breaks repaired)."""
    text = repair_urls(text)
    links = [u.rstrip(_TRAILING) for u in _URL.findall(text)]
    links += [h.rstrip(_TRAILING) for h in _HANDLE.findall(text)]
    links += [f"id:{digits}" for digits in _ID.findall(text)]
    return [link for link in links if link and not link.endswith("://")]


def parse_decisions(basis: str) -> tuple[str, ...]:
    """Return each decision named in a basis as `ISSUER DD.MM.YYYY № N`, in order.

    `МВД` and `КГБ` are kept as written (the spelled-out ministry names are shortened to
    them); a court is named as written (`Экономического суда г. Минска 14.06.2022`).
    Spaces inside a number are dropped (`№ 10 ЭК` gives `№ 10ЭК`).
    """
    out = []
    for m in _DECISION.finditer(clean(basis)):
        by = m["by"].strip()
        by = _ISSUERS.get(by.lower(), by)
        day = f"{int(m['d']):02d}.{int(m['m']):02d}.{m['y']}"
        number = f" № {m['no'].replace(' ', '')}" if m["no"] else ""
        out.append(f"{by} {day}{number}")
    return tuple(out)


#: What `khronika.listwatch.formats` registers; last, so that all it names is defined.
FORMAT = Format(
    name="by-mvd-formations-xlsx",
    version="1",
    identity="name",
    fields={
        "name": "full name (column B), e.g. `Экстремистское формирование «…»`",
        "short_names": "short names or participants (column C), split on `/`, as a set",
        "links": "URLs, @handles and `id:<digits>` from columns D and E, breaks repaired, as a set",
        "address": "address or resource description (column E), URL breaks repaired",
        "basis": "the basis (column F) with every decision, appended ones included",
        "decisions": "each decision in the basis as `МВД 18.10.2021 № 1ЭК`, in published order",
        "in_force_on": "first date in column G (decision in force), ISO",
        "in_force_dates": "every date in column G, in order",
        "included_on": "first date in column H (inclusion in the list), ISO",
        "included_dates": "every date in column H, in order",
        "remarks": "reference information (column I)",
        "logo": "logo description (column J)",
    },
    parse=parse,
)
