"""Transliteration of Belarusian and Russian Cyrillic into the Latin systems people meet.

`transliterate(text, lang="be", system="national")` is the one function callers need.
Systems (`SYSTEMS`):

===========  =============================================================================
national     Belarusian: the national system of 2007 (UN-adopted; ž, č, š, ŭ, ch, ie/ia,
             soft signs as acutes: ś, ź, ń, ć, ĺ). Russian: GOST 7.79-2000 A (= ISO 9).
passport     Belarusian: the ICAO-like practice of Belarusian passports (kh, ts, ch, sh, zh,
             ia/iu/io after consonants, ya/yu/ye at the start and after vowels, u for ў,
             h for г, final -ый → -y): "Siarhei", "Viachaslau". Russian: ICAO Doc 9303.
icao         ICAO Doc 9303 (passports since 2014): ia, iu, e, i for й, u for ў, h for
             Belarusian г. Russian via iuliia `ICAO_DOC_9303`.
bgn          BGN/PCGN (Belarusian 1979; Russian 1947 via iuliia `BGN_PCGN`).
iso9         ISO 9:1995 (â, û, ë, ì, ǔ, č, š, ž ...). Russian via iuliia `GOST_779`.
lacinka      Belarusian Łacinka (ł/l, ie/ia, ś ź ć ń dź). Belarusian only. From the official
             orthography; assimilative softness is marked inside words (снег → śnieh), not
             across them (з вераю → z vieraju, where Łacinka writes ź vieraju).
english      English conventional: Belarusian BGN/PCGN without primes; Russian as English
             Wikipedia writes it (iuliia `WIKIPEDIA`).
polish       Polish rendering (sz, cz, ż, w, ł, ie/ia).
german       German (Duden-style) rendering (sch, tsch, sh, w, s, z, j).
===========  =============================================================================

The Belarusian tables are our own (no library implements the national, passport or
ICAO-for-Belarusian tables); the letter values follow `notes/names-letter-table.md`
(interscript maps and the instruction of 2007). Russian uses iuliia where it has the scheme.

Examples:
    >>> transliterate("Святлана Кандыбоўская", lang="be", system="passport")
    'Sviatlana Kandybouskaya'
    >>> transliterate("Святлана Кандыбоўская", lang="be", system="lacinka")
    'Śviatłana Kandyboŭskaja'
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

__all__ = ["SYSTEMS", "transliterate"]

SYSTEMS = ("national", "passport", "icao", "bgn", "iso9", "lacinka", "english", "polish", "german")

_CONSONANTS = set("бвгґджзклмнпрстфхцчшщ")
_IOTATED = set("еёюяі")
_SIGNS = set("ь'ъ")

_BASE = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "ж": "zh",
    "з": "z",
    "і": "i",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ў": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ы": "y",
    "э": "e",
    "ь": "",
    "ъ": "",
    "'": "",
}


@dataclass(frozen=True)
class _Table:
    """One system: letters, iotated vowels by context, soft-sign forms and word endings."""

    letters: dict[str, str]
    # е ё ю я (and і after a sign): (after a consonant, at the start or after a vowel/ў/sign)
    iot: dict[str, tuple[str, str]]
    soft: dict[str, str] = field(default_factory=dict)  # consonant + ь
    hard_l: str = ""  # Łacinka/Polish ł before anything but a soft vowel
    after_l: dict[str, str] = field(default_factory=dict)  # ля → la (Łacinka)
    endings: tuple[tuple[str, str], ...] = ()  # Cyrillic word ending → Latin
    assimilate: bool = False  # mark assimilative softness (снег → śnieh), Łacinka only
    hard_before_e: str = ""  # consonants after which е is plain e (Polish for Russian: ше)


def _t(over: dict[str, str], iot: dict[str, tuple[str, str]], **kw: object) -> _Table:
    letters = dict(_BASE)
    letters.update(over)
    return _Table(letters=letters, iot=iot, **kw)  # type: ignore[arg-type]


def _iot(after_consonant: str, otherwise: str) -> dict[str, tuple[str, str]]:
    """Return an `iot` table from two rows of Latin forms, each in the order е ё ю я і.

    Example: `_iot("ie io iu ia i", "je jo ju ja ji")` is the national system's.
    """
    return dict(
        zip("еёюяі", zip(after_consonant.split(), otherwise.split(), strict=True), strict=True)
    )


_IOT_J = _iot("ie io iu ia i", "je jo ju ja ji")
_ACUTE = {"з": "ź", "с": "ś", "н": "ń", "ц": "ć", "л": "ĺ"}
# BGN/PCGN and English: yo, yu, ya everywhere; ye at the start and after a vowel.
_IOT_Y = _iot("e yo yu ya i", "ye yo yu ya i")
_IOT_GERMAN = _iot("e jo ju ja i", "je jo ju ja i")
# The consonants Polish and German write alike for both languages (Russian adds г → g).
_POLISH = {"в": "w", "ж": "ż", "й": "j", "х": "ch", "ц": "c", "ч": "cz", "ш": "sz", "щ": "szcz"}
_GERMAN = {
    "в": "w",
    "ж": "sh",
    "з": "s",
    "й": "i",
    "х": "ch",
    "ц": "z",
    "ч": "tsch",
    "ш": "sch",
    "щ": "schtsch",
}
# Łacinka and Polish: soft signs as acutes but plain l for ль, ł for hard л, la for ля.
_SOFT_L = {"з": "ź", "с": "ś", "н": "ń", "ц": "ć", "л": "l"}
_AFTER_L = {"е": "e", "ё": "o", "ю": "u", "я": "a", "і": "i"}

_BE: dict[str, _Table] = {
    "national": _t(
        {"ж": "ž", "й": "j", "ў": "ŭ", "х": "ch", "ц": "c", "ч": "č", "ш": "š"},
        _IOT_J,
        soft=_ACUTE,
    ),
    "passport": _t(
        {},
        _iot("e io iu ia i", "ye yo yu ya i"),
        endings=(("ый", "y"), ("ій", "i")),
    ),
    "icao": _t(
        {},
        _iot("e io iu ia i", "e io iu ia i"),
    ),
    "bgn": _t({"й": "y", "ў": "w", "ь": "ʹ", "'": "ʺ"}, _IOT_Y),
    "iso9": _t(
        {
            "г": "g",
            "ґ": "g̀",
            "ж": "ž",
            "і": "ì",
            "й": "j",
            "ў": "ǔ",
            "х": "h",
            "ц": "c",
            "ч": "č",
            "ш": "š",
            "щ": "ŝ",
            "ъ": "ʺ",
            "ь": "ʹ",
            "э": "è",
            "'": "ʼ",
        },
        _iot("e ë û â ì", "e ë û â ì"),
    ),
    "lacinka": _t(
        {"ж": "ž", "й": "j", "ў": "ŭ", "х": "ch", "ц": "c", "ч": "č", "ш": "š"},
        _IOT_J,
        soft=_SOFT_L,
        hard_l="ł",
        after_l=_AFTER_L,
        assimilate=True,
    ),
    "english": _t({"й": "y", "ў": "w"}, _IOT_Y, endings=(("ый", "y"), ("ій", "i"))),
    "polish": _t(_POLISH, _IOT_J, soft=_SOFT_L, hard_l="ł", after_l=_AFTER_L),
    "german": _t(_GERMAN, _IOT_GERMAN, endings=(("ый", "y"), ("ій", "i"), ("ий", "i"))),
}

# Russian renderings we own (iuliia has no Polish or German scheme).
_RU_OWN: dict[str, _Table] = {
    "polish": _t(
        {"г": "g", **_POLISH},
        _iot("ie io iu ia i", "je jo ju ja i"),
        soft=_SOFT_L,
        hard_l="ł",
        after_l={"е": "e", "ё": "o", "ю": "u", "я": "a"},
        hard_before_e="жшцчщ",
        endings=(("ий", "i"), ("ый", "y"), ("жи", "ży"), ("ши", "szy"), ("ци", "cy")),
    ),
    "german": _t({"г": "g", **_GERMAN}, _IOT_GERMAN, endings=(("ий", "i"), ("ый", "y"))),
}

_RU_IULIIA = {
    "national": "GOST_779",
    "passport": "ICAO_DOC_9303",
    "icao": "ICAO_DOC_9303",
    "bgn": "BGN_PCGN",
    "iso9": "GOST_779",
    "english": "WIKIPEDIA",
}

_WORD = re.compile(r"[\w'’ʼ]+", re.UNICODE)


# Classical spelling (and so Łacinka) marks a consonant softened by the soft consonant after
# it (снег → śnieh, зверху → źvierchu, сцяна → ściana, бясснежны → biaśśniežny, цвёрда →
# ćviorda, з'ява → źjava); the softness spreads leftwards through such clusters.
_SOFTENS = {"с": "зсцнлбпвмфтд", "з": "зсцнлбпвмфтд", "н": "н", "ц": "цв", "л": "л"}
_SOFT_AFTER = set("еёюяіь")


def _assimilated(low: str, i: int) -> bool:
    ch = low[i]
    nxt = low[i + 1 : i + 2]
    if not nxt:
        return False
    if nxt == "'" and ch in "зсн":
        return True
    if nxt == "д" and low[i + 2 : i + 3] == "з" and ch in "сз":
        return _soft_at(low, i + 3)
    if nxt not in _SOFTENS.get(ch, ""):
        return False
    return _soft_at(low, i + 2) or (nxt in _SOFTENS and _assimilated(low, i + 1))


def _soft_at(low: str, j: int) -> bool:
    return j < len(low) and low[j] in _SOFT_AFTER


def _word(word: str, table: _Table) -> str:
    low = word.lower().replace("’", "'").replace("ʼ", "'")
    ending = ""
    for cyr, lat in table.endings:
        if len(low) > len(cyr) + 1 and low.endswith(cyr):
            low, ending = low[: -len(cyr)], lat
            break
    out: list[str] = []
    n = len(low)
    for i, ch in enumerate(low):
        prev = low[i - 1] if i else ""
        nxt = low[i + 1] if i + 1 < n else ""
        if ch in table.iot and (ch != "і" or prev in _SIGNS):
            after_cons, otherwise = table.iot[ch]
            if ch == "е" and prev and prev in table.hard_before_e:
                out.append("e")
            elif prev == "л" and table.after_l and ch in table.after_l:
                out.append(table.after_l[ch])
            elif prev in _CONSONANTS:
                out.append(after_cons)
            elif prev in _SIGNS and i >= 2 and low[i - 2] == "л" and table.after_l:
                out.append("j" + table.after_l[ch])
            else:
                out.append(otherwise)
        elif ch == "л" and table.hard_l:
            soft = nxt == "ь" or nxt in _IOT_J or (table.assimilate and _assimilated(low, i))
            out.append(table.soft.get("л", "l") if nxt == "ь" else ("l" if soft else table.hard_l))
        elif ch in table.soft and (nxt == "ь" or (table.assimilate and _assimilated(low, i))):
            out.append(table.soft[ch])
        elif ch == "ь" and table.soft and prev in table.soft:
            continue
        elif ch in table.letters:
            out.append(table.letters[ch])
        else:
            out.append(ch)
    return "".join(out) + ending


def _restore_case(src: str, dst: str) -> str:
    if not dst:
        return dst
    letters = [c for c in src if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return dst.upper()
    if src[:1].isupper():
        return dst[:1].upper() + dst[1:]
    return dst


@functools.lru_cache(maxsize=4096)
def _iuliia_schema(name: str) -> object:
    import iuliia

    return getattr(iuliia, name)


def transliterate(text: str, *, lang: str = "be", system: str = "national") -> str:
    """Write Belarusian or Russian Cyrillic `text` in a Latin `system`.

    Args:
        text: a name or any text; non-Cyrillic characters pass through.
        lang: `be` (Belarusian, official orthography) or `ru` (Russian).
        system: one of `SYSTEMS`.

    Returns:
        The Latin text, with each word's capitalisation kept (Title, UPPER, lower).

    Raises:
        ValueError: unknown `lang` or `system`, or Łacinka asked for Russian.
    """
    if system not in SYSTEMS:
        raise ValueError(f"unknown system {system!r}; use one of {', '.join(SYSTEMS)}")
    if lang == "ru":
        if system == "lacinka":
            raise ValueError("Łacinka is a Belarusian alphabet; use lang='be'")
        if system in _RU_IULIIA:
            schema = _iuliia_schema(_RU_IULIIA[system])
            return str(schema.translate(text))  # type: ignore[attr-defined]
        table = _RU_OWN[system]
    elif lang == "be":
        table = _BE[system]
    else:
        raise ValueError(f"unknown language {lang!r}; use 'be' or 'ru'")
    return _WORD.sub(lambda m: _restore_case(m.group(0), _word(m.group(0), table)), text)
