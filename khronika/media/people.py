"""People named in a text: spans, normal forms, role cues, and lone surnames resolved.

    text ──natasha NER (PER spans, normal forms; good on Russian)──┐
         ──runs of capitalised words found in the gazetteer ─────────┼─▶ mentions
           (registry names in every script, inflected: khronika.names)┘
    lone surname / initials ──▶ the full name earlier in the same item

Natasha is weak on Belarusian, so a capitalised run is also looked up in the gazetteer (an
`Index` of the registry's names, which matches oblique cases and other scripts); a run
natasha did not tag is a mention only when the gazetteer knows it. A nominative for a run
natasha did not normalise comes from `khronika.names.morph`.

    !!! natasha imports pymorphy2, which needs pkg_resources: setuptools<81 is pinned.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from natasha import Doc, MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

from khronika.names import Index
from khronika.names.given import given_names, spelling_key
from khronika.names.morph import given_name_gender, nominative_candidates

__all__ = ["Mention", "find_mentions", "role_cue", "russian_nominative"]

#: Words just before a name that say the person speaks for the state (kept apart from targets).
_OFFICIAL_CUES = re.compile(
    r"(?:министр|замминистра|председател|прокурор|генпрокурор|судья|депутат|глав[аыуе]|"
    r"начальник|заместител|пресс-секретар|пропагандист|ведущ|спикер|генерал|полковник|"
    r"міністр|старшын|пракурор|суддз|дэпутат|кіраўнік|начальнік|намеснік|прэс-сакратар|"
    r"вядуч|прапагандыст|палкоўнік)\w*(?:\s+[\w-]+){0,3}\s*$",
    re.IGNORECASE,
)
_WORD = r"[A-ZА-ЯЁІЎ][a-zа-яёіўʼ'’-]+"
_INITIAL = r"[A-ZА-ЯЁІЎ]\.\s?(?:[A-ZА-ЯЁІЎ]\.\s?)?"
_TRAILING = r"[A-ZА-ЯЁІЎ]\.(?:\s?[A-ZА-ЯЁІЎ]\.)?"
_RUN = re.compile(rf"(?<![\w.])(?:{_INITIAL})?{_WORD}(?:\s+{_WORD}){{0,2}}(?:\s+{_TRAILING})?")


@dataclass
class Mention:
    """One person named in a text."""

    text: str
    normal: str
    start: int
    end: int
    sentence: int  # index of the sentence it is in
    role: str | None = None
    person: str | None = None
    score: float | None = None
    link: str = "none"  # auto | review | confirmed | none
    targeted: bool = False
    explanation: dict[str, Any] | None = None
    #: the earlier full mention a lone surname took its name from
    resolved_from: Mention | None = field(default=None, repr=False, compare=False)

    @property
    def tokens(self) -> list[str]:
        """The name's words without initials."""
        return [t for t in re.split(r"[\s.]+", self.normal) if len(t) > 1]


@dataclass(frozen=True)
class _Models:
    segmenter: Segmenter
    ner: NewsNERTagger
    morph: NewsMorphTagger
    vocab: MorphVocab


@functools.cache
def _models() -> _Models:
    emb = NewsEmbedding()
    return _Models(Segmenter(), NewsNERTagger(emb), NewsMorphTagger(emb), MorphVocab())


def sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each sentence (razdel, through natasha's segmenter)."""
    doc = Doc(text)
    doc.segment(_models().segmenter)
    return [(s.start, s.stop) for s in doc.sents]


def role_cue(text: str, start: int, sentence_start: int) -> str | None:
    """Return `official` when the words before a name in its sentence name a state role."""
    return "official" if _OFFICIAL_CUES.search(text[sentence_start:start]) else None


def _natasha_spans(text: str) -> list[tuple[int, int, str]]:
    m = _models()
    doc = Doc(text)
    doc.segment(m.segmenter)
    doc.tag_ner(m.ner)
    doc.tag_morph(m.morph)
    out = []
    for span in doc.spans:
        if span.type != "PER":
            continue
        span.normalize(m.vocab)
        normal = span.normal or span.text
        if re.search(r"[іўІЎ]", span.text):
            # Natasha does not inflect Belarusian: the names' own rules do.
            normal = _nominative(span.text)
        else:
            normal = russian_nominative(span.text, normal)
        out.append((span.start, span.stop, normal))
    return out


# Russian endings of a word natasha left in an oblique case (Шеметовой, Логутичу, Шеметову).
_RU_OBLIQUE = re.compile(r"(?:ой|ую|у|ю|е|ем|ом|ым|им|ого|ому|а|я)$")
# A feminine nominative of a surname or a given name.
_RU_FEMININE = re.compile(r"(?:ова|ева|ёва|ина|ына|ская|цкая|а|я)$")
# Forms pymorphy3 and the rules offer that are no Russian surname's nominative.
_NOT_A_NAME = re.compile(r"(?:овая|евая|ёвая|иная|овый|евый|иный|ово|ево|ино|чь|чй|кя|гя|хя|ы)$")


def russian_nominative(surface: str, normal: str) -> str:
    """Correct natasha's normal form of a Russian name where it left a word inflected.

    Natasha keeps lone dative or genitive surnames as they are ("Логутичу") and gives a
    feminine surname the case of the text ("Ольга Шеметову"). A word natasha did not change
    that ends like an oblique case takes the pymorphy3 nominative (`khronika.names.morph`)
    that agrees in gender with the given name beside it, or, for a lone surname, with its
    own ending (`-овой`, `-ской`: a woman's).
    """
    words, normals = surface.split(), normal.split()
    if len(words) != len(normals):
        return normal
    gender = next((g for w in normals if (g := given_name_gender(w))), None)
    out = []
    for w, n in zip(words, normals, strict=True):
        if n.lower() != w.lower() or len(w) < 4 or not _RU_OBLIQUE.search(w.lower()):
            out.append(n)
            continue
        if given_name_gender(w) is not None:
            out.append(n)  # a given name natasha left as it is: pymorphy3 knows it
            continue
        out.append(_agreeing(w, gender) or n)
    return " ".join(out)


def _agreeing(word: str, gender: str | None) -> str | None:
    low = word.lower()
    if gender is None and re.search(r"(?:овой|евой|ёвой|иной|ской|цкой)$", low):
        gender = "femn"
    candidates = [c for c in nominative_candidates(word)[1:] if not _NOT_A_NAME.search(c.lower())]
    if gender == "femn":
        if low.endswith(("ич", "ук", "юк", "ко", "ок")):
            return word  # a woman's surname in -ич or -ко does not decline
        return next((c for c in candidates if _RU_FEMININE.search(c.lower())), None)
    if gender == "masc" or low.endswith(("у", "ю", "ем", "ом", "ым", "им", "ого", "ому")):
        # Dative, instrumental and masculine genitive forms: a man's surname, most likely.
        return next((c for c in candidates if not _RU_FEMININE.search(c.lower())), None)
    return None


_OBLIQUE = re.compile(r"(?:а|я|у|ю|і|ы|е|ай|ой|ага|аму|ым|ім|ам|ем|ом|ого|ому|ую)$")


def _nominative(surface: str) -> str:
    """The likeliest nominative of each word (the rules list the surface form first).

    A word that does not end like an oblique case is taken as it is (Мікалай, Ждановіч).
    """
    out = []
    for w in surface.split():
        c = nominative_candidates(w) if len(w) > 2 and _OBLIQUE.search(w) else (w,)
        out.append(c[1] if len(c) > 1 else c[0])
    return " ".join(out)


def find_mentions(
    text: str,
    sents: list[tuple[int, int]],
    gazetteer: Index | None = None,
    *,
    min_score: float = 0.85,
) -> list[Mention]:
    """Return the people named in `text`, by position.

    Args:
        text: the item's text.
        sents: its sentences, as `sentences` returns them.
        gazetteer: the registry's names (optional): finds names natasha misses.
        min_score: a capitalised run is a name when the gazetteer scores it this high.
    """
    spans: dict[tuple[int, int], str] = {}
    for a, b, normal in _natasha_spans(text):
        words = text[a:b].split()
        if len(words) >= 2 and not _is_given_name(words[0]) and "." not in words[0]:
            # «Сваякі Бураўчыка»: natasha took the sentence's first word into the name.
            rest = text.index(words[1], a)
            found = _name_in_run(text, rest, b, gazetteer, min_score)
            if found is not None:
                a, normal = found[0], _nominative(text[found[0] : b])
        spans[(a, b)] = normal
    for m in _RUN.finditer(text):
        found = _name_in_run(text, m.start(), m.end(), gazetteer, min_score)
        if found is None:
            continue
        a, b = found
        overlapping = [k for k in spans if k[0] < b and a < k[1]]
        if any(k == (a, b) for k in overlapping):
            continue
        if overlapping and all(y - x >= b - a for x, y in overlapping):
            continue  # natasha's span covers it at least as well
        for k in overlapping:
            del spans[k]
        spans[(a, b)] = _nominative(text[a:b])
    chosen: list[tuple[int, int, str]] = []
    for (a, b), normal in sorted(spans.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        if chosen and a < chosen[-1][1]:
            continue  # overlaps a longer span that starts earlier
        chosen.append((a, b, normal))
    mentions = []
    for a, b, normal in chosen:
        si = _sentence_of(sents, a)
        mentions.append(
            Mention(
                text=text[a:b],
                normal=normal,
                start=a,
                end=b,
                sentence=si,
                role=role_cue(text, a, sents[si][0] if sents else 0),
            )
        )
    _resolve_lone_names(mentions)
    return [m for m in mentions if _keep(m, gazetteer, min_score)]


def _is_given_name(word: str) -> bool:
    known = given_names().by_spelling
    return any(spelling_key(w) in known for w in nominative_candidates(word))


def _name_in_run(
    text: str, a: int, b: int, gazetteer: Index | None, min_score: float
) -> tuple[int, int] | None:
    """The part of a capitalised run that is a name, or None.

    A run is a name when the gazetteer knows it, or when it is two or three words of which
    the first is a given name (officials and others the registry does not hold). A leading
    capitalised common word (the sentence's first: «Сваякі Бураўчыка») is dropped.
    """
    words = [(w.start() + a, w.end() + a) for w in re.finditer(r"\S+", text[a:b])]
    for skip in range(min(2, len(words))):
        x, y = words[skip][0], words[-1][1]
        part = text[x:y]
        if _known(gazetteer, part, min_score):
            return x, y
        if 2 <= len(words) - skip <= 3 and _is_given_name(text[words[skip][0] : words[skip][1]]):
            return x, y
    return None


def _keep(m: Mention, gazetteer: Index | None, min_score: float) -> bool:
    """A one-word mention stands only as a surname said in full earlier, or one the
    registry knows: a lone capitalised word is otherwise a role or a place («Міністр»)."""
    if len(m.tokens) >= 2 or m.resolved_from is not None:
        return True
    return _known(gazetteer, m.text, min_score)


def _known(gazetteer: Index | None, name: str, min_score: float) -> bool:
    """True when the registry's names hold `name` (in any case form and script)."""
    if gazetteer is None or not len(gazetteer):
        return False
    return bool(gazetteer.search(name, mention=True, limit=1, min_score=min_score, explain=False))


def _sentence_of(sents: list[tuple[int, int]], pos: int) -> int:
    for i, (a, b) in enumerate(sents):
        if a <= pos < b:
            return i
    return max(0, len(sents) - 1)


def _stem(token: str) -> str:
    # Case endings differ (Буравчик / Бураўчыка, Шеметова / Шэметавай): compare stems.
    t = token.lower().replace("ё", "е")
    return t[: max(4, len(t) - 2)]


def _resolve_lone_names(mentions: list[Mention]) -> None:
    """A lone surname (or initials and a surname) takes the full name said earlier."""
    for i, m in enumerate(mentions):
        toks = m.tokens
        if len(toks) != 1:
            continue
        key = _stem(toks[0])
        for j in range(i - 1, -1, -1):
            full = mentions[j]
            if len(full.tokens) >= 2 and any(_stem(t) == key for t in full.tokens):
                m.normal = full.normal
                m.resolved_from = full.resolved_from if full.resolved_from is not None else full
                if m.role is None:
                    m.role = full.role
                break
