"""Token rules: which rule relates two words in the role of surname, given name or patronymic.

`match_tokens` returns the first rule that applies (a key of `RULES`); the scorer turns it
into a similarity. Each rule is a plain sentence in `RULES`, published in `docs/names.md`.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from khronika.names.given import given_names
from khronika.names.key import consonant_skeleton
from khronika.names.parse import _PATR_SUFFIX, Token

__all__ = ["RULES", "match_tokens"]

#: rule → (similarity, what it means). Published in docs/names.md.
RULES: dict[str, tuple[float, str]] = {
    "identical": (1.0, "the same spelling (case, ё/е and Latin accents aside)"),
    "transliteration": (0.98, "the same phonological key in different scripts or Latin systems"),
    "be-ru": (0.97, "Belarusian and Russian Cyrillic forms related by regular correspondences"),
    "given-equivalent": (0.95, "the same given name in another language (given-name table)"),
    "patronymic-stem": (0.95, "patronymics built on the same father's name"),
    "diminutive": (0.9, "a short form or diminutive of the given name (given-name table)"),
    "initial": (0.85, "an initial or abbreviation compatible with the full name"),
    "hyphen-part": (0.85, "one part of a hyphenated surname equals the other surname"),
    "given-derived": (
        0.95,
        "surnames made from the same given name in two languages "
        "(Мікалаеў = Николаев) with the same suffix",
    ),
    "vowel-typo": (0.8, "one vowel differs across scripts/systems, consonants all equal"),
    "same-language-difference": (0.0, "same-language spellings that differ (Пяляцкий ≠ Пелецкий)"),
    "different": (0.0, "no rule relates the two"),
}
_SIM = {rule: sim for rule, (sim, _) in RULES.items()}


def _initials_of(t: Token) -> frozenset[str]:
    table = given_names()
    out = set(t.inits)
    for stem in _stems(t):  # a patronymic: the father's name's initials (М. = Мікалаеўна)
        for gid in table.stem_ids.get(stem, frozenset()):
            out |= table.first_letters.get(gid, frozenset())
    return frozenset(out)


def _initial_match(ta: Token, tb: Token) -> bool:
    init, full = (ta, tb) if ta.initial else (tb, ta)
    if full.initial:
        return bool(set(init.inits) & set(full.inits))
    if len(init.text) > 1:  # an abbreviation ("Вл"): a prefix of the full name's key
        return any(j.startswith(k) for k in init.keys if k for j in full.keys)
    return bool(set(init.inits) & _initials_of(full))


def _vowel_typo(ta: Token, tb: Token) -> bool:
    # The last two letters carry sex and case (-ов/-ова, -ski/-ska): never a typo there.
    if ta.surname_sex != tb.surname_sex or not ta.skeletons & tb.skeletons:
        return False
    for ka in ta.keys:
        if len(ka) < 6:
            continue
        for kb in tb.keys:
            if (
                ka[-2:] == kb[-2:]
                and consonant_skeleton(ka) == consonant_skeleton(kb)
                and Levenshtein.distance(ka, kb) <= 1
            ):
                return True
    return False


def _given_derived(ta: Token, tb: Token) -> bool:
    """Both surnames are one suffix on stems of the same given name (in two languages)."""
    return bool(ta.derived and ta.derived & tb.derived)


def _ending_ka_ko(a: str, b: str) -> bool:
    # -енка/-енко written either way in one language (Belarusian texts keep -енко too).
    return (
        len(a) == len(b) > 3 and a[:-1] == b[:-1] and {a[-1], b[-1]} == {"а", "о"} and a[-2] == "к"
    )


def _stems(t: Token) -> set[str]:
    out = set()
    for k in t.keys:
        for suffix in _PATR_SUFFIX:
            if k.endswith(suffix) and len(k) > len(suffix) + 1:
                out.add(k[: -len(suffix)])
    return out


def match_tokens(ta: Token, tb: Token, part: str, licensed: bool) -> str:
    """Return the rule (a key of `RULES`) that relates two tokens in the role `part`."""
    if ta is tb or ta.spelling == tb.spelling:
        return "identical"
    if ta.initial or tb.initial:
        return "initial" if _initial_match(ta, tb) else "different"
    table = given_names()
    if part == "given" and ta.given_how == "spelling" and tb.given_how == "spelling":
        if not ta.given_ids & tb.given_ids:
            return "different"
        if not ta.keys & tb.keys:
            short = table.short_spellings
            return (
                "diminutive" if ta.spelling in short or tb.spelling in short else "given-equivalent"
            )
    cross = ta.script != tb.script or ta.script == "latn"
    if ta.keys & tb.keys:
        if cross:
            return "transliteration"
        if licensed or _ending_ka_ko(ta.spelling, tb.spelling):
            return "be-ru"
        if part == "given" and ta.given_ids & tb.given_ids:
            # Spelling variants of one given name in one language (Ізабэла/Ізабела).
            return "given-equivalent"
        return "same-language-difference"
    if part == "given" and ta.given_ids & tb.given_ids:
        short = table.short_spellings
        return "diminutive" if ta.spelling in short or tb.spelling in short else "given-equivalent"
    if part == "patronymic":
        sa, sb = _stems(ta), _stems(tb)
        if sa & sb:
            return "patronymic-stem"
        ia = {i for s in sa for i in table.stem_ids.get(s, ())}
        ib = {i for s in sb for i in table.stem_ids.get(s, ())}
        if ia & ib:
            return "patronymic-stem"
    if part == "surname" and (cross or licensed) and _given_derived(ta, tb):
        return "given-derived"
    if (cross or licensed) and _vowel_typo(ta, tb):
        return "vowel-typo"
    if part == "surname" and ("-" in ta.text or "-" in tb.text):
        parts_a = {p for k in ta.keys for p in k.split("-")}
        parts_b = {p for k in tb.keys for p in k.split("-")}
        if parts_a & parts_b:
            return "hyphen-part"
    return "different"
