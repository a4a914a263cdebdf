"""Names of people as running text writes them, back to the nominative list entries use.

Announcements of special proceedings name people inside sentences: «в отношении
гражданина Выдумкина Петра Сергеевича», «Обвиняемому Выдумкину П.С. необходимо явиться»,
«в отношении 31-летней Алеси Вымысловой». This module finds such names and writes them as
a list does: surname first, nominative, as spelled (`Выдумкин Пётр Сергеевич`).

The case is read from the patronymic when there is one (`-вич`, `-вна`, Belarusian `-віч`,
`-ўна` are nominative; `-вича`, `-вны`, `-вичу` … are not), else from the word before the
name (`в отношении`, `обвиняемому`, `-летнего`: oblique); the gender from the patronymic,
else from that word (`гражданки`, `обвиняемой`, `-летней`), else from the given name.
Each word's nominative is then picked among `khronika.names.morph.nominative_candidates`
by its role and gender. A name already in the nominative is never touched (a woman
called Яна must not become a man called Ян).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from khronika.names.given import given_names, spelling_key
from khronika.names.morph import nominative_candidates

__all__ = ["BIRTH_WORDS", "NameMention", "find_names"]

_UP = "А-ЯЁІЎ"
_LOW = "а-яёіўʼ'’"
_WORD = rf"(?:[{_UP}]{{2,}}|[{_UP}][{_LOW}]+)(?:-(?:[{_UP}]{{2,}}|[{_UP}][{_LOW}]+))?"
_PATR = rf"[{_UP}][{_LOW}]+(?:вич|віч|ич|іч|вн|ўн|чн)[{_LOW}]{{0,3}}(?![{_LOW}])"
_INITIALS = rf"[{_UP}]\.\s?[{_UP}]\.?"
_MENTION = re.compile(
    rf"(?<![{_UP}{_LOW}-])(?:(?P<full>{_WORD}\s+{_WORD}\s+{_PATR})"
    rf"|(?P<init>{_WORD})\s+(?P<ini>{_INITIALS})"
    rf"|(?P<two>{_WORD}\s+{_WORD}))(?![{_LOW}])"
)
_NOT_NAMES = frozenset(
    {"республики", "беларусь", "рэспублікі", "беларусі", "уголовного", "кодекса", "суд", "суда"}
)
# The words before a name that put it in an oblique case, and the gender some of them show.
_OBLIQUE = re.compile(
    r"(?:в отношении|у дачыненні да|против|"
    r"(?P<m>граждан(?:ина|ину|ином)|грамадзян(?:іна|іну)|обвиняем(?:ого|ому|ым)|"
    r"абвінавачан(?:ага|аму)|уроженц(?:а|у)|\d+-?\s*летн(?:его|ему|им)|\d+-?\s*гадов(?:ага|аму))|"
    r"(?P<f>граждан(?:ки|ке|кой)|грамадзян(?:кі|цы)|обвиняем(?:ой)|абвінавачан(?:ай)|"
    r"уроженк(?:и|е)|\d+-?\s*летн(?:ей)|\d+-?\s*гадов(?:ай)))"
    r"(?:\s+(?:Республики Беларусь|Рэспублікі Беларусь|г\.\s*\w+))?[\s,:]*$",
    re.IGNORECASE,
)
#: The words after a birth date or year that say it is one (`1984 г.р.`, `года нараджэння`).
BIRTH_WORDS = r"(?:г\.?\s*р\.?|года\s+рождения|г\.\s*рождения|года\s+нараджэння|г\.\s*н\.)"
_BIRTH_AFTER = re.compile(
    r"^\s*,?\s*(?:\(\s*)?(?:родивш\w+\s+|нарадзіў\w*\s+)?(?:\d{1,2}\.\d{1,2}\.)?\d{4}\s*"
    + BIRTH_WORDS,
    re.IGNORECASE,
)
_AGE_BEFORE = re.compile(r"\d+-?\s*(?:летн|гадов)\w*\s*$", re.IGNORECASE)
_PATR_MASC = re.compile(r"(вич|віч|ич|іч)$")
_PATR_FEM = re.compile(r"(вна|ўна|чна)$")


@dataclass(frozen=True, slots=True)
class NameMention:
    """A person's name found in a text.

    Attributes:
        name: surname first, in the nominative (`Выдумкин Пётр Сергеевич`, `Выдумкин П.С.`).
        written: the name as the text writes it.
        start, end: where it stands in the text.
        gender: `masc`, `femn` or None when nothing tells.
        initials: True when only the surname is written out.
    """

    name: str
    written: str
    start: int
    end: int
    gender: str | None
    initials: bool = False


def find_names(text: str) -> list[NameMention]:
    """Return the people's names a text gives, in text order, each in the nominative.

    A name is three words ending in a patronymic, a surname with initials, or two words
    right after a word that announces a person (`в отношении`, `гражданки`, `-летнего`)
    or right before a birth date (`1990 г.р.`, `1990 года рождения`).
    """
    out: list[NameMention] = []
    pos = 0
    while m := _MENTION.search(text, pos):
        before = text[max(0, m.start() - 60) : m.start()]
        marker = _OBLIQUE.search(before)
        if m["two"] and (
            any(w.lower() in _NOT_NAMES for w in m["two"].split())
            or (marker is None and not _BIRTH_AFTER.match(text[m.end() : m.end() + 40]))
        ):
            pos = m.start() + 1  # not a name: its second word may begin one
            continue
        out.append(_mention(m, marker, text))
        pos = m.end()
    return out


def _mention(m: re.Match[str], marker: re.Match[str] | None, text: str) -> NameMention:
    words = (m["full"] or m["init"] or m["two"]).split()
    patronymic = words[2] if m["full"] else None
    gender = _gender(patronymic, marker, words, initials=bool(m["init"]))
    if patronymic is not None:
        oblique = not (
            _PATR_MASC.search(patronymic.lower()) or _PATR_FEM.search(patronymic.lower())
        )
    else:
        oblique = marker is not None
    if oblique:
        words = [_nominative(w, gender, role) for w, role in zip(words, _roles(m), strict=False)]
    if m["two"] and _given_first(words):
        words = [words[1], words[0]]
    if m["init"]:
        words.append(re.sub(r"\s+", "", m["ini"]))
    return NameMention(
        name=" ".join(words),
        written=text[m.start() : m.end()],
        start=m.start(),
        end=m.end(),
        gender=gender,
        initials=bool(m["init"]),
    )


def _roles(m: re.Match[str]) -> tuple[str, ...]:
    if m["full"]:
        return ("surname", "given", "patronymic")
    if m["init"]:
        return ("surname",)
    return ("either", "either")


def _gender(
    patronymic: str | None, marker: re.Match[str] | None, words: list[str], *, initials: bool
) -> str | None:
    if patronymic is not None:
        low = re.sub(r"(?:[аыуеіяюйо]+|ем|ам)$", "", patronymic.lower())
        if re.search(r"(вич|віч|ич|іч)$", low):
            return "masc"
        if re.search(r"(вн|ўн|чн)$", low):
            return "femn"
    if marker is not None and (marker["m"] or marker["f"]):
        return "masc" if marker["m"] else "femn"
    if initials:
        return None
    for word in words:
        for form in nominative_candidates(word):
            if (g := _given_sex(form)) is not None:
                return g
    return None


def _given_first(words: list[str]) -> bool:
    """Whether a two-word name is written given name first («Алеся Вымыслова»)."""
    first, second = (_given_sex(w) for w in words)
    return first is not None and second is None


def _given_sex(form: str) -> str | None:
    """`masc` or `femn` when the spelling is a given name's nominative in the names table."""
    table = given_names()
    ids = table.by_spelling.get(spelling_key(form))
    sex = table.sex_of(ids) if ids else None
    return {"m": "masc", "f": "femn"}.get(sex or "")


_MASC_SURNAME = ("ов", "ев", "ёв", "ин", "ын", "ский", "цкий", "скі", "цкі", "ич", "іч", "ук", "юк")
_FEM_SURNAME = ("ова", "ева", "ёва", "ина", "ына", "ская", "цкая")


def _nominative(word: str, gender: str | None, role: str) -> str:
    """Pick the word's nominative for its role (surname, given, patronymic) and gender."""
    low = word.lower()
    if role == "patronymic":
        if gender == "femn":
            return word[: len(re.sub(r"(вн|ўн|чн)[а-яёіў]*$", r"\1", low))] + "а"
        return word[: len(re.sub(r"(вич|віч|ич|іч)[а-яёіў]*$", r"\1", low))]
    forms = [f for f in nominative_candidates(word)[1:] if f.lower() != low]
    if role in ("given", "either") and gender is not None:
        for form in forms:
            if _given_sex(form) == gender:
                return form
    scored = [(_score(f.lower(), gender), i, f) for i, f in enumerate(forms)]
    scored = [s for s in scored if s[0] > 0]
    if not scored:
        return word  # indeclinable (`Придумович` for a woman, `-ко`, `-их`)
    return max(scored, key=lambda s: (s[0], -s[1]))[2]


def _score(form: str, gender: str | None) -> int:
    """How well a candidate looks like a nominative of that gender (0: not at all)."""
    feminine = form.endswith(("а", "я"))
    if gender == "femn":
        return (3 if form.endswith(_FEM_SURNAME) else 2 if form.endswith("ая") else 1) * feminine
    if form.endswith(("а", "я", "о", "е", "ё", "у", "ю")):
        return 0 if gender == "masc" else 1
    return 3 if form.endswith(_MASC_SURNAME) else 2 if form.endswith(("ий", "ый", "ой")) else 1
