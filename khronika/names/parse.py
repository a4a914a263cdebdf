"""Parse a full name into given name, patronymic and surname, in any order and script.

Handles "Given Surname", "Surname Given Patronymic", "Given Patronymic Surname",
ALL-CAPS surnames in list style ("PUTIN vladimir"), "SURNAME, Given", initials ("В. В.",
"Вл"), hyphenated surnames (kept as one token) and titles ("Президент", "Presidente"),
which are set aside. When the order cannot be told (two tokens, neither a known given
name), the parse keeps both readings and the scorer takes the better one.

Example:
    >>> p = parse_name("Кандыбовіч Ганна Іванаўна")
    >>> p.readings[0].surname.text, p.readings[0].given.text, p.readings[0].patronymic.text
    ('Кандыбовіч', 'Ганна', 'Іванаўна')
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from dataclasses import dataclass, field

from khronika.names.given import given_names, initial_letters, spelling_key
from khronika.names.key import consonant_skeleton, l_vocalisation_keys, token_keys
from khronika.names.scripts import (
    clean_text,
    detect_language,
    detect_script,
    name_language,
    repair_homoglyphs,
)

__all__ = [
    "ParsedName",
    "Reading",
    "Token",
    "make_token",
    "name_lang",
    "parse_name",
    "split_tokens",
]

# Words that name a role, not a person (several languages; compared lower-cased).
TITLES = frozenset(
    [
        "президент",
        "президента",
        "прэзідэнт",
        "премьер",
        "министр",
        "генерал",
        "полковник",
        "майор",
        "господин",
        "госпожа",
        "гражданин",
        "гражданка",
        "спадар",
        "спадарыня",
        "пан",
        "пані",
        "пани",
        "г-н",
        "г-жа",
        "гр.",
        "president",
        "präsident",
        "presidente",
        "président",
        "predsjednik",
        "președintele",
        "presiden",
        "prezydent",
        "prezident",
        "elnök",
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "dr",
        "dr.",
        "herr",
        "frau",
        "sir",
        "madame",
        "monsieur",
    ]
)

_TOKEN = re.compile(r"[^\s,;()\[\]\"«»„“”.]+\.?|\.")
_PATR_SUFFIX = ("AVIC", "AVIH", "AVNA", "ICNA", "INICNA", "IC", "IH")
_FEMALE_SURNAME = (
    "ская",
    "цкая",
    "ова",
    "ева",
    "ёва",
    "ина",
    "ына",
    "іна",
    "ава",
    "ая",
    "skaya",
    "skaja",
    "skaia",
    "ska",
    "cka",
    "ova",
    "eva",
    "ina",
    "yna",
    "ava",
    "aya",
    "aja",
    "owa",
    "ewa",
    "awa",
)
_MALE_SURNAME = (
    "ский",
    "цкий",
    "скі",
    "цкі",
    "ов",
    "ев",
    "ёв",
    "ин",
    "ын",
    "ін",
    "аў",
    "оў",
    "еў",
    "ёў",
    "ый",
    "ій",
    "ий",
    "ski",
    "sky",
    "skiy",
    "skij",
    "skii",
    "cki",
    "ov",
    "ev",
    "in",
    "yn",
    "au",
    "ou",
    "eu",
    "ow",
    "ew",
    "off",
    "aŭ",
    "oŭ",
    "eŭ",
)


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a name, with everything the scorer needs precomputed.

    Attributes:
        text: the word as written (cleaned; homoglyphs repaired).
        script: `cyrl`, `latn` or `other`.
        lang: the token's own language (see `scripts.detect_language`).
        spelling: exact-spelling key (lower case, ё→е, no Latin diacritics).
        keys: phonological keys (`key.token_keys`).
        given_ids: rows of the given-name table this word is (empty if none).
        given_how: `spelling`, `key` or empty: how `given_ids` were found.
        initial: an initial or abbreviation ("В.", "V", "Вл").
        caps: written in capitals (list style).
        patronymic_sex: `m`/`f` when the word is a patronymic of a known name, else None.
        surname_sex: `m`/`f` when the word has a sexed surname ending (-ская, -ов), else None.
    """

    text: str
    script: str
    lang: str
    spelling: str
    keys: frozenset[str]
    given_ids: frozenset[int]
    given_how: str
    initial: bool
    caps: bool
    patronymic_sex: str | None
    surname_sex: str | None
    uid: int = 0  # unique per token object: the scorer memoises token pairs by it
    # Blocking material for the screening index, computed once per token:
    skeletons: frozenset[str] = frozenset()  # blocking: consonant skeletons, derivations
    classes: tuple[str, ...] = ()  # given-name classes: g<row> or k<key>
    inits: tuple[str, ...] = ()  # Latin first letters of the word and its name's forms
    derived: frozenset[str] = frozenset()  # surname made from a given name: `<row>+<suffix>`


_UIDS = itertools.count(1)


@dataclass(frozen=True, slots=True)
class Reading:
    """One interpretation of a name: which token is which part.

    Attributes:
        given, patronymic, surname: the tokens in those roles (None when absent).
        extra: tokens left over (a second given name, an unknown word).
        order: the order read, e.g. `surname given patronymic`.
        sex: `m`, `f` or None, and `sex_from` saying which part told it.
        inflected: for a mention, (as written, nominative) for each word that was changed.
        mention: the reading is of a name from running text (`scoring.prepare(mention=True)`).
    """

    given: Token | None
    patronymic: Token | None
    surname: Token | None
    extra: tuple[Token, ...] = ()
    order: str = ""
    sex: str | None = None
    sex_from: str = ""
    inflected: tuple[tuple[str, str], ...] = ()
    mention: bool = False  # the name comes from running text (see scoring.LONE_SURNAME)
    #: a title stands with the name ("Президент X"): context, like a mention's
    titled: bool = False


@dataclass(frozen=True, slots=True)
class ParsedName:
    """A name, parsed: its tokens, the titles set aside, its language and readings."""

    text: str
    tokens: tuple[Token, ...]
    titles: tuple[str, ...]
    lang: str
    readings: tuple[Reading, ...] = field(default=())
    mention: bool = False


def _is_initial(word: str) -> bool:
    letters = word.rstrip(".")
    if not letters:
        return False
    if word.endswith(".") and len(letters) <= 3:
        return True
    if len(letters) == 1:
        return True
    # "Вл", "Al": a short abbreviation without any vowel letter.
    return len(letters) <= 3 and not re.search(r"[aeiouyаеёиоуыэюяіў]", letters.lower())


@functools.lru_cache(maxsize=500_000)
def make_token(word: str) -> Token:
    """Build a Token from one cleaned word (cached: names share their words)."""
    word = repair_homoglyphs(word)
    script = detect_script(word)
    initial = _is_initial(word)
    bare = word.rstrip(".")
    keys = token_keys(bare, script)
    table = given_names()
    ids: frozenset[int]
    if initial:
        ids, how = frozenset(), ""
    else:
        ids, how = table.lookup(bare, keys)
        if how != "spelling":
            keys = keys | l_vocalisation_keys(bare, script)
    # A surname made from a given name (not itself a given name) meets its other-language twin.
    derived = table.derivations(keys) if not initial and how != "spelling" else frozenset()
    letters = [c for c in bare if c.isalpha()]
    caps = len(letters) > 1 and all(c.isupper() for c in letters)
    low = bare.lower()
    patr_sex = None
    if not initial:
        for k in keys:
            for suffix in _PATR_SUFFIX:
                if k.endswith(suffix) and k[: -len(suffix)] in table.patronymic_stems:
                    patr_sex = "f" if suffix.endswith("NA") else "m"
                    break
            if patr_sex:
                break
    surname_sex = None
    if any(low.endswith(e) for e in _FEMALE_SURNAME):
        surname_sex = "f"
    elif any(low.endswith(e) for e in _MALE_SURNAME):
        surname_sex = "m"
    lang = detect_language(bare)
    if how == "spelling" and lang != "latn" and spelling_key(bare) in table.uk_only_spellings:
        lang = "uk"  # Сергій: its і is Ukrainian here, not Belarusian
    return Token(
        text=bare if initial else word,
        script=script,
        lang=lang,
        spelling=spelling_key(bare),
        keys=keys,
        given_ids=ids,
        given_how=how,
        initial=initial,
        caps=caps,
        patronymic_sex=patr_sex,
        surname_sex=surname_sex,
        uid=next(_UIDS),
        skeletons=_skeletons(keys) | derived,
        derived=derived,
        classes=()
        if initial
        else (tuple(f"g{i}" for i in sorted(ids)) or tuple(f"k{k}" for k in sorted(keys))),
        inits=_inits(bare, ids),
    )


# Blocking folds voicing (б/п, д/т, г/к, ж/ш, в/ф) so that surnames one voicing apart
# (rules `voicing`) meet; the scorer tells them apart where the rule does not apply.
_DEVOICE = str.maketrans("BDHZV", "PTKXF")


def _skeletons(keys: frozenset[str]) -> frozenset[str]:
    out = set()
    for k in keys:
        out.add(consonant_skeleton(k).translate(_DEVOICE))
        if "-" in k:
            out.update(consonant_skeleton(p).translate(_DEVOICE) for p in k.split("-") if p)
    return frozenset(out)


def _inits(word: str, ids: frozenset[int]) -> tuple[str, ...]:
    out = set(initial_letters(word))
    table = given_names()
    for gid in ids:
        out |= table.first_letters.get(gid, frozenset())
    return tuple(sorted(out))


def split_tokens(text: str) -> tuple[list[str], list[str], int | None]:
    """Split a cleaned name into words; return (words, titles, words before a comma)."""
    comma = None
    if "," in text:
        head = text.split(",", 1)[0]
        comma = len(_TOKEN.findall(head))
    words: list[str] = []
    titles: list[str] = []
    for m in _TOKEN.finditer(text):
        w = m.group(0)
        if w == ".":
            continue
        # "В.В." → "В." "В."
        if re.fullmatch(r"(\w\.){2,3}", w):
            words.extend(p + "." for p in w.split(".") if p)
            continue
        if w.lower() in TITLES or w.lower().rstrip(".") in TITLES:
            titles.append(w)
            if comma is not None and len(words) < comma:
                comma -= 1
            continue
        words.append(w)
    return words, titles, comma


def _sex(given: Token | None, patr: Token | None, surname: Token | None) -> tuple[str | None, str]:
    table = given_names()
    if given is not None and given.given_ids:
        sex = table.sex_of(given.given_ids)
        if sex:
            return sex, "given"
    if patr is not None and patr.patronymic_sex:
        return patr.patronymic_sex, "patronymic"
    if surname is not None and surname.surname_sex:
        return surname.surname_sex, "surname"
    return None, ""


def _reading(
    given: Token | None,
    patr: Token | None,
    surname: Token | None,
    extra: tuple[Token, ...],
    order: str,
) -> Reading:
    sex, sex_from = _sex(given, patr, surname)
    return Reading(given, patr, surname, extra, order, sex, sex_from)


def _readings(tokens: list[Token], comma: int | None) -> list[Reading]:
    n = len(tokens)
    if n == 0:
        return []
    if comma is not None and 0 < comma < n:
        surname = tokens[0]
        rest = tokens[comma:]
        given = rest[0]
        patr = rest[1] if len(rest) > 1 else None
        extra = tuple(tokens[1:comma]) + tuple(rest[2:])
        return [_reading(given, patr, surname, extra, "surname, given patronymic")]
    if n == 1:
        t = tokens[0]
        if t.given_ids and not t.surname_sex and not t.caps and t.given_how == "spelling":
            return [_reading(t, None, None, (), "given")]
        return [_reading(None, None, t, (), "surname")]
    inits = [t for t in tokens if t.initial]
    words = [t for t in tokens if not t.initial]
    if inits and len(words) == 1:
        order = "initials surname" if tokens[0].initial else "surname initials"
        patr = inits[1] if len(inits) > 1 else None
        return [_reading(inits[0], patr, words[0], tuple(inits[2:]), order)]
    patr = None
    # Capitals mark the surname only when other words are not in capitals (list style);
    # a name written all in capitals ("ЛЕСНИКОВ ОСИП ЛУКИЧ") still has its patronymic.
    all_caps = all(t.caps or t.initial for t in tokens)
    if n >= 3:
        for t in tokens[1:]:
            if t.patronymic_sex and (all_caps or not t.caps):
                patr = t
                break
        if (
            patr is None
            and inits
            and not tokens[0].initial
            and len(inits) >= 1
            and tokens[-1].initial
        ):
            patr = tokens[-1] if len(inits) >= 2 else None
    rest = [t for t in tokens if t is not patr]
    if len(rest) == 1:
        return [_reading(None, patr, rest[0], (), "surname patronymic")]
    caps = [t for t in rest if t.caps]
    if 0 < len(caps) < len(rest) and len(caps) == 1:
        surname = caps[0]
        others = [t for t in rest if t is not surname]
        order = "SURNAME given" if rest[0] is surname else "given SURNAME"
        return [_reading(others[0], patr, surname, tuple(others[1:]), order)]
    a, b = rest[0], rest[-1]
    extra = tuple(rest[1:-1])
    if patr is not None and patr is tokens[-1]:
        return [_reading(rest[1], patr, rest[0], tuple(rest[2:]), "surname given patronymic")]
    if patr is not None:
        return [_reading(a, patr, b, extra, "given patronymic surname")]
    a_given = bool(a.given_ids) and not a.surname_sex
    b_given = bool(b.given_ids) and not b.surname_sex
    gs = _reading(a, None, b, extra, "given surname")
    sg = _reading(b, None, a, extra, "surname given")
    if a_given and not b_given:
        return [gs]
    if b_given and not a_given:
        return [sg]
    return [gs, sg]


def name_lang(tokens: list[Token] | tuple[Token, ...]) -> str:
    """Return the language of a whole name from its words (`scripts.name_language`).

    A given name in its Ukrainian form (Сергій, Олена in a Belarusian or Russian record) does
    not vote: people keep such a form whatever language the record is written in.
    """
    table = given_names()
    words = [t for t in tokens if not t.initial]
    voters = [t for t in words if t.spelling not in table.uk_only_spellings] or words
    return name_language([t.lang for t in voters])


def parse_name(text: str) -> ParsedName:
    """Parse a name as written in a record or list (no inflection is undone).

    Args:
        text: the full name in any script, order and capitalisation.

    Returns:
        ParsedName with one or two readings (two when the order is ambiguous).
    """
    cleaned = clean_text(text)
    words, titles, comma = split_tokens(cleaned)
    tokens = [make_token(w) for w in words]
    lang = name_lang(tokens)
    readings = tuple(_readings(tokens, comma))
    if titles:
        readings = tuple(dataclasses.replace(r, titled=True) for r in readings)
    return ParsedName(
        text=cleaned,
        tokens=tuple(tokens),
        titles=tuple(titles),
        lang=lang,
        readings=readings,
    )
