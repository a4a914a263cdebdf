"""The language of each paragraph: lingua restricted to be/ru/uk/pl/en, and Łacinka.

The detector is built once (five languages: tens of MB; all of lingua's would be 1.1 GiB).
Lingua has no Belarusian Łacinka and calls it Polish: a Latin paragraph with letters only
Łacinka has (ŭ) or Belarusian words is `be-Latn`.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

__all__ = ["detect_language", "paragraph_languages", "split_paragraphs"]

_CODES = {
    Language.BELARUSIAN: "be",
    Language.RUSSIAN: "ru",
    Language.UKRAINIAN: "uk",
    Language.POLISH: "pl",
    Language.ENGLISH: "en",
}
# Letters and words that mark Belarusian written in Latin (Łacinka) rather than Polish.
_LACINKA_LETTERS = re.compile(r"[ŭŬ]")
_LACINKA_WORDS = re.compile(
    r"(?<!\w)(?:heta|jaho|jany|jon|jana|kali|taksama|ciapier|kab|hetaha|biełarus\w*|što|dzie)(?!\w)",
    re.IGNORECASE,
)
# Letters only one Cyrillic language has: decide without the model when present.
_BE_ONLY = re.compile(r"[ўЎіІ]")
_RU_ONLY = re.compile(r"[щЩъЪиИ]")
_UK_ONLY = re.compile(r"[їЇєЄґҐ]")


@functools.cache
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*_CODES).build()


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each paragraph: each non-blank line."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]


def detect_language(text: str) -> str | None:
    """Return the language code of a piece of text (`be`, `ru`, `uk`, `pl`, `en`, `be-Latn`)."""
    if not re.search(r"\w", text):
        return None
    cyr = len(re.findall(r"[\u0400-\u04ff]", text))
    lat = len(re.findall(r"[A-Za-z\u00c0-\u024f]", text))
    if cyr > lat:
        be, ru, uk = (len(p.findall(text)) for p in (_BE_ONLY, _RU_ONLY, _UK_ONLY))
        if uk and not be:
            return "uk"
        if be and not ru:
            return "be"
        if ru and not be:
            return "ru"
    found = _detector().detect_language_of(text)
    code = _CODES.get(found) if found is not None else None
    if code == "pl" and (_LACINKA_LETTERS.search(text) or len(_LACINKA_WORDS.findall(text)) >= 2):
        return "be-Latn"
    return code


def paragraph_languages(text: str) -> tuple[str | None, list[str | None]]:
    """Return (the item's language, the language of each paragraph).

    The item's language is the one of most of its letters.
    """
    spans = split_paragraphs(text)
    langs = [detect_language(text[a:b]) for a, b in spans]
    weight: Counter[str] = Counter()
    for (a, b), lang in zip(spans, langs, strict=True):
        if lang:
            weight[lang] += b - a
    return (weight.most_common(1)[0][0] if weight else None), langs
