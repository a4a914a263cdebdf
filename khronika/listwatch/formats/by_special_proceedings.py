"""`by-special-proceedings`: announcements of special proceedings (trials in absentia), Belarus.

The Investigative Committee (with the Prosecutor General's consent), the KGB and the
Prosecutor General's Office announce that special proceedings («специальное производство»,
«спецыяльная вытворчасць») were opened against people abroad, that an investigation ended,
or that a case went to court to be tried in absentia. An announcement is news-style text
naming one person or several, in the running text's cases: «в отношении гражданина
Республики Беларусь Выдумкина Петра Сергеевича, 1984 года рождения, обвиняемого … по ч. 3
ст. 361-1 …», «Обвиняемому Выдумкину П.С. необходимо явиться по адресу: …», a numbered
list of people, or the press's «в отношении 31-летней Алеси Вымысловой 4 февраля начато».

A snapshot is a collection of announcements in one file, kept by whoever watches them, or
a folder of such files (one saved page or text per announcement, `lists import ID FOLDER`:
packed by `listwatch.folders`, read file by file in name order):

* plain text: announcements separated by a line of `---` (or `===`, or a form feed), each
  optionally headed by `URL: …` and `Дата: DD.MM.YYYY` lines; `#` lines at the top are
  comments;
* HTML: each `<article>` of a saved page is an announcement (the whole page when it has
  none), its date from `<time datetime>` or `article:published_time`, its address from
  an `a[rel=bookmark]`, `og:url` or `<link rel=canonical>`; `<sup>1</sup>` after an
  article number is read as `-1` (`361<sup>1</sup>` → `361-1`).

Each person named is one entry, merged across announcements (the same name, birth dates
compatible; `Выдумкин П.С.` joins `Выдумкин Пётр Сергеевич`): a collection only grows,
so the shrink check guards against a truncated file. Identity is name + birth date.
A confirmed entry–person pair adds `in_absentia_proceedings` (`link_events`), not
`designated`: being named is a criminal case, not a listing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from khronika.listwatch.entries import Entry, FieldValue, ParseError, ParseResult
from khronika.listwatch.folders import is_packed, unpack
from khronika.listwatch.formats.declaration import Format, LinkEvents
from khronika.listwatch.formats.oblique_names import BIRTH_WORDS, NameMention, find_names
from khronika.listwatch.text import clean, decode, parse_articles, parse_date

__all__ = ["FORMAT", "parse"]


_SEPARATOR = re.compile(r"^[ \t]*(?:-{3,}|={3,}|\f)[ \t]*$", re.MULTILINE)
_HEADER = re.compile(r"^\s*(URL|Адрес|Source|Источник|Дата|Date)\s*:\s*(.+?)\s*$", re.IGNORECASE)
_HTML = re.compile(r"<(?:html|body|article|div|p)\b", re.IGNORECASE)
_ABOUT = re.compile(
    r"специальн\w+\s+производств|спецпроизводств|спецыяльн\w+\s+(?:вытворчасц|вядзенн)"
    r"|спецвытворчасц|спецвядзенн|заочн\w+",
    re.IGNORECASE,
)
_CONSENT = re.compile(
    r"(?:по\s+согласованию\s+с|па\s+ўзгадненні\s+з)\s+Генеральн\w+\s+(?:прокурор|пракурор)\w*",
    re.IGNORECASE,
)
_BODIES = (
    (
        "Следственный комитет Республики Беларусь",
        r"Следственн\w+\s+комитет|\bСК\b|Следч\w+\s+камітэт",
    ),
    (
        "Генеральная прокуратура Республики Беларусь",
        r"Генеральн\w+\s+(?:прокур|пракур)\w+|Ген(?:про|пра)кур\w+",
    ),
    (
        "Комитет государственной безопасности Республики Беларусь",
        r"\bКГБ\b|\bКДБ\b|Комитет\w*\s+государственной\s+безопасности|Камітэт\w*\s+дзяржаўнай",
    ),
)
_STAGES = (
    (
        "sent_to_court",
        r"(?:направ|передан|накіраван|накіраваў)\w*\s+(?:[\w-]+\s+){0,6}[ву]\s+(?:[\w-]+\s+){0,3}суд",
    ),
    (
        "completed",
        r"(?:заверш|окончен|скончы)\w*\s+(?:[\w-]+\s+){0,2}(?:расследовани|следстви|расследаванн)",
    ),
)
_MONTH_WORDS = (
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "студзеня лютага сакавіка красавіка мая чэрвеня ліпеня жніўня верасня кастрычніка "
    "лістапада снежня",
)
_MONTHS = {m: i + 1 for words in _MONTH_WORDS for i, m in enumerate(words.split(" "))}
_DATE = re.compile(
    r"(?<!\d)(?:(\d{1,2})\.(\d{1,2})\.(\d{4})|(\d{1,2})\s+("
    + "|".join(_MONTHS)
    + r")(?:\s+(\d{4}))?)",
    re.IGNORECASE,
)
_BIRTH_MARK = re.compile(
    r"^\s*(?:г\.?\s*р|года\s+рожд|г\.\s*рожд|года\s+нараджэння|г\.\s*н\.)", re.I
)
_BIRTH = re.compile(
    r"^\s*,?\s*\(?\s*(?:родивш\w+\s+|нарадзіў\w*\s+)?(?:(\d{1,2}\.\d{1,2}\.\d{4})|(\d{4}))\s*"
    + BIRTH_WORDS,
    re.IGNORECASE,
)
_AGE = re.compile(r"(\d{1,3})-?\s*(?:летн|гадов)\w*\s*$", re.IGNORECASE)
_APPEAR = re.compile(
    r"(?:явиться|з'явіцца|зʼявіцца|прибыть)\s+(?:по\s+адресу|па\s+адрасе|в|у)\s*:?\s*"
    r"(.+?)(?:(?<!\bг)(?<!\bул)(?<!\bд)(?<!\bпр)(?<!\bпер)\.(?=\s+[А-ЯЁІЎ]|\s*$)|;|$)",
    re.IGNORECASE,
)
_CITATION = re.compile(r"(?:ст\.(?:\s*ст\.?)?|стать\w*|ст(?=\s*\d))\s*\d[\d\s,и-]*", re.I)
_BELARUSIAN = (
    (re.compile(r"\bарт\.", re.I), "ст."),
    (re.compile(r"\bартыкул\w*", re.I), "статьи"),
    (re.compile(r"\bчасткамі\b", re.I), "частями"),
    (re.compile(r"\bчаст[кц]\w*", re.I), "частью"),
    (re.compile(r"\s[іи]\s"), " и "),
)


@dataclass(slots=True)
class _Announcement:
    text: str
    url: str | None = None
    published: str | None = None
    origin: str = ""  # the file of a folder it came from


def _announcements(text: str, origin: str) -> list[_Announcement]:
    """The announcements of one document (HTML or text), each marked with its file."""
    found = _html_announcements(text) if _HTML.search(text[:5000]) else _text_announcements(text)
    for ann in found:
        ann.origin = origin
    return found


@dataclass(slots=True)
class _Person:
    """One person as the collection names them so far (merged over announcements)."""

    name: str
    initials: bool
    birth: str | None = None
    age: str | None = None
    articles: set[str] = field(default_factory=set)
    decisions: list[tuple[str, str | None, str]] = field(default_factory=list)  # date, body, stage
    sources: set[str] = field(default_factory=set)
    appear_at: str | None = None


def parse(data: bytes, *, options: dict[str, Any] | None = None) -> ParseResult:
    """Parse a collection of announcements; return one entry per person named.

    Args:
        options: `body` (optional) names the announcing body for announcements that do not.

    Raises:
        ParseError: when no announcement in the file is about special proceedings.
    """
    documents = unpack(data) if is_packed(data) else [("", data)]
    found = [a for name, doc in documents for a in _announcements(decode(doc), name)]
    default_body = clean(str((options or {}).get("body") or "")) or None
    people: list[_Person] = []
    warnings: list[str] = []
    read: list[_Announcement] = []
    for i, ann in enumerate(found, 1):
        label = ann.url or ann.origin or f"announcement {i}"
        if not _ABOUT.search(ann.text):
            warnings.append(f"{label}: not about special proceedings, skipped")
            continue
        read.append(ann)
        named = _read(ann, default_body, warnings, label)
        if not named:
            warnings.append(f"{label}: names nobody")
        for person in named:
            _merge(people, person)
    if not read:
        raise ParseError("no announcement of special proceedings («специальное производство»)")
    dates = [a.published for a in read if a.published]
    return ParseResult(
        tuple(_entry(p) for p in people),
        taken=max(dates) if dates else None,
        warnings=tuple(warnings),
    )


def _text_announcements(text: str) -> list[_Announcement]:
    lines = text.splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("#")):
        lines.pop(0)
    out = []
    for block in _SEPARATOR.split("\n".join(lines)):
        ann = _Announcement("")
        rest = block.strip().splitlines()
        while rest and (m := _HEADER.match(rest[0])):
            if m[1].lower() in ("дата", "date"):
                ann.published = _day(m[2])
            else:
                ann.url = m[2]
            rest.pop(0)
        ann.text = clean("\n".join(rest))
        if ann.text:
            out.append(ann)
    return out


def _html_announcements(text: str) -> list[_Announcement]:
    tree = HTMLParser(re.sub(r"<sup[^>]*>\s*(\d{1,2})\s*</sup>", r"-\1", text, flags=re.I))
    for node in tree.css("script, style, nav, header, footer"):
        node.decompose()
    page_url = _attr(tree, 'meta[property="og:url"]', "content") or _attr(
        tree, 'link[rel="canonical"]', "href"
    )
    page_date = _attr(tree, 'meta[property="article:published_time"]', "content")
    nodes = tree.css("article") or [n for n in (tree.body or tree.root,) if n is not None]
    out = []
    for node in nodes:
        url = _attr(node, 'a[rel="bookmark"]', "href") or page_url
        when = _attr(node, "time[datetime]", "datetime") or page_date
        for stamp in node.css("time"):
            stamp.decompose()  # the publication date, not the decision's
        out.append(_Announcement(clean(node.text(separator=" ")), url, _day(when)))
    return [a for a in out if a.text]


def _attr(node: Any, selector: str, name: str) -> str | None:
    found = node.css_first(selector)
    value = found.attributes.get(name) if found is not None else None
    return clean(value) or None if isinstance(value, str) else None


def _day(value: str | None) -> str | None:
    """Return the ISO date a header or attribute gives (`12.03.2026`, `2026-03-12T10:00`)."""
    text = clean(value)
    day = parse_date(text) if not re.match(r"\d{4}-\d{2}-\d{2}T", text) else text[:10]
    return day if day and _valid(day) else None


def _valid(day: str) -> bool:
    try:
        parts = [int(p) for p in day.split("-")]
        date(parts[0], *(parts[1:] or [1]), *([1] if len(parts) < 3 else []))
    except (ValueError, TypeError):
        return False
    return True


def _read(
    ann: _Announcement, default_body: str | None, warnings: list[str], label: str
) -> list[_Person]:
    """Return the people one announcement names, with its decision on each."""
    text = ann.text
    body = _body(text) or default_body
    stage = next((s for s, rx in _STAGES if re.search(rx, text, re.IGNORECASE)), "opened")
    decided = _decision_date(text, ann.published)
    if decided is None:
        warnings.append(f"{label}: no decision date")
    mentions = _distinct(find_names(text))
    appear = [m[1] for m in _APPEAR.finditer(text)]
    people: list[_Person] = []
    inherited: tuple[str, ...] = parse_articles(_article_text(text))
    for k in range(len(mentions) - 1, -1, -1):  # backwards: a person without articles of
        m = mentions[k]  # their own shares those of the next («A и B, обвиняемых по …»)
        end = mentions[k + 1].start if k + 1 < len(mentions) else len(text)
        segment = text[m.end : end]
        inherited = parse_articles(_article_text(segment)) or inherited
        birth = _BIRTH.match(segment)
        age = _AGE.search(text[max(0, m.start - 20) : m.start])
        own = _APPEAR.search(segment)
        people.append(
            _Person(
                name=m.name,
                initials=m.initials,
                birth=_day(birth[1] or birth[2]) if birth else None,
                age=age[1] if age else None,
                articles=set(inherited),
                decisions=[(decided or "", body, stage)],
                sources={ann.url} if ann.url else set(),
                appear_at=clean(own[1])
                if own
                else (clean(appear[0]) if len(appear) == 1 else None),
            )
        )
    return people[::-1]


def _distinct(mentions: list[NameMention]) -> list[NameMention]:
    """Drop repeated mentions of a person already named (`Выдумкин П.С.` after the full name)."""
    out: list[NameMention] = []
    for m in mentions:
        if not any(_same_name(p.name, p.initials, m.name, m.initials) for p in out):
            out.append(m)
    return out


def _same_name(a: str, a_initials: bool, b: str, b_initials: bool) -> bool:
    fa, fb = _fold(a).split(), _fold(b).split()
    if not (a_initials or b_initials):
        return fa == fb
    full, short = (fb, fa) if a_initials and not b_initials else (fa, fb)
    letters = short[-1].replace(".", "") if len(short) > 1 else ""
    return full[0] == short[0] and "".join(w[0] for w in full[1:])[: len(letters)] == letters


def _fold(name: str) -> str:
    return name.lower().replace("ё", "е")


def _body(text: str) -> str | None:
    text = _CONSENT.sub(" ", text)
    hits = [(m.start(), name) for name, rx in _BODIES if (m := re.search(rx, text, re.I))]
    return min(hits)[1] if hits else None


def _decision_date(text: str, published: str | None) -> str | None:
    """The first date (not a birth date) in a sentence that names the special proceedings;
    else the first such date in the text; else the publication date."""
    dates = [(m.start(), d) for m in _DATE.finditer(text) if (d := _date(m, text, published))]
    for about in _ABOUT.finditer(text):
        start = text.rfind(". ", 0, about.start()) + 1
        stop = text.find(". ", about.end())
        inside = [d for pos, d in dates if start <= pos < (stop if stop >= 0 else len(text))]
        if inside:
            return inside[0]
    return dates[0][1] if dates else published


def _date(m: re.Match[str], text: str, published: str | None) -> str | None:
    if _BIRTH_MARK.match(text[m.end() : m.end() + 20]) or re.search(
        r"(?:родивш|нарадзіў)\w*\s*$", text[max(0, m.start() - 15) : m.start()], re.I
    ):
        return None
    if m[3]:
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    else:
        year_text = m[6] or (published or "")[:4]
        if not year_text:
            return None
        day, month, year = int(m[4]), _MONTHS[m[5].lower()], int(year_text)
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    return iso if _valid(iso) else None


def _article_text(text: str) -> str:
    """The text with Belarusian citations in Russian words and lost superscripts restored
    (`ст. 3611` → `ст. 361-1`: no article of the Code has four digits)."""
    for rx, repl in _BELARUSIAN:
        text = rx.sub(repl, text)
    return _CITATION.sub(
        lambda c: re.sub(
            r"(?<![\d-])([1-4]\d{2})([1-9])(?!\d)",
            lambda n: f"{n[1]}-{n[2]}" if int(n[1]) <= 471 else n[0],
            c[0],
        ),
        text,
    )


def _merge(people: list[_Person], new: _Person) -> None:
    """Add a person to the collection, or join them with the one already there."""
    for old in people:
        if _same_name(old.name, old.initials, new.name, new.initials) and _compatible(
            old.birth, new.birth
        ):
            if old.initials and not new.initials:
                old.name, old.initials = new.name, False
            if new.birth and len(new.birth) > len(old.birth or ""):
                old.birth = new.birth
            old.age = old.age or new.age
            old.articles |= new.articles
            old.decisions += new.decisions
            old.sources |= new.sources
            old.appear_at = old.appear_at or new.appear_at
            return
    people.append(new)


def _compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def _entry(p: _Person) -> Entry:
    decisions = sorted(p.decisions, key=lambda d: (d[0] == "", d[0]))  # undated last
    first = decisions[0]
    fields: dict[str, FieldValue] = {
        "age": p.age,
        "articles": tuple(sorted(p.articles)),
        "body": first[1],
        "decided_on": first[0] or None,
        "decision_dates": tuple(sorted({d[0] for d in decisions if d[0]})),
        "stages": tuple(sorted({d[2] for d in decisions})),
        "sources": tuple(sorted(p.sources)),
        "appear_at": p.appear_at,
    }
    return Entry(name=p.name, kind="person", birth_date=p.birth, fields=fields)


#: What `khronika.listwatch.formats` registers; last, so that all it names is defined.
FORMAT = Format(
    name="by-special-proceedings",
    version="1",
    identity="name",
    fields={
        "name": "surname, given name, patronymic in the nominative (as inflected in the text)",
        "birth_date": "the birth date or year the announcement gives (ISO, partial)",
        "age": "the age the announcement gives instead of a birth date (`31`)",
        "articles": "Criminal Code articles, `361-1 ч.3`, `369`, as a set (over every announcement)",
        "body": "who announced the first decision: Investigative Committee, Prosecutor General, KGB",
        "decided_on": "date of the first decision (opening, end of investigation, case to court)",
        "decision_dates": "every decision date, in order",
        "stages": "`opened`, `completed`, `sent_to_court`, as a set",
        "sources": "addresses of the announcements naming the person, as a set",
        "appear_at": "where the accused is summoned to appear, as written",
    },
    options={"body": "the announcing body, for announcements that do not name one"},
    folders=True,
    link_events=LinkEvents(
        kinds={"listed": "in_absentia_proceedings"},
        date="decided_on",
        details=("articles", "body"),
        cite="sources",
    ),
    parse=parse,
)
