"""Phonological keys: one spelling-independent skeleton for Belarusian, Russian and Latin tokens.

`token_keys("Кандыбоўская")`, `token_keys("Кандыбовская")`, `token_keys("Kandybouskaya")` and
`token_keys("Kandyboŭskaja")` all contain `KANDIBAVSKA`. The key folds exactly the
differences that come from *who wrote the name down*, and keeps the ones that tell people
apart:

* romanisation systems: ia/ja/ya/â → я, kh/ch/h → х, ts/c/tz → ц, sh/sz/š/sch → ш, ...;
* Belarusian ↔ Russian regularities: akanye and yakanye (а/о, е/я/э/ё all become `A`),
  ы/и/і → `I`, ў/в/u-after-a-vowel → `V` (so -аў = -ов), г/h/g → `H` (with х, which
  Latin "h" also writes), дз → `D` and ц → `T` (дзеканне/цеканне: Дзмітрый = Дмитрий),
  шч = щ, soft and hard signs and iotation dropped, doubled letters collapsed;
* the final -ий/-ый/-і/-y of adjectival surnames and given names → `I`.

It keeps every other consonant and the vowel classes A/I/U, so Мазік ≠ Мазеў, Брык ≠ Бык,
Бедок ≠ Будок and -ski ≠ -ska. Because the key erases а/о and е/я, two spellings in the
*same* Cyrillic language with equal keys but different letters are not the same name
(Пяляцкий ≠ Пелецкий); the scorer, not the key, enforces that.

A Latin token can have several keys where a spelling is ambiguous ("ch" is ч in English
and х in Polish; "c" is ц in Polish and к in English; French "ou" is у). Keys are short
ASCII strings so that comparing two tokens is a set intersection.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = [
    "VOWELS",
    "consonant_skeleton",
    "cyrillic_key",
    "l_vocalisation_keys",
    "latin_keys",
    "token_keys",
]

#: The vowel classes of the key.
VOWELS = frozenset("AIU")

_CYR = {
    "а": "A",
    "о": "A",
    "е": "A",
    "э": "A",
    "я": "A",
    "ё": "A",
    "є": "A",
    "и": "I",
    "ы": "I",
    "і": "I",
    "ї": "I",
    "у": "U",
    "ю": "U",
    "й": "J",
    "ў": "V",
    "в": "V",
    "б": "B",
    "п": "P",
    "д": "D",
    "т": "T",
    "ц": "T",
    "г": "H",
    "ґ": "H",
    "х": "H",
    "к": "K",
    "л": "L",
    "м": "M",
    "н": "N",
    "р": "R",
    "с": "S",
    "з": "S",
    "ж": "Z",
    "ш": "X",
    "щ": "XC",
    "ч": "C",
    "ф": "F",
    "ь": "",
    "ъ": "",
    "'": "",
    "-": "-",
}

# Latin spellings by the key symbols they read as (several: any of these readings).
_LAT_SPELLINGS: dict[tuple[str, ...], str] = {
    ("XC",): "schtsch shch szcz sjtsj šč ŝ",
    ("C", "TC"): "tsch",
    ("TX", "TH"): "tsh",
    ("C",): "tch tsj cz č ç cs tx tj",
    ("C", "H"): "ch",
    ("SX",): "ssh",
    ("X", "SC", "SH"): "sch",
    ("X",): "sh sz š ş ș",
    ("Z",): "zh ž ż",
    ("Z", "RS"): "rz",
    ("DZ",): "dzh dž dż",
    ("D",): "dź dz d",
    ("DI",): "gyi",
    ("H",): "kh gh h g ğ",
    ("KS",): "x",
    ("K", "TK"): "ck",
    ("K",): "k q",
    ("T", "K"): "c",
    ("T", "TS"): "ts",
    ("T",): "tz th t ć ţ ț",
    ("F",): "ph f",
    ("V",): "v w ŭ ǔ",
    ("B",): "b",
    ("P",): "p",
    ("M",): "m",
    ("N",): "n ń ñ ň",
    ("L",): "l ł ĺ ľ",
    ("R",): "r",
    ("S",): "ss s ś ß z ź",
    ("J",): "j",
    ("Y",): "y i",
    ("I",): "ı",
    ("",): "'",
    ("-",): "-",
}
# Longest first, so that `sch` is read before `sh` and `s`.
_LAT: list[tuple[str, tuple[str, ...]]] = sorted(
    (
        (spelling, readings)
        for readings, spellings in _LAT_SPELLINGS.items()
        for spelling in spellings.split()
    ),
    key=lambda item: -len(item[0]),
)
_LAT_VOWEL: dict[str, str] = {}
for _chars, _cls in (("aoeäöåáàâãéèëêěėóòôõőęą", "A"), ("ìíîïųū", "I"), ("uúùüûů", "U")):
    for _c in _chars:
        _LAT_VOWEL[_c] = _cls
_LAT_VOWEL["ų"] = "U"
_LAT_VOWEL["ū"] = "U"
_LAT_VOWEL["ý"] = "I"
_LAT_FIRST: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
for _pat, _out in _LAT:
    _LAT_FIRST.setdefault(_pat[0], []).append((_pat, _out))

_MAX_KEYS = 8


def _finish(seq: str) -> str:
    """Apply the context rules to a raw symbol string (shared by both scripts).

    `Y` is a Latin i/y/j-like letter whose role depends on its neighbours; `J` is iotation.
    """
    out: list[str] = []
    n = len(seq)
    for i, ch in enumerate(seq):
        prev = out[-1] if out else ""
        nxt = seq[i + 1] if i + 1 < n else ""
        if ch == "Y":
            # Latin i/y: a vowel between consonants, iotation before a vowel, й after one.
            ch = "J" if (nxt and nxt in "AIU") or (prev and prev in VOWELS) else "I"
        if ch == "J":
            # й survives only as the second half of a diphthong (Андрэй, Айгуль) and is then
            # written like и; before a vowel or at the start it is iotation, which we drop.
            if prev in VOWELS and prev and (nxt not in "AIUY" or not nxt):
                ch = "I"
            else:
                continue
        if ch == "U" and prev in ("A", "I") and nxt not in ("A", "I", "U", "Y", "J"):
            # у/u after a vowel is the non-syllabic ў: -оў/-ou/-ow/-ov all end in V.
            ch = "V"
        if ch == "U" and not out and nxt and nxt not in "AIUYJ-":
            # Belarusian prothetic у before a consonant (Уладзімірскі = Владимирский).
            ch = "V"
        if out and out[-1] == ch:
            continue
        if ch in ("A", "U") and prev == "I":
            # Palatalisation (ia, ie, iu after a consonant; Мария/Maria/Марыя) is dropped.
            out[-1] = ch
            if len(out) > 1 and out[-2] == ch:
                out.pop()
            continue
        out.append(ch)
    return "".join(out)


@functools.lru_cache(maxsize=200_000)
def cyrillic_key(token: str) -> str:
    """Return the key of a Cyrillic token (lower-cased first; unknown characters dropped).

    Examples:
        >>> cyrillic_key("Шчупак") == cyrillic_key("Щупак")
        True
    """
    low = token.lower().replace("ё", "е")
    low = low.replace("дж", "\x01").replace("дз", "\x02").replace("шч", "\x03")
    parts: list[str] = []
    for ch in low:
        if ch == "\x01":
            parts.append("DZ")
        elif ch == "\x02":
            parts.append("D")
        elif ch == "\x03":
            parts.append("XC")
        else:
            parts.append(_CYR.get(ch, ""))
    return _finish("".join(parts))


def _latin_raw(low: str) -> list[str]:
    outs = [""]
    i = 0
    n = len(low)
    while i < n:
        ch = low[i]
        if ch in _LAT_VOWEL:
            outs = [o + _LAT_VOWEL[ch] for o in outs]
            i += 1
            continue
        for pat, readings in _LAT_FIRST.get(ch, ()):
            if low.startswith(pat, i):
                if len(readings) == 1:
                    outs = [o + readings[0] for o in outs]
                else:
                    outs = [o + r for o in outs for r in readings][:_MAX_KEYS]
                i += len(pat)
                break
        else:
            i += 1
    return outs


def _latin_spellings(low: str) -> list[str]:
    """The token itself plus the foreign orthographies it may be written in (combined)."""
    forms = [low]

    def add(fn: object) -> None:
        for f in list(forms):
            g = fn(f)  # type: ignore[operator]
            if g and g != f and g not in forms:
                forms.append(g)

    add(lambda f: f.replace("ou", "u") if "ou" in f else None)  # French: Poutine
    add(lambda f: f.replace("oe", "u") if "oe" in f else None)  # Dutch: Poetin
    add(lambda f: f[:-3] + "ich" if f.endswith("ici") else None)  # Romanian: -ovici
    # French mute e (Poutine)
    add(lambda f: f[:-1] if len(f) >= 5 and f.endswith("e") and f[-2] not in "aeiouy" else None)
    for ending in ("as", "is", "us", "s"):  # Lithuanian/Latvian nominative endings
        if len(low) >= 6 and low.endswith(ending) and low[-len(ending) - 1] not in "aeiousz":
            add(lambda f, e=ending: f[: -len(e)] if f.endswith(e) else None)
            break
    return forms


@functools.lru_cache(maxsize=200_000)
def latin_keys(token: str) -> frozenset[str]:
    """Return the keys of a Latin-script token (one per plausible reading, at most a few).

    Examples:
        >>> sorted(latin_keys("Kandybouskaya"))
        ['KANDIBAVSKA', 'KANDIBUSKA']
    """
    low = unicodedata.normalize("NFC", token.lower())
    keys: set[str] = set()
    for form in _latin_spellings(low):
        for raw in _latin_raw(form):
            keys.add(_finish(raw))
            if len(keys) >= _MAX_KEYS:
                return frozenset(keys)
    return frozenset(keys)


def token_keys(token: str, script: str) -> frozenset[str]:
    """Return the keys of a token in `script` (`cyrl` or `latn`; others have none)."""
    if script == "cyrl":
        return frozenset((cyrillic_key(token),))
    if script == "latn":
        return latin_keys(token)
    return frozenset()


_U_FROM_L_CYR = re.compile(r"ў(?=[бвгґджзклмнпрстфхцчшщ])")
_U_FROM_L_LAT = re.compile(r"(?<=[aeiouy])[uŭǔw](?=[bcdfghjklmnpqrstvwxzšžčćśź])")


def l_vocalisation_keys(token: str, script: str) -> frozenset[str]:
    """Keys of the token read with л where Belarusian wrote ў for it (Тоўсцік = Толстик).

    Belarusian vocalised л before a consonant (воўк, Тоўсцік); the Russian form keeps л. Only
    surnames get these extra keys (a given name's forms are in the table).
    """
    if script == "cyrl":
        low = token.lower()
        if "ў" in low and _U_FROM_L_CYR.search(low):
            return frozenset((cyrillic_key(_U_FROM_L_CYR.sub("л", low)),))
    elif script == "latn":
        low = token.lower()
        if _U_FROM_L_LAT.search(low):
            return latin_keys(_U_FROM_L_LAT.sub("l", low))
    return frozenset()


_VOWEL_RE = re.compile("[AIU]")


def consonant_skeleton(key: str) -> str:
    """Return the key without its vowels (the blocking key and the vowel-typo test)."""
    return _VOWEL_RE.sub("", key)
