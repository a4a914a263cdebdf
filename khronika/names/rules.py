"""Token rules: which rule relates two words in the role of surname, given name or patronymic.

`match_tokens` returns the first rule that applies (a key of `RULES`); the scorer turns it
into a similarity. Each rule is a plain sentence in `RULES`, published in `docs/names.md`.
"""

from __future__ import annotations

import functools

from rapidfuzz.distance import OSA, Levenshtein

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
    "hyphen-part": (
        0.85,
        "one part of a compound surname equals the other surname (Шыла-Новак / Шыла); "
        "needs evidence: by name alone the score stays below the threshold",
    ),
    "given-derived": (
        0.95,
        "surnames made from the same given name in two languages "
        "(Мікалаеў = Николаев) with the same suffix",
    ),
    "vowel-typo": (0.8, "one vowel differs across scripts/systems, consonants all equal"),
    "transposition": (
        0.8,
        "two neighbouring letters (or consonants around one vowel) swapped in a surname "
        "between languages or scripts (Шаўцоў = Швецов)",
    ),
    "compound-typo": (
        0.85,
        "compound surnames with the same parts in the same order, each at most one edit apart, "
        "one side in Latin (AL-DABSIK / AL-DABSKI)",
    ),
    "vowel-dropped": (
        0.8,
        "between languages or scripts, one surname has one vowel more between two consonants "
        "(Крупенін = Крупнин), first letter and ending unchanged",
    ),
    "voicing": (
        0.8,
        "between languages or scripts, one consonant of a surname voiced in one spelling and "
        "voiceless in the other (б/п, д/т, г/к, ж/ш, в/ф), not the first letter or the ending",
    ),
    "typo": (
        0.72,
        "a swap within one language (Лесников = Лесинков) or one consonant differing inside "
        "a long surname (not the first letter, not the ending); reaches the threshold only "
        "with an agreeing patronymic or birth date",
    ),
    "vowel-mismatch": (
        0.0,
        "Belarusian and Russian Cyrillic forms whose vowels do not correspond "
        "(Тамкевіч ≠ Тамкович)",
    ),
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


_KEY_VOWELS = frozenset("AIU")  # the vowel classes of `key.token_keys`
#: a consonant typo is forgiven only in surnames with at least this many consonants
TYPO_MIN_CONSONANTS = 6


def _swapped(a: str, b: str) -> bool:
    # One swap of neighbours: OSA distance 1 where plain edits need 2.
    return OSA.distance(a, b) == 1 and Levenshtein.distance(a, b) == 2


def _swap_has_vowel_or_v(a: str, b: str) -> bool:
    i = next(i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y)
    return bool({a[i], a[i + 1]} & _SWAP_LETTERS)


_SWAP_LETTERS = frozenset("AIUV")
_SLAVIC_OR_CYRL = frozenset(("be", "ru", "uk", "cyrl"))


def _two_languages(ta: Token, tb: Token) -> bool:
    # The words' own languages, not the names': a swap is a correspondence only when one
    # word is told Belarusian and the other Russian (Шаўцоў / Швецов).
    return ta.lang != tb.lang and ta.lang in _SLAVIC_OR_CYRL and tb.lang in _SLAVIC_OR_CYRL


def _typo(ta: Token, tb: Token, cross: bool) -> str | None:
    """`transposition` or `typo` when two surnames' keys differ by one such edit, with the
    first letter and the last two (sex and case) unchanged; else None.

    In one script only a swap involving a vowel or в/ў counts (Лесников = Лесинков,
    Шаўцоў = Швецов): two consonants swapped in one script are often two real surnames
    (Карпаў ≠ Капраў). Across scripts consonants swapped around a vowel count too: the
    reader of a romanisation misplaced them. Within one language a swap is only a `typo`.
    """
    if ta.surname_sex != tb.surname_sex or ta.initial or tb.initial:
        return None
    for ka in ta.keys:
        n = len(ka)
        if n < 5:
            continue
        first, end = ka[0], ka[-2:]
        for kb in tb.keys:
            if len(kb) != n or kb[0] != first or kb[-2:] != end:
                continue
            if _swapped(ka, kb) and (cross or _swap_has_vowel_or_v(ka, kb)):
                return "transposition" if cross or _two_languages(ta, tb) else "typo"
            sa, sb = consonant_skeleton(ka), consonant_skeleton(kb)
            va = [c for c in ka if c in _KEY_VOWELS]
            vb = [c for c in kb if c in _KEY_VOWELS]
            if va != vb:
                continue
            if cross and _swapped(sa, sb):  # consonants swapped around a vowel
                return "transposition"
            diff = [i for i, (x, y) in enumerate(zip(ka, kb, strict=True)) if x != y]
            if len(diff) == 1 and len(sa) >= TYPO_MIN_CONSONANTS:
                return "typo"
    return None


# Pairs of key letters that differ only in voicing (з/с are one letter of the key already).
_VOICING = frozenset(frozenset(p) for p in ("BP", "DT", "HK", "ZX", "VF"))
#: the shorter key of a `vowel-dropped` or `voicing` pair has at least this many letters
ALTERNATION_MIN_KEY = 5


def _alternation(ta: Token, tb: Token) -> str | None:
    """`vowel-dropped` or `voicing` when two surnames' keys differ by one such edit, with the
    first letter and the last two (sex and case) unchanged; else None.

    Both are how one surname moves between Belarusian and Russian (or a clerk's ear): an
    unstressed vowel between consonants lost or added (Барадулін / Бардулин), and one
    consonant voiced or devoiced (Грыбаедаў / Грипоедов). The caller allows them only
    between languages or scripts: within one language they are two surnames.
    """
    if ta.surname_sex != tb.surname_sex or ta.initial or tb.initial:
        return None
    for ka in ta.keys:
        for kb in tb.keys:
            short, long_ = (ka, kb) if len(ka) <= len(kb) else (kb, ka)
            n = len(short)
            if n < ALTERNATION_MIN_KEY or "-" in long_:
                continue
            if len(long_) == n + 1:
                i = next((j for j in range(n) if short[j] != long_[j]), n)
                if (
                    1 <= i <= n - 2
                    and long_[i] in _KEY_VOWELS
                    and long_[i - 1] not in _KEY_VOWELS
                    and long_[i + 1] not in _KEY_VOWELS
                    and long_[i + 1 :] == short[i:]
                ):
                    return "vowel-dropped"
            elif len(long_) == n:
                diff = [j for j in range(n) if ka[j] != kb[j]]
                if (
                    len(diff) == 1
                    and 1 <= diff[0] <= n - 3
                    and frozenset((ka[diff[0]], kb[diff[0]])) in _VOICING
                ):
                    return "voicing"
    return None


def _compound_typo(ta: Token, tb: Token) -> bool:
    """Both surnames have the same parts in the same order, each at most one edit apart
    (AL-DABSIK / AL-DABSKI): one compound surname misspelt, not two surnames.

    Parts are compared by key and by spelling (a doubled letter can change a short key more
    than the letter does: YYU-RO / YU-RO)."""
    spell_a, spell_b = frozenset((ta.spelling,)), frozenset((tb.spelling,))
    for ka in ta.keys | spell_a:
        pa = [p for p in ka.split("-") if p]
        for kb in tb.keys if ka in ta.keys else spell_b:
            pb = [p for p in kb.split("-") if p]
            if len(pa) == len(pb) >= 2 and all(
                OSA.distance(x, y) <= 1 for x, y in zip(pa, pb, strict=True)
            ):
                return True
    return False


def _given_derived(ta: Token, tb: Token) -> bool:
    """Both surnames are one suffix on stems of the same given name (in two languages)."""
    return bool(ta.derived and ta.derived & tb.derived)


_VOWELS = frozenset("аоуыэяёюиіе")
# Vowels that stand for each other between Belarusian and Russian spellings of one name:
# akanye а/о, yakanye я/е (я/ё), э/е, ё/е/о, ы/і/и (unordered pairs).
_VOWEL_PAIRS = frozenset(
    frozenset(p) for p in ("ао", "ея", "яё", "её", "оё", "еэ", "иі", "иы", "ыі")
)
# After hard hushing consonants, ц and р Belarusian writes а/о/э where Russian writes е/ё
# (Чарнецкі = Чернецкий, Чорны = Чёрный).
_HARD = frozenset("жчшщцр")
_HARD_PAIRS = frozenset(frozenset(p) for p in ("ае", "ое", "аё", "аэ", "оэ"))


@functools.lru_cache(maxsize=200_000)
def _vowels(text: str) -> tuple[tuple[str, str], ...]:
    """The word's vowels, each with the letter before it (cached: words recur)."""
    low = text.lower()
    return tuple((c, low[i - 1] if i else "") for i, c in enumerate(low) if c in _VOWELS)


def _be_ru_vowels_agree(ta: Token, tb: Token) -> bool:
    """Every vowel of one Cyrillic spelling corresponds to the other's (akanye, yakanye …).

    Only decides when both words have as many vowels; otherwise it does not object.
    """
    va, vb = _vowels(ta.text), _vowels(tb.text)
    if len(va) != len(vb) or va == vb:
        return True
    for (x, px), (y, py) in zip(va, vb, strict=True):
        if x == y:
            continue
        how = _VOWEL_OK.get((x, y))
        if how == "always":
            continue
        if how == "hard" and (px in _HARD or py in _HARD):
            continue
        if (x, y) in _INITIAL_OK and not px and not py:  # word-initial а/е (Алена = Елена)
            continue
        return False
    return True


# The pairs above as one look-up table, both orders: "always" or "hard" (after _HARD).
_VOWEL_OK: dict[tuple[str, str], str] = {}
for _pair_set, _how in ((_VOWEL_PAIRS, "always"), (_HARD_PAIRS, "hard")):
    for _pair in _pair_set:
        _x, _y = sorted(_pair)
        _VOWEL_OK.setdefault((_x, _y), _how)
        _VOWEL_OK.setdefault((_y, _x), _how)
_INITIAL_OK = frozenset((("а", "е"), ("е", "а")))


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
        if _ending_ka_ko(ta.spelling, tb.spelling):
            return "be-ru"
        if licensed:
            if part != "given" and ta.script == "cyrl" and not _be_ru_vowels_agree(ta, tb):
                return "vowel-mismatch"
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
    # Between Belarusian and Russian Cyrillic the key already folds every vowel that
    # corresponds; a vowel class that still differs is another name (Грыцук ≠ Грецук).
    if cross and _vowel_typo(ta, tb):
        return "vowel-typo"
    if part == "surname" and ("-" in ta.text or "-" in tb.text):
        if cross and _compound_typo(ta, tb):
            return "compound-typo"
        parts_a = {p for k in ta.keys for p in k.split("-")}
        parts_b = {p for k in tb.keys for p in k.split("-")}
        if parts_a & parts_b:
            # A part in common is not enough: Шыла-Новак may be Шыла's wife or sister. The
            # scorer caps this rule below THRESHOLD (scoring.COMPOUND_PART_CAP).
            return "hyphen-part"
    if part == "surname":
        # A transposition between languages/scripts scores 0.8, like a vowel typo: only a
        # pair whose given name (and sex, patronymic, birth date when present) agree reaches
        # THRESHOLD. A typo within one language, or a consonant typo, scores 0.72: it needs
        # an agreeing patronymic or birth date as well, because many real surnames differ by
        # one consonant or one swap (‑цкевич/‑ськевич).
        # Checked before `typo`: a voicing pair is a known correspondence, not any consonant.
        if cross or licensed:
            alternation = _alternation(ta, tb)
            if alternation:
                return alternation
        typo = _typo(ta, tb, cross)
        if typo:
            return typo
    return "different"
