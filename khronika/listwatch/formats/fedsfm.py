"""`ru-fedsfm-html`: Rosfinmonitoring's list of 'terrorists and extremists' (saved web page).

Persons are the `li` items of `#russianFL .terrorist-list`, organisations those of
`#russianUL` (and of the international part, `#foreignFL`/`#foreignUL`, when it has any).
An item reads `N. SURNAME NAME PATRONYMIC[*], [(ALIAS; ALIAS),] DD.MM.YYYY г.р. , PLACE;`
for a person and `N. NAME[*]  (ALIAS; ALIAS), , ИНН: …, ОГРН: …;` for an organisation.
`N.` is a position, so it is dropped. The list has no identifier of its own.

Tolerates a missing `г.р.` after a birth date, a missing birth date, and line breaks inside
an item. An organisation's alias group is told from a parenthesis in its name by the two
spaces the site puts before it (`NAME  (ALIASES)`).
"""

from __future__ import annotations

import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from khronika.listwatch.entries import Entry, ParseError, ParseResult
from khronika.listwatch.formats.declaration import Format
from khronika.listwatch.text import clean, decode, parse_date, split_aliases

__all__ = ["FORMAT", "parse", "parse_item"]


_PARTS = (
    ("russianFL", "person"),
    ("russianUL", "organisation"),
    ("foreignFL", "person"),
    ("foreignUL", "organisation"),
)
_NUMBER = re.compile(r"^\s*\d+\s*\.\s*")
_PERSON_NAME = re.compile(r"^([^,(*]+?)\s*(\*)?\s*(?=,|\(|$)")
_DATE = re.compile(r"^(\d{1,2}\.\d{1,2}\.\d{4})\s*(?:г\.?\s*р\.?)?")
_REG = re.compile(r"(ИНН|ОГРН)\s*:\s*(\d+)")


def parse(data: bytes, *, options: dict[str, Any] | None = None) -> ParseResult:
    """Parse the saved page; return its persons and organisations.

    Raises:
        ParseError: when the page has no `#russianFL` section (not this list).
    """
    tree = HTMLParser(decode(data))
    if tree.css_first("#russianFL") is None:
        raise ParseError("no #russianFL section: not a saved Rosfinmonitoring list page")
    entries: list[Entry] = []
    warnings: list[str] = []
    for part, kind in _PARTS:
        for li in tree.css(f"#{part} .terrorist-list li"):
            raw = li.text(deep=True)
            entry = parse_item(raw, kind=kind)
            if entry is None:
                warnings.append(f"#{part}: skipped unreadable item {clean(raw)[:80]!r}")
            else:
                entries.append(entry)
    return ParseResult(tuple(entries), warnings=tuple(warnings))


def parse_item(text: str, *, kind: str) -> Entry | None:
    """Parse one list item (`N. NAME…;`); return None when no name can be read."""
    if kind == "person":
        # Cleaned once here (NFC, quotes, whitespace): the parts need only stripping.
        return _parse_person(_NUMBER.sub("", clean(text)).rstrip(" ;"))
    body = _NUMBER.sub("", text.replace("\xa0", " ")).strip()
    # Not cleaned yet: the two spaces before an organisation's alias group matter.
    return _parse_organisation(re.sub(r"[\s;]+$", "", body))


def _parse_person(body: str) -> Entry | None:
    m = _PERSON_NAME.match(body)
    if m is None or not m[1].strip():
        return None
    rest = body[m.end() :].lstrip(" ,")
    aliases: tuple[str, ...] = ()
    if rest.startswith("("):
        end = _closing_paren(rest)
        aliases = split_aliases(rest[1:end])
        rest = rest[end + 1 :].lstrip(" ,")
    birth = None
    if d := _DATE.match(rest):
        birth = parse_date(d[1])
        rest = rest[d.end() :].lstrip(" ,")
    return Entry(
        name=m[1].strip(),
        kind="person",
        birth_date=birth,
        fields={
            "aliases": aliases,
            "place": rest.rstrip(" ,;").strip() or None,
            "terrorist_flag": m[2] == "*",
        },
    )


def _parse_organisation(body: str) -> Entry | None:
    regs = tuple(sorted(f"{k}:{v}" for k, v in _REG.findall(body)))
    if (cut := re.search(r",\s*(ИНН|ОГРН)\s*:", body)) is not None:
        body = body[: cut.start()]
    body = re.sub(r"[\s,;]+$", "", body)
    aliases: tuple[str, ...] = ()
    if body.endswith(")"):
        start = _opening_paren(body)
        # Two spaces (or a line break) before the group mark aliases; one space, a name part.
        if start > 0 and re.search(r"(\s{2,}|\n\s*)$", body[:start]):
            aliases = split_aliases(body[start + 1 : -1])
            body = body[:start]
    body = body.rstrip()
    flag = body.endswith("*")
    name = clean(body.rstrip("* "))
    if not name:
        return None
    return Entry(
        name=name,
        kind="organisation",
        fields={"aliases": aliases, "terrorist_flag": flag, "registration_numbers": regs},
    )


def _closing_paren(text: str) -> int:
    """Index of the `)` closing the `(` at text[0] (the end of text when unbalanced)."""
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth == 0:
            return i
    return len(text)


def _opening_paren(text: str) -> int:
    """Index of the `(` opening the `)` at the end of text (-1 when unbalanced)."""
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += (text[i] == ")") - (text[i] == "(")
        if depth == 0:
            return i
    return -1


#: What `khronika.listwatch.formats` registers; last, so that all it names is defined.
FORMAT = Format(
    name="ru-fedsfm-html",
    version="1",
    identity="name",
    fields={
        "name": "surname, name, patronymic (persons) or full name (organisations), upper case",
        "aliases": "other names given in parentheses, as a set",
        "birth_date": "DD.MM.YYYY as an ISO date (persons)",
        "place": "place of birth as written (persons)",
        "terrorist_flag": "True when the name carries `*` (involved in terrorist activity)",
        "registration_numbers": "`ИНН:…` and `ОГРН:…` of an organisation, as a set",
    },
    parse=parse,
)
