"""Script and language of name tokens, text clean-up and mixed-script homoglyph repair.

A token is a word of a name. Its *script* is `cyrl`, `latn` or `other`; for Cyrillic its
*language* is `be` (Belarusian), `ru` (Russian), `uk` (Ukrainian) or `cyrl` when the letters
do not tell (Павел, Марфа). Latin tokens have language `latn`: which romanisation produced
them is usually unknowable, so the matcher treats them as "could be any".

Examples:
    >>> detect_language("Кандыбоўская")
    'be'
    >>> repair_homoglyphs("Kaтя")  # Latin K and a inside a Cyrillic word
    'Катя'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "APOSTROPHES",
    "clean_text",
    "detect_language",
    "detect_script",
    "name_language",
    "normalise_name",
    "repair_homoglyphs",
]

#: Every character people type for the Belarusian apostrophe (and the Russian hard sign's stand-ins).
APOSTROPHES = "'’ʼ`´‘ʹʺ\u02bc"

# Letters that look the same in both scripts. Used only inside a word whose other letters
# decide the script: a lone "Ос" stays as typed.
_LAT_TO_CYR = str.maketrans("AaBCcEeHKMOoPpTXxYyi", "АаВСсЕеНКМОоРрТХхУуі")
_CYR_TO_LAT = str.maketrans("АаВСсЕеНКМОоРрТХхУуіІЈј", "AaBCcEeHKMOoPpTXxYyiIJj")
_CYR_ONLY = re.compile(r"[бвгдёжзийлмнптфцчшщъыьэюяўґєїБГДЁЖЗИЙЛПФЦЧШЩЪЫЬЭЮЯЎҐЄЇ]")
_LAT_ONLY = re.compile(
    r"[b-df-hj-np-wzB-DF-GIJL-NQ-SU-WZłŁśŚćĆźŹżŻńŃčČšŠžŽŭǔáéíóúýàèìòùâêîôûäëïöüß]"
)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")

# Stress marks and other combining accents people add to Cyrillic (Влади́мир). Removed before
# anything else; й (и + breve) and ё (е + diaeresis) are recomposed by NFC first.
_STRESS = {"\u0301", "\u0300"}

_BE_MARKS = re.compile(r"[іўІЎ]|[жшчрц]ы|[бвгджзклмнпрстфхцчш]э|'|шч|дз[іеяюё]")
_RU_MARKS = re.compile(r"[иъщИЪЩ]|[жшчц]и|[оеё]в$|[оеё]вна$")
_UK_MARKS = re.compile(r"[їєґЇЄҐ]")


def clean_text(text: str) -> str:
    """Normalise Unicode, drop stress marks and unify apostrophes and dashes.

    Args:
        text: any name or text.

    Returns:
        NFC text with Cyrillic stress accents removed, every apostrophe as `'` and every dash
        inside words as `-`; whitespace collapsed.
    """
    text = unicodedata.normalize("NFC", text)
    if any(c in text for c in "\u0301\u0300"):
        decomposed = unicodedata.normalize("NFD", text)
        # Keep accents on Latin letters (Vladímir is legitimate Spanish); drop them on Cyrillic.
        out = []
        prev_cyr = False
        for ch in decomposed:
            if ch in _STRESS and prev_cyr:
                continue
            out.append(ch)
            if not unicodedata.combining(ch):
                prev_cyr = bool(_CYRILLIC.match(ch))
        text = unicodedata.normalize("NFC", "".join(out))
    for ap in APOSTROPHES:
        if ap in text:
            text = text.replace(ap, "'")
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    return " ".join(text.split())


def detect_script(token: str) -> str:
    """Return `cyrl`, `latn` or `other` for one token (by its majority of letters)."""
    cyr = len(_CYRILLIC.findall(token))
    lat = len(_LATIN.findall(token))
    if cyr == 0 and lat == 0:
        return "other"
    return "cyrl" if cyr >= lat else "latn"


def repair_homoglyphs(token: str) -> str:
    """Replace look-alike letters of the other script inside one word.

    A word with letters only Cyrillic has (б, ж, я ...) gets its Latin look-alikes turned
    into Cyrillic, and the reverse. A word made only of shared shapes is left alone.
    """
    has_cyr_only = bool(_CYR_ONLY.search(token))
    has_lat_only = bool(_LAT_ONLY.search(token))
    if has_cyr_only and not has_lat_only and _LATIN.search(token):
        return token.translate(_LAT_TO_CYR)
    if has_lat_only and not has_cyr_only and _CYRILLIC.search(token):
        return token.translate(_CYR_TO_LAT)
    if not has_cyr_only and not has_lat_only and _CYRILLIC.search(token) and _LATIN.search(token):
        # Only shared shapes: follow the majority.
        if detect_script(token) == "cyrl":
            return token.translate(_LAT_TO_CYR)
        return token.translate(_CYR_TO_LAT)
    return token


def detect_language(token: str) -> str:
    """Return `be`, `ru`, `uk`, `cyrl` (Cyrillic, undecided), `latn` or `other`.

    Belarusian is told by і, ў, the apostrophe, шч, дз before a soft vowel and ы/э after
    hardened consonants (жы, рэ); Russian by и, щ, ъ, жи/ши/ци and a final -ов/-ев (-оў in
    Belarusian); Ukrainian by ї, є, ґ.
    """
    script = detect_script(token)
    if script != "cyrl":
        return script
    low = token.lower()
    if _UK_MARKS.search(low):
        return "uk"
    be = bool(_BE_MARKS.search(low))
    ru = bool(_RU_MARKS.search(low))
    if be and not ru:
        return "be"
    if ru and not be:
        # і with и is Ukrainian; и alone is Russian.
        return "ru"
    if be and ru:
        return "uk" if "і" in low and "и" in low else "cyrl"
    return "cyrl"


def name_language(languages: list[str]) -> str:
    """Decide one language for a whole name from its tokens' languages.

    A name written by one hand is in one language, so a Belarusian token makes the
    undecided ones Belarusian too (Святлана next to Кандыбоўская). Mixed be/ru gives `cyrl`.
    """
    found = {lang for lang in languages if lang in ("be", "ru", "uk")}
    if len(found) == 1:
        return found.pop()
    if found:
        return "cyrl"
    if "cyrl" in languages:
        return "cyrl"
    if "latn" in languages:
        return "latn"
    return "other"


_PUNCT = re.compile(r"[^\w\s]")


@lru_cache(maxsize=1 << 17)
def normalise_name(name: str) -> str:
    """Return a name folded for comparison: upper case, ё→е, no punctuation, single spaces."""
    text = unicodedata.normalize("NFC", name).upper().replace("Ё", "Е")
    return " ".join(_PUNCT.sub(" ", text).split())
