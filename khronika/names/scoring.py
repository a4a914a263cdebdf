"""Score two names: a number in [0, 1], a yes/no at `THRESHOLD`, and an explanation.

The algorithm, as data (`WEIGHTS`, `RULES`) and in words:

1. Each name is parsed (`parse.parse_name`; a *mention* from running text also gets every
   nominative its words may be inflected from, `morph.nominative_candidates`). A parse may
   have several readings (order unknown, inflection ambiguous); the best pair of readings
   wins.
2. Surname is compared with surname, given name with given name, patronymic with
   patronymic. Each comparison names the rule that matched and its similarity (`RULES`).
3. Score = weighted mean of the parts both names have (`WEIGHTS`); then:
   a lone surname against a full name × `LONE_SURNAME` = 0.75 (never a yes, even with the
   same birth day), or × `LONE_MENTION` = 0.9 when the lone side is a mention from running
   text; a given name without any surname × 0.6;
   a patronymic that differs × 0.5; different sexes → at most 0.3 (a mention's inflected
   form can explain a sex difference; then the nominative reading is the one used);
   surnames that share only one part of a compound surname (`hyphen-part`) → at most
   `COMPOUND_PART_CAP` = 0.8, so only an agreeing birth day lifts the pair to a yes.
4. When the parts fall short but every word of the shorter name (two words or more)
   matches a distinct word of the other in any role, the score is `TOKEN_SET_SCORE`.
5. Birth dates, when both are given (partial dates allowed): the same day +0.08, compatible
   (one contains the other) +0.03, one year apart −0.05, further apart −0.25.

`THRESHOLD` = 0.85: above it two spellings are taken to be the same person. Every
mismatch of a surname or given name puts a pair far below it; a vowel-only typo in a
surname passes only when everything else matches.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from khronika.model.dates import PartialDate
from khronika.model.shapes import fields_json
from khronika.names.morph import nominative_candidates
from khronika.names.parse import (
    ParsedName,
    Reading,
    Token,
    _readings,
    make_token,
    name_lang,
    parse_name,
    split_tokens,
)
from khronika.names.rules import _SIM, RULES, match_tokens
from khronika.names.scripts import clean_text

__all__ = [
    "COMPOUND_PART_CAP",
    "LONE_MENTION",
    "LONE_SURNAME",
    "RULES",
    "THRESHOLD",
    "TOKEN_SET_SCORE",
    "WEIGHTS",
    "Match",
    "compare",
    "prepare",
    "score",
]

THRESHOLD = 0.85
WEIGHTS = {"surname": 0.5, "given": 0.35, "patronymic": 0.15}
#: factor for a lone surname (no given name, no initial) against a name that has one, when
#: the lone side is a record or list entry: a surname alone says nothing about which of its
#: bearers is meant, so even a same-day birth date (+0.08) leaves it below `THRESHOLD`.
LONE_SURNAME = 0.75
#: the same factor when the lone side is a *mention* from running text, or stands with a
#: title ("Президент X"): there is context, so an identical surname may reach `THRESHOLD`.
LONE_MENTION = 0.9
#: the most a pair may score by name when the surnames share only one part of a compound
#: surname (Шыла-Новак / Шыла): a wife's or a relative's surname joined to another is common,
#: so this is not the same person unless other evidence agrees. A same-day birth date
#: (+0.08) lifts it over `THRESHOLD`; a compatible year (+0.03) does not.
COMPOUND_PART_CAP = 0.8
_CAPPED_RULES = {"hyphen-part": COMPOUND_PART_CAP}


def _lone_factor(ra: Reading, rb: Reading) -> float:
    # Two lone surnames: nothing else to compare, the mention factor applies.
    if ra.given is None and rb.given is None:
        return LONE_MENTION
    lone = ra if ra.given is None else rb
    return LONE_MENTION if lone.mention or lone.titled else LONE_SURNAME


@dataclass(frozen=True)
class Match:
    """The result of comparing two names.

    Attributes:
        a, b: the names as given.
        score: in [0, 1].
        match: `score >= threshold`.
        explanation: which part matched which, by which rule, with what weight (a dict
            ready for JSON; see `docs/names.md`).
    """

    a: str
    b: str
    score: float
    match: bool
    explanation: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The CLI/JSON shape: {"a", "b", "score", "match", "explanation"}."""
        return fields_json(self)


def prepare(text: str, *, mention: bool = False) -> ParsedName:
    """Parse a name once for many comparisons.

    Args:
        text: the name.
        mention: the name comes from running text and may be inflected; its readings then
            include every nominative it may stand for.
    """
    if not mention:
        return parse_name(text)
    cleaned = clean_text(text)
    words, titles, comma = split_tokens(cleaned)
    options = [nominative_candidates(w)[:4] for w in words]
    readings: list[Reading] = []
    tokens0 = [make_token(w) for w in words]
    for combo in itertools.islice(itertools.product(*options), 48):
        tokens = [make_token(w) for w in combo]
        changed = tuple((w, c) for w, c in zip(words, combo, strict=True) if w != c)
        for r in _readings(tokens, comma):
            readings.append(
                Reading(
                    r.given,
                    r.patronymic,
                    r.surname,
                    r.extra,
                    r.order,
                    r.sex,
                    r.sex_from,
                    changed,
                    True,
                )
            )
    lang = name_lang(tokens0)
    unique: dict[tuple[int, int, int, str | None], Reading] = {}
    for r in readings:  # combinations often give the same reading twice
        sig = (
            r.given.uid if r.given else 0,
            r.patronymic.uid if r.patronymic else 0,
            r.surname.uid if r.surname else 0,
            r.sex,
        )
        unique.setdefault(sig, r)
    return ParsedName(cleaned, tuple(tokens0), tuple(titles), lang, tuple(unique.values()), True)


def _score_pair(ra: Reading, rb: Reading, licensed: bool, detail: list[Any] | None) -> float:
    acc = 0.0
    total = 0.0
    patr_differs = False
    cap = 1.0
    for part in ("surname", "given", "patronymic"):
        ta: Token | None = getattr(ra, part)
        tb: Token | None = getattr(rb, part)
        if ta is None or tb is None:
            if detail is not None and (ta is not None or tb is not None):
                detail.append(
                    {
                        "part": part,
                        "a": ta.text if ta else None,
                        "b": tb.text if tb else None,
                        "rule": "missing",
                        "similarity": None,
                        "weight": 0.0,
                    }
                )
            continue
        rule = match_tokens(ta, tb, part, licensed)
        sim = _SIM[rule]
        if part == "surname":
            cap = _CAPPED_RULES.get(rule, 1.0)
        w = WEIGHTS[part]
        acc += w * sim
        total += w
        if part == "patronymic" and sim == 0.0:
            patr_differs = True
        if detail is not None:
            detail.append(
                {
                    "part": part,
                    "a": ta.text,
                    "b": tb.text,
                    "rule": rule,
                    "similarity": sim,
                    "weight": w,
                }
            )
    if total == 0.0:
        return 0.0
    s = acc / total
    notes = []
    if ra.surname is None or rb.surname is None:
        if ra.surname is None and rb.surname is None or ra.given is None or rb.given is None:
            s *= 0.6
            notes.append("no surname to compare: × 0.6")
        else:
            s *= 0.6
            notes.append("surname missing on one side: × 0.6")
    elif ra.given is None or rb.given is None:
        factor = _lone_factor(ra, rb)
        s *= factor
        if factor == LONE_SURNAME:
            notes.append(
                f"lone surname against a full name, not a mention: × {LONE_SURNAME} "
                "(never a yes on its own)"
            )
        else:
            notes.append(f"lone surname (no given name on one side): × {LONE_MENTION}")
    if patr_differs:
        s *= 0.5
        notes.append("patronymics differ: × 0.5")
    if s > cap:
        s = cap
        notes.append(
            f"only one part of a compound surname in common: at most {cap} by name "
            "(needs an agreeing birth date)"
        )
    if ra.sex and rb.sex and ra.sex != rb.sex:
        s = min(s, 0.3)
        notes.append(f"sexes differ ({ra.sex} vs {rb.sex}): at most 0.3")
    if detail is not None:
        detail.append({"notes": notes})
    return s


_W_SUR, _W_GIV, _W_PAT = WEIGHTS["surname"], WEIGHTS["given"], WEIGHTS["patronymic"]
# Token pairs recur (one query's surname against every candidate that shares it), so the
# fast path memoises the similarity (and the cap its rule puts on the score) by token uid;
# tokens are never mutated.
_MEMO: dict[tuple[int, int, int, bool], tuple[float, float]] = {}
_SAME = (1.0, 1.0)


def _sim_cap(ta: Token, tb: Token, part_i: int, lic: bool) -> tuple[float, float]:
    if ta is tb:
        return _SAME
    key = (ta.uid, tb.uid, part_i, lic)
    v = _MEMO.get(key)
    if v is None:
        if len(_MEMO) > 2_000_000:
            _MEMO.clear()
        rule = match_tokens(ta, tb, _PARTS[part_i], lic)
        v = (_SIM[rule], _CAPPED_RULES.get(rule, 1.0))
        _MEMO[key] = v
    return v


def _sim(ta: Token, tb: Token, part_i: int, lic: bool) -> float:
    return _sim_cap(ta, tb, part_i, lic)[0]


_PARTS = ("surname", "given", "patronymic")


def _fast_pair(ra: Reading, rb: Reading, lic: bool) -> float:
    """`_score_pair` without the explanation, inlined for speed (same arithmetic)."""
    acc = total = 0.0
    cap = 1.0
    sa, sb = ra.surname, rb.surname
    if sa is not None and sb is not None:
        v, cap = _sim_cap(sa, sb, 0, lic)
        acc += _W_SUR * v
        total += _W_SUR
    ga, gb = ra.given, rb.given
    if ga is not None and gb is not None:
        acc += _W_GIV * _sim(ga, gb, 1, lic)
        total += _W_GIV
    pa, pb = ra.patronymic, rb.patronymic
    patr_differs = False
    if pa is not None and pb is not None:
        v = _sim(pa, pb, 2, lic)
        acc += _W_PAT * v
        total += _W_PAT
        patr_differs = v == 0.0
    if total == 0.0:
        return 0.0
    s = acc / total
    if sa is None or sb is None:
        s *= 0.6
    elif ga is None or gb is None:
        s *= _lone_factor(ra, rb)
    if patr_differs:
        s *= 0.5
    if s > cap:
        s = cap
    if ra.sex and rb.sex and ra.sex != rb.sex and s > 0.3:
        s = 0.3
    return s


def _licensed(a: ParsedName, b: ParsedName) -> bool:
    # Folding а/о, е/я ... is licensed only between different languages; two Russian (or two
    # Belarusian) Cyrillic spellings that differ are different names.
    return not (a.lang == b.lang and a.lang in ("be", "ru", "uk"))


#: score given when every word of the shorter name equals a word of the longer one, in any
#: roles (multi-word surnames, "SURNAME PARTS, Given"), see `_token_set`.
TOKEN_SET_SCORE = 0.86


def _token_set(
    a: ParsedName, b: ParsedName, lic: bool, detail: list[dict[str, Any]] | None = None
) -> float:
    """Order- and role-free fallback: every word of the shorter name matches a distinct word
    of the longer (identical, transliteration, be-ru or the same given name), at most two words
    left over, and the two names' sexes do not differ."""
    short, long_ = (a, b) if len(a.tokens) <= len(b.tokens) else (b, a)
    ns, nl = len(short.tokens), len(long_.tokens)
    if ns < 2 or nl - ns > 2 or (ns == nl == 2):
        return 0.0
    sa = {r.sex for r in a.readings} - {None}
    sb = {r.sex for r in b.readings} - {None}
    if len(sa) == 1 and len(sb) == 1 and sa != sb:
        return 0.0
    used: set[int] = set()
    pairs = []
    for ts in short.tokens:
        if ts.initial:
            return 0.0
        for j, tl in enumerate(long_.tokens):
            if j in used or tl.initial:
                continue
            part_i = 1 if ts.given_ids and tl.given_ids else 0
            if _sim(ts, tl, part_i, lic) >= 0.95:
                used.add(j)
                pairs.append((ts, tl, part_i))
                break
        else:
            return 0.0
    if detail is not None:
        for ts, tl, part_i in pairs:
            ta, tb = (ts, tl) if short is a else (tl, ts)
            rule = match_tokens(ta, tb, _PARTS[part_i], lic)
            detail.append(
                {
                    "part": "word",
                    "a": ta.text,
                    "b": tb.text,
                    "rule": rule,
                    "similarity": _SIM[rule],
                    "weight": None,
                }
            )
    return TOKEN_SET_SCORE


def score(a: ParsedName, b: ParsedName) -> float:
    """Return the name score of two prepared names (the fast path: no explanation)."""
    lic = not (a.lang == b.lang and a.lang in ("be", "ru", "uk"))
    best = 0.0
    for ra in a.readings:
        for rb in b.readings:
            s = _fast_pair(ra, rb, lic)
            if s > best:
                best = s
    if best < TOKEN_SET_SCORE and (len(a.tokens) > 2 or len(b.tokens) > 2):
        best = max(best, _token_set(a, b, lic))
    return best


def _date_adjust(da: str | None, db: str | None) -> tuple[float, dict[str, Any] | None]:
    if not da or not db:
        return 0.0, None
    try:
        pa, pb = PartialDate.parse(da), PartialDate.parse(db)
    except Exception:  # an unreadable date neither raises nor lowers the score
        return 0.0, {"a": da, "b": db, "rule": "unreadable", "adjustment": 0.0}
    if pa.text == pb.text and len(pa.text) == 10:
        rule, adj = "same-day", 0.08
    elif pa.lower <= pb.upper and pb.lower <= pa.upper:
        rule, adj = "compatible", 0.03
    elif abs(int(pa.text[:4]) - int(pb.text[:4])) <= 1:
        rule, adj = "one-year-apart", -0.05
    else:
        rule, adj = "different", -0.25
    return adj, {"a": da, "b": db, "rule": rule, "adjustment": adj}


def _describe(p: ParsedName, r: Reading) -> dict[str, Any]:
    return {
        "given": r.given.text if r.given else None,
        "patronymic": r.patronymic.text if r.patronymic else None,
        "surname": r.surname.text if r.surname else None,
        "extra": [t.text for t in r.extra],
        "order": r.order,
        "language": p.lang,
        "sex": r.sex,
        "sex_from": r.sex_from or None,
        "titles": list(p.titles),
        "inflected": [{"as_written": w, "nominative": n} for w, n in r.inflected],
        "keys": {t.text: sorted(t.keys) for t in (r.surname, r.given, r.patronymic) if t},
    }


def compare(
    a: str | ParsedName,
    b: str | ParsedName,
    *,
    mention: str | None = None,
    birth_date_a: str | None = None,
    birth_date_b: str | None = None,
    threshold: float = THRESHOLD,
) -> Match:
    """Compare two names and explain the result.

    Args:
        a, b: names (text, or already `prepare`d).
        mention: `a` or `b` when that side comes from running text (may be inflected).
        birth_date_a, birth_date_b: partial dates (`1989`, `1989-05`, `1989-05-14`).
        threshold: the yes/no cut-off (default `THRESHOLD`).

    Returns:
        Match with score, yes/no and the explanation of the best reading pair.
    """
    pa = a if isinstance(a, ParsedName) else prepare(a, mention=mention == "a")
    pb = b if isinstance(b, ParsedName) else prepare(b, mention=mention == "b")
    lic = _licensed(pa, pb)
    best, best_pair = -1.0, None
    for ra in pa.readings:
        for rb in pb.readings:
            s = _score_pair(ra, rb, lic, None)
            if s > best:
                best, best_pair = s, (ra, rb)
    explanation: dict[str, Any] = {"threshold": threshold, "weights": WEIGHTS}
    if best_pair is None:
        best = 0.0
        explanation.update({"parts": [], "notes": ["nothing to compare"]})
    words: list[dict[str, Any]] = []
    if 0 <= best < TOKEN_SET_SCORE and (len(pa.tokens) > 2 or len(pb.tokens) > 2):
        ts = _token_set(pa, pb, lic, words)
        if ts > best:
            best = ts
        else:
            words = []
    if best_pair is not None:
        ra, rb = best_pair
        detail: list[dict[str, Any]] = []
        _score_pair(ra, rb, lic, detail)
        explanation.update(
            {
                "a": _describe(pa, ra),
                "b": _describe(pb, rb),
                "licensed_be_ru_folding": lic,
                "parts": [d for d in detail if "part" in d],
                "notes": detail[-1]["notes"] if detail and "notes" in detail[-1] else [],
            }
        )
        if words:
            explanation["parts"] = words
            explanation["notes"] = [
                f"every word of the shorter name matches a word of the other "
                f"(roles aside): {TOKEN_SET_SCORE}"
            ]
    adj, date_note = _date_adjust(birth_date_a, birth_date_b)
    if date_note is not None:
        explanation["birth_date"] = date_note
    final = round(min(1.0, max(0.0, best + adj)), 4)
    explanation["name_score"] = round(best, 4)
    return Match(pa.text, pb.text, final, final >= threshold, explanation)
