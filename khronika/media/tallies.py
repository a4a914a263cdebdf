"""Officials' own numbers: "about 300 have applied to the commission", "more than 100 have
returned", "special proceedings started against 365 people".

State media report the campaign in totals as well as in names. A tally is such a total as
the item states it — the state's word, kept beside what the team documented, never added to
it. This module is pure: it reads an item's text and the narratives found in it.

A tally is a number written in digits (`300`, `1 500`, `1,5 тыс.`), counting people or their
applications (`человек`, `граждан`, `обращений`, `чалавек`, `зваротаў` …, at most two words
after the number), in a sentence with a cue of what was counted:

| measure | the item carries | cue in the sentence |
|---|---|---|
| `applied` | `return_commission` or `repentance` | обратились, обращений, заявлений, звярнуліся … |
| `returned` | `return_commission` or `repentance` | вернулись, вернуться, вярнуліся, приехали … |
| `in_absentia_proceedings` | `in_absentia` | специальное производство, уголовные дела, спецвытворчасць … |
| `convicted_in_absentia` | `in_absentia` | a verdict verb (осуждены, приговорили, асуджаны …) |

When a sentence has cues of two measures, each number takes the cue nearest to it in its
own clause ("обратились 300 человек, вернулись 120 человек" gives both). A word before the number bounds it:
`at_least` (более, свыше, больш за, звыш …), `about` (около, порядка, почти, каля, амаль …),
else `exact`. Numbers written in words ("около трёхсот") are not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from khronika.model.shapes import fields_json

__all__ = ["MEASURES", "Tally", "find_tallies"]

#: What a tally counts, in the order reports show them.
MEASURES = ("applied", "returned", "in_absentia_proceedings", "convicted_in_absentia")

#: The narratives an item must carry for each measure to be read in it.
_NEEDS = {
    "applied": ("return_commission", "repentance"),
    "returned": ("return_commission", "repentance"),
    "in_absentia_proceedings": ("in_absentia",),
    "convicted_in_absentia": ("in_absentia",),
}

_CUES = {
    "applied": re.compile(
        r"обрати\w*|обращени\w*|обращал\w*|заявлени\w*|звярну\w*|зварот\w*|заяв\w*|ходатайств\w*",
        re.I,
    ),
    "returned": re.compile(
        r"вернул\w*|вернут\w*|возвратил\w*|вярнул\w*|вярнуў\w*|вярнуц\w*|"
        r"приехал\w*|прыехал\w*|прыехаў\w*",
        re.I,
    ),
    "in_absentia_proceedings": re.compile(
        r"специальн\w+ производств\w*|спецпроизводств\w*|уголовн\w+ дел\w*|"
        r"уголовн\w+ преследовани\w*|спецыяльн\w+ вытворчасц\w*|спецвытворчасц\w*|"
        r"крымінальн\w+ спраў\w*|крымінальн\w+ справ\w*",
        re.I,
    ),
    "convicted_in_absentia": re.compile(
        r"осужд[её]н\w*|осуди\w*|приговор\w*|асуджан\w*|асудзі\w*|прысуд\w*", re.I
    ),
}

# "1 500", "1\u00a0500", "300", "1,5" (with тыс.), then an optional "тыс." / "тысяч" / "тысячы".
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+(?:[.,]\d+)?)"
    r"(?:\s*(тыс\.|тыс\b|тысяч\w*|тысяч))?"
)
# What the number counts: people or their applications, at most two words after it.
_UNIT = re.compile(
    r"\s+(?:[\w-]{1,14}\s+){0,2}?"
    r"(человек\w*|граждан\w*|лиц\b|беглы\w*|беглец\w*|белорус\w*|соотечественник\w*|"
    r"обращени\w*|заявлени\w*|ходатайств\w*|"
    r"чалавек\w*|грамадзян\w*|асоб\b|асобы|асобаў|беларус\w*|суайчыннік\w*|уцекач\w*|збеглы\w*|"
    r"зварот\w*|заяў\w*)",
    re.I,
)
_AT_LEAST = re.compile(
    r"(?:более|свыше|больше|не менее|не меньше|больш за|больш як|больш чым|звыш|не менш)\s*$",
    re.I,
)
_ABOUT = re.compile(
    r"(?:около|порядка|примерно|почти|приблизительно|каля|амаль|прыкладна|парадку)\s*$", re.I
)
_CLAUSE_MARK = re.compile(r"[,;:](?=\s)|\s[—–-]\s")
# Sentence ends: a stop, then space and a capital (so "тыс. человек", "ст. 361" stay whole).
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"(]?[A-ZА-ЯЁІЎ])|\n+")


@dataclass(frozen=True, slots=True)
class Tally:
    """One total an item states.

    Attributes:
        measure: what was counted (`MEASURES`).
        number: the count as a whole number (`1,5 тыс.` is 1500).
        bound: `exact`, `at_least` or `about`, from the word before the number.
        start, end: offsets of the words that state it (bound, number, unit).
        evidence: those words.
        sentence: the sentence they stand in.
    """

    measure: str
    number: int
    bound: str
    start: int
    end: int
    evidence: str
    sentence: str

    def to_json(self) -> dict[str, Any]:
        """Return the tally as JSON-ready data."""
        return fields_json(self)


def _sentences(text: str) -> list[tuple[int, int]]:
    # A regular split, not the natasha segmenter the mentions use: a tally needs only clause
    # boundaries, and reading tallies must not load language models.
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _value(digits: str, thousands: str | None) -> int | None:
    compact = re.sub(r"[ \u00a0\u202f]", "", digits).replace(",", ".")
    try:
        value = float(compact)
    except ValueError:
        return None
    if thousands:
        value *= 1000
    elif "." in compact:
        return None  # "2,5 человека" is not a count of people
    return round(value)


def find_tallies(text: str, narratives: Iterable[Mapping[str, Any]]) -> list[Tally]:
    """Return the totals `text` states, given the narrative hits found in it (`tag` each).

    Only measures whose narrative the item carries are read (`_NEEDS`); a year ("2023 года")
    or an article ("ст. 361") is never a tally, having no unit of people after it.
    """
    tags = {str(n["tag"]) for n in narratives}
    measures = [m for m in MEASURES if tags & set(_NEEDS[m])]
    if not measures:
        return []
    out: list[Tally] = []
    for a, b in _sentences(text):
        sentence = text[a:b]
        cues = [
            (cue.start(), cue.end(), measure)
            for measure in measures
            for cue in _CUES[measure].finditer(sentence)
        ]
        if not cues:
            continue
        for num in _NUMBER.finditer(sentence):
            unit = _UNIT.match(sentence, num.end())
            value = _value(num[1], num[2])
            if unit is None or value is None or value == 0:
                continue
            measure = _nearest(cues, num.start(), unit.end(), _clause(sentence, num.start()))
            bound, start = _bound(sentence[: num.start()])
            out.append(
                Tally(
                    measure=measure,
                    number=value,
                    bound=bound,
                    start=a + start,
                    end=a + unit.end(),
                    evidence=sentence[start : unit.end()],
                    sentence=sentence.strip(),
                )
            )
    return out


def _bound(head: str) -> tuple[str, int]:
    """The bound the words just before a number give it, and where the stated words start
    (the qualifier's start, else the number's: the end of `head`)."""
    for bound, pattern in (("at_least", _AT_LEAST), ("about", _ABOUT)):
        if found := pattern.search(head):
            return bound, found.start()
    return "exact", len(head)


def _clause(sentence: str, pos: int) -> tuple[int, int]:
    """The clause around `pos`: between the commas, semicolons, colons or dashes about it."""
    marks = [m.start() for m in _CLAUSE_MARK.finditer(sentence)]
    start = max((m + 1 for m in marks if m < pos), default=0)
    end = min((m for m in marks if m >= pos), default=len(sentence))
    return start, end


def _nearest(
    cues: list[tuple[int, int, str]], start: int, end: int, clause: tuple[int, int]
) -> str:
    """The measure of the cue nearest to the number's words, in its own clause when one is
    there ("обратились 300 человек, вернулись 120 человек"); the earlier one on a tie."""

    def distance(cue: tuple[int, int, str]) -> int:
        return max(cue[0] - end, start - cue[1], 0)

    own = [c for c in cues if clause[0] <= c[0] and c[1] <= clause[1]]
    return min(own or cues, key=lambda c: (distance(c), c[0]))[2]
