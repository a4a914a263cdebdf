"""Given-name equivalents: Ганна = Анна = Hanna, Зміцер = Дмитрий, Алесь → Аляксандр.

The table lives in `data/given_names.csv` (its sources are noted at its top). On loading,
each Belarusian and Russian form is also written in every Latin system of
`khronika.names.translit`, so "Katsiaryna", "Kaciaryna" and "Jekaterina" need no rows.

A form is looked up by its exact spelling first (so Яна and Анна stay different names even
though their keys meet) and by its phonological key only when the spelling is unknown.
"""

from __future__ import annotations

import csv
import functools
import unicodedata
from dataclasses import dataclass
from importlib import resources

from khronika.names.key import token_keys
from khronika.names.scripts import detect_script
from khronika.names.translit import SYSTEMS, transliterate

__all__ = [
    "DERIVING_SUFFIXES",
    "GivenName",
    "GivenNames",
    "given_names",
    "initial_letters",
    "spelling_key",
]

# The Latin letters a name beginning with this Cyrillic letter may be written with in any
# system (Е → E/Ye/Je/Ie; В → V/W; Г → H/G). Initials are compared in this letter space, so
# "В." fits Уладзімір (via Владимир) but "А." does not fit Яўген or Іван.
_FIRST = {
    "а": "a",
    "б": "b",
    "в": "vw",
    "г": "hg",
    "ґ": "g",
    "д": "d",
    "е": "eyji",
    "ё": "yje",
    "є": "yje",
    "ж": "z",
    "з": "zs",
    "и": "iy",
    "і": "i",
    "ї": "iyj",
    "й": "jyi",
    "к": "kc",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ў": "uw",
    "ф": "f",
    "х": "hkc",
    "ц": "tcz",
    "ч": "ct",
    "ш": "s",
    "щ": "s",
    "э": "e",
    "ю": "yjiu",
    "я": "yji",
}


_FIRST_ISO9 = {"â": "yji", "û": "yjiu", "ë": "yje"}

#: Key suffixes that make a surname from a given name (Мікалаеў, Мікалаенка, Мікалаевіч ...).
DERIVING_SUFFIXES = ("AVSKI", "AVSKA", "ANKA", "AVIC", "AVA", "INA", "UK", "AV", "IN", "IC")


def initial_letters(word: str) -> frozenset[str]:
    """The Latin first letters a word (or an initial) may be written with."""
    if not word:
        return frozenset()
    raw = word[0].lower()
    if raw in _FIRST_ISO9:  # ISO 9 â/û/ë stand for я/ю/ё, not for a/u/e
        return frozenset(_FIRST_ISO9[raw])
    c = spelling_key(raw)[:1]
    return frozenset(_FIRST.get(c, c))


@dataclass(frozen=True, slots=True)
class GivenName:
    """One row of the table: a name in all its languages.

    Attributes:
        id: row number (stable within one version of the table).
        sex: `m` or `f`.
        be: Belarusian forms; ru, uk, pl, latin: the other languages' forms.
        short: short forms and diminutives (any script).
    """

    id: int
    sex: str
    be: tuple[str, ...]
    ru: tuple[str, ...]
    uk: tuple[str, ...]
    pl: tuple[str, ...]
    latin: tuple[str, ...]
    short: tuple[str, ...]

    @property
    def full_forms(self) -> tuple[str, ...]:
        """Every full (not short) form, all languages."""
        return self.be + self.ru + self.uk + self.pl + self.latin


def spelling_key(token: str) -> str:
    """Return the exact-spelling key: lower case, ё as е, Latin diacritics removed."""
    low = token.lower().replace("ё", "е").replace("ł", "l").replace("ß", "ss")
    if detect_script(low) == "latn":
        low = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
    return low.replace("'", "")


class GivenNames:
    """The loaded table with its look-ups (build it once with `given_names()`)."""

    def __init__(self, rows: list[GivenName]) -> None:
        self.rows = rows
        self.by_spelling: dict[str, frozenset[int]] = {}
        self.by_key: dict[str, frozenset[int]] = {}
        #: ids whose form is a short form only (Алесь, Саша)
        self.short_spellings: set[str] = set()
        spell: dict[str, set[int]] = {}
        keys: dict[str, set[int]] = {}
        id_keys: dict[int, set[str]] = {}
        #: Latin first letters of every full form of each name (see `initial_letters`)
        self.first_letters: dict[int, frozenset[str]] = {}
        for row in rows:
            forms = set(row.full_forms)
            for form in row.be:
                forms.update(_latin_forms(form, "be"))
            for form in row.ru:
                forms.update(_latin_forms(form, "ru"))
            self.first_letters[row.id] = frozenset().union(*(initial_letters(f) for f in forms))
            for form in row.short:
                lang = "be" if any(c in form for c in "іўІЎ") else "ru"
                forms.update(_latin_forms(form, lang) if detect_script(form) == "cyrl" else ())
                forms.add(form)
            for form in forms:
                spell.setdefault(spelling_key(form), set()).add(row.id)
                for k in token_keys(form, detect_script(form)):
                    keys.setdefault(k, set()).add(row.id)
                    id_keys.setdefault(row.id, set()).add(k)
            for form in row.short:
                self.short_spellings.add(spelling_key(form))
        # A spelling that is also somebody's full name is not "only short".
        full = {spelling_key(f) for r in rows for f in r.full_forms}
        self.short_spellings -= full
        #: spellings that are a Ukrainian form only (Сергій, Олена): such a given name says
        #: nothing about the language the rest of the record is written in
        self.uk_only_spellings = frozenset(
            {spelling_key(f) for r in rows for f in r.uk}
            - {spelling_key(f) for r in rows for f in r.be + r.ru + r.short}
        )
        self.by_spelling = {k: frozenset(v) for k, v in spell.items()}
        self.by_key = {k: frozenset(v) for k, v in keys.items()}
        self.sex = {row.id: row.sex for row in rows}
        self._sex_memo: dict[frozenset[int], str | None] = {}
        # Stems a patronymic may be built on: the male names' keys, with and without their
        # final vowel/й (Сергей → SARHAI, SARH; Мікалай → MIKALAI, MIKAL).
        stems: dict[str, set[int]] = {}
        for row in rows:
            if row.sex != "m":
                continue
            for k in id_keys.get(row.id, ()):
                for stem in (k, k.rstrip("AIU")):
                    if len(stem) >= 2:
                        stems.setdefault(stem, set()).add(row.id)
        #: patronymic stem (a male name's key, with and without its final vowel) → name rows
        self.stem_ids = {k: frozenset(v) for k, v in stems.items()}
        self.patronymic_stems = frozenset(stems)

    def derivations(self, keys: frozenset[str]) -> frozenset[str]:
        """Markers `<row>+<suffix>` for a surname made from a given name (Мікалаеў = row of
        Мікалай + AV); Николаев gives the same marker, which is how the two meet."""
        out = set()
        for k in keys:
            for suffix in DERIVING_SUFFIXES:
                if k.endswith(suffix):
                    for gid in self.stem_ids.get(k[: -len(suffix)], ()):
                        out.add(f"{gid}+{suffix}")
        return frozenset(out)

    def lookup(self, token: str, keys: frozenset[str]) -> tuple[frozenset[int], str]:
        """Return (ids, how) for a token: how is `spelling`, `key` or `` (unknown)."""
        ids = self.by_spelling.get(spelling_key(token))
        if ids:
            return ids, "spelling"
        found: set[int] = set()
        for k in keys:
            found.update(self.by_key.get(k, ()))
        if found:
            return frozenset(found), "key"
        return frozenset(), ""

    def sex_of(self, ids: frozenset[int]) -> str | None:
        """`m` or `f` when every id agrees, else None (Саша, Женя)."""
        try:
            return self._sex_memo[ids]
        except KeyError:
            sexes = {self.sex[i] for i in ids}
            sex = sexes.pop() if len(sexes) == 1 else None
            self._sex_memo[ids] = sex
            return sex

    def row(self, gid: int) -> GivenName:
        """The row with id `gid`."""
        return self.rows[gid]


def _latin_forms(form: str, lang: str) -> set[str]:
    out = set()
    for system in SYSTEMS:
        if lang == "ru" and system == "lacinka":
            continue
        out.add(transliterate(form, lang=lang, system=system))
    return out


def _split(cell: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in cell.split("|") if p.strip())


@functools.lru_cache(maxsize=1)
def given_names() -> GivenNames:
    """Load the table shipped with the package (cached)."""
    text = resources.files("khronika.names").joinpath("data/given_names.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    rows = []
    for i, rec in enumerate(csv.DictReader(lines)):
        rows.append(
            GivenName(
                id=i,
                sex=rec["sex"],
                be=_split(rec["be"]),
                ru=_split(rec["ru"]),
                uk=_split(rec["uk"]),
                pl=_split(rec["pl"]),
                latin=_split(rec["latin"]),
                short=_split(rec["short"]),
            )
        )
    return GivenNames(rows)
