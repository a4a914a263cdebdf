"""Inflected name forms back to the nominative, for names taken from running text.

«Анны Кандыбович», «Сергеем», «Ганне Шчупак» are oblique cases; a matcher that
compares them as written misses the person. `nominative_candidates` returns every
nominative the word could come from, because out of context the case is ambiguous
(«Яна Гарбузова» is a woman in the nominative *or* «Ян Гарбузов» in the genitive).

**Use only for mentions.** Records and list entries are already nominative; lemmatising them
would turn a woman called Яна into a man called Ян.

Russian uses pymorphy3 (its dictionary ships in `pymorphy3-dicts-ru`; loaded on first use)
plus suffix rules for surnames and Belarusian forms it does not know.
"""

from __future__ import annotations

import functools

import pymorphy3

__all__ = ["given_name_gender", "nominative_candidates"]

# (ending, replacements): Russian and Belarusian oblique endings of names → nominative.
_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ского", ("ский",)),
    ("скому", ("ский",)),
    ("ским", ("ский", "ская")),
    ("ском", ("ский",)),
    ("ской", ("ская",)),
    ("скую", ("ская",)),
    ("цкого", ("цкий",)),
    ("цкому", ("цкий",)),
    ("цким", ("цкий",)),
    ("цкой", ("цкая",)),
    ("цкую", ("цкая",)),
    ("скага", ("скі",)),
    ("скаму", ("скі",)),
    ("скім", ("скі",)),
    ("скай", ("ская",)),
    ("цкага", ("цкі",)),
    ("цкаму", ("цкі",)),
    ("цкім", ("цкі",)),
    ("цкай", ("цкая",)),
    ("нкі", ("нка",)),
    ("нку", ("нка",)),
    ("нкам", ("нка",)),
    ("нцы", ("нка",)),
    ("ого", ("ий", "ой", "ый")),
    ("ому", ("ий", "ой", "ый")),
    ("ага", ("і", "ы")),
    ("ова", ("ов", "ова")),
    ("ева", ("ев", "ева")),
    ("ёва", ("ёв", "ёва")),
    ("ина", ("ин", "ина")),
    ("ына", ("ын", "ына")),
    ("овой", ("ова",)),
    ("евой", ("ева",)),
    ("иной", ("ина",)),
    ("ову", ("ов", "ова")),
    ("еву", ("ев", "ева")),
    ("ину", ("ин", "ина")),
    ("овым", ("ов",)),
    ("евым", ("ев",)),
    ("иным", ("ин",)),
    ("овe", ("ов",)),
    ("ове", ("ов",)),
    ("еве", ("ев",)),
    ("ине", ("ин",)),
    ("ом", ("", "а")),
    ("ем", ("ь", "й", "")),
    ("ём", ("ь",)),
    ("ым", ("",)),
    ("ам", ("",)),
    ("ою", ("а",)),
    ("ей", ("я", "ь")),
    ("ой", ("а",)),
    ("ай", ("а",)),
    ("ии", ("ия",)),
    ("іі", ("ія",)),
    ("ию", ("ия",)),
    ("ьи", ("ья",)),
    ("ю", ("ь", "й", "я")),
    ("я", ("ь", "й")),
    ("у", ("", "а")),
    ("е", ("", "а", "я")),
    # Belarusian a-stems: genitive -і after к/г/х, dative/locative with к→ц, г→з, х→с.
    ("кі", ("ка",)),
    ("гі", ("га",)),
    ("хі", ("ха",)),
    ("цы", ("ка", "ца")),
    ("зе", ("га",)),
    ("ы", ("а",)),
    ("и", ("а", "я", "ь")),
    ("і", ("а", "я", "ь")),
    ("а", ("",)),
)


@functools.lru_cache(maxsize=1)
def _analyzer() -> pymorphy3.MorphAnalyzer:
    # Built once: loading the dictionaries takes about a second.
    return pymorphy3.MorphAnalyzer()


def _match_case(src: str, dst: str) -> str:
    if src.isupper() and len(src) > 1:
        return dst.upper()
    if src[:1].isupper():
        return dst[:1].upper() + dst[1:]
    return dst


@functools.lru_cache(maxsize=50_000)
def nominative_candidates(word: str) -> tuple[str, ...]:
    """Return the word itself and the nominatives it may be an inflected form of.

    Args:
        word: one word of a name from running text (Cyrillic; other scripts pass through).

    Returns:
        Up to six forms, the word itself first, most likely next.

    Example:
        >>> "Сергей" in nominative_candidates("Сергеем")
        True
    """
    if not any("\u0400" <= c <= "\u04ff" for c in word) or "-" in word:
        return (word,)
    low = word.lower()
    out: list[str] = [low]
    for p in _analyzer().parse(low)[:6]:
        tag = p.tag
        if not ({"Name", "Surn", "Patr"} & set(tag.grammemes)) and tag.POS not in ("NOUN", "ADJF"):
            continue
        if "nomn" in tag:
            continue
        nom = p.inflect({"nomn"})
        if nom is not None:
            out.append(nom.word)
        if p.normal_form not in out:
            out.append(p.normal_form)
    for ending, replacements in _RULES:
        if low.endswith(ending) and len(low) - len(ending) >= 2:
            stem = low[: -len(ending)]
            out.extend(stem + r for r in replacements)
            break
    seen: list[str] = []
    for form in out:
        if form and form not in seen:
            seen.append(form)
    return tuple(_match_case(word, f) for f in seen[:6])


def given_name_gender(word: str) -> str | None:
    """Return `femn` or `masc` when pymorphy3 knows `word` as a Russian given name, else None."""
    for p in _analyzer().parse(word.lower())[:3]:
        if "Name" in p.tag.grammemes:
            for g in ("femn", "masc"):
                if g in p.tag.grammemes:
                    return g
    return None
