"""Text normalisation shared by the list parsers: decoding, whitespace, quotes, dates.

Official lists come as cp1251 or UTF-8, with CRLF or LF line ends, typographic or plain
quotes and stray line breaks from PDF conversion. Everything a diff compares goes through
`clean` first, so that two copies differing only in such accidents compare equal.
"""

from __future__ import annotations

import re
import unicodedata

from khronika.listwatch.entries import ParseError

__all__ = ["clean", "decode", "parse_articles", "parse_date", "split_aliases"]

# Typographic double and single quotes become plain ones; «» are kept, they are the
# Russian standard quotes and the lists use them consistently.
_QUOTES = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
    }
)
_QUOTE_CHARS = re.compile("[\u201c\u201d\u201e\u201f\u2033\u2018\u2019\u201a\u201b\u2032]")
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}


def clean(value: str | None) -> str:
    """Return `value` in NFC with quotes made plain and all whitespace runs as one space.

    Line breaks (CRLF, LF, CR) and non-breaking spaces count as whitespace, so a field
    broken over two lines compares equal to the same field on one line.
    """
    if not value:
        return ""
    # Fast paths: most values are NFC already and have no typographic quotes, and
    # str.split() (no argument) splits on every Unicode space, NBSP and line break included.
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    if _QUOTE_CHARS.search(value):
        value = value.translate(_QUOTES)
    return " ".join(value.split())


def decode(data: bytes) -> str:
    """Decode file bytes: UTF-8 (with or without BOM) when valid, else cp1251, else a guess.

    Raises:
        ParseError: when no encoding fits (a parser's one error for a file it cannot read).
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        text = ""
    # cp1251 decodes almost any bytes; accept it when the text is mostly Cyrillic letters.
    # A sample is enough to tell, and keeps a 2 MB file from costing a second.
    letters = [c for c in text[:50_000] if c.isalpha()]
    if letters and sum("\u0400" <= c <= "\u04ff" for c in letters) / len(letters) > 0.3:
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ParseError("the file is in no text encoding khronika knows (UTF-8, cp1251, …)")
    return str(best)


_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_YMD = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DMONY = re.compile(r"^(?:(\d{1,2}) )?([A-Za-z]{3})[a-z]* (\d{4})$")


def parse_date(value: str | None) -> str | None:
    """Return `value` as a partial ISO date, or None when it is empty or not a date.

    Accepts `24.04.1986`, `1986-04-24`, `1986-04`, `1986`, `24 Apr 1986`, `Apr 1986`,
    `circa 1986` (kept as `1986`).

    Examples:
        >>> parse_date("24.04.1986"), parse_date("Apr 1986"), parse_date("")
        ('1986-04-24', '1986-04', None)
    """
    text = clean(value).removeprefix("circa ").strip()
    if not text:
        return None
    if m := _DMY.match(text):
        day, month, year = int(m[1]), int(m[2]), m[3]
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year}-{month:02d}-{day:02d}"
        return None
    if m := _YMD.match(text):
        return text
    if (m := _DMONY.match(text)) and m[2].lower() in _MONTHS:
        month = _MONTHS[m[2].lower()]
        return f"{m[3]}-{month:02d}" + (f"-{int(m[1]):02d}" if m[1] else "")
    return None


def split_aliases(value: str, *, sep: str = ";") -> tuple[str, ...]:
    """Split an alias list on `sep`, clean each alias, drop empties; return a sorted set."""
    return tuple(sorted({a for a in (clean(p) for p in value.split(sep)) if a}))


# `частью 1 статьи 342`, `частями 1, 2 статьи 361-4`, `ч. 4 ст. 309`, `ст.ст 130, 361,203`,
# `ст. 130, ст. 290-5`, glued `предусмотренныхст. 289-1`: optional parts, then numbers.
_ARTICLE = re.compile(
    r"(?:(?<![А-Яа-яЁё])(?:част(?:ью|ями|и|ей|ь)|ч\.)\s*(?P<parts>\d+(?:\s*(?:,|и)\s*\d+)*)\s*)?"
    r"(?:(?<![А-Яа-яЁё])стат(?:ьей|ьями|ьи|ья|ей|ье|ью|ьям)|ст\.(?:\s*ст\.?)?|ст(?=\s*\d))\s*"
    r"(?P<nums>\d+(?:[-‐‑]\d+)?(?:\s*(?:,|и)\s*(?:ст\.?\s*)?\d+(?:[-‐‑]\d+)?(?!\d|\.\d))*)",
    re.IGNORECASE,
)
# «статьями 1, 2 Закона … «Об амнистии»» cites a law, not the Criminal Code.
_OTHER_LAW = re.compile(r"^\s*(?:Закона|Кодекса\s+Республики\s+Беларусь\s+об\s+адм)", re.IGNORECASE)


def parse_articles(basis: str) -> tuple[str, ...]:
    """Return the Criminal Code articles cited in a list's basis text, as a sorted set.

    An article is its number (`364`, `361-4`); with a part, `342 ч.1`. A list of parts
    applies to the one article after it («частями 1, 2 статьи 361-4» gives `361-4 ч.1`,
    `361-4 ч.2`); with several articles after it, to the first only. Articles of another
    law («статьями 1, 2 Закона … «Об амнистии»») are left out.

    Examples:
        >>> parse_articles("частью 1 статьи 342, статьей 364 и частью 1 статьи 368")
        ('342 ч.1', '364', '368 ч.1')
        >>> parse_articles("Обвиняется по ст. 289, ч. 4 ст. 309 УК")
        ('289', '309 ч.4')
    """
    text = clean(basis)
    out: set[str] = set()
    for m in _ARTICLE.finditer(text):
        if _OTHER_LAW.match(text[m.end() :]):
            continue
        numbers = [re.sub(r"[‐‑]", "-", n) for n in re.findall(r"\d+(?:[-‐‑]\d+)?", m["nums"])]
        parts = re.findall(r"\d+", m["parts"] or "")
        for i, number in enumerate(numbers):
            if parts and (i == 0 or len(numbers) == 1):
                out.update(f"{number} ч.{p}" for p in parts)
            else:
                out.add(number)
    return tuple(sorted(out))
