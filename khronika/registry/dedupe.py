"""Find likely duplicate people in the registry and propose them, ranked by evidence, for review.

A name is not enough: the registry holds many namesakes (a frequent surname with a frequent
given name, born the same year), and a queue of them is a queue nobody can work through. So
a pair is proposed when the *evidence* beyond the name adds up (`EVIDENCE`, points that
are roughly log₂ of how much likelier an agreement is between two records of one person
than between namesakes): a birth date that agrees beyond the year, the region, the same
events of a case on the same dates (with the articles, court and case number), sources
cited by both. Contradictions (born in different months, different regions, sexes) take
points away. A pair whose names the matcher calls the same gets `NAME_POINTS`; a pair whose
names are one letter apart, or one of them inflected (a case title's "Александра
Выдумчука"), gets none and needs the more evidence for it. Names that disagree otherwise
are never proposed, whatever the case says: co-defendants share a trial, not a name.
Pairs reaching `MIN_POINTS` are proposed, scored `1 - 2 ** (-points / 4)`, with every
agreement listed in the explanation.

Candidates come from *blocking*: two people are looked at only when they share a block —
a name block (the matcher's consonant skeleton of a surname with the given name's class,
so Belarusian, Russian and Latin spellings and vowel slips meet) or a case block (an event
of one kind on one day, so a consonant slip or an inflected name still meets its case).
Within a block only people born within a year of each other (or of unknown birth) are
paired, and the cheap evidence is counted before any name is scored: most namesake pairs
stop there. Blocks with more than `max_block` people are skipped and counted.

Pairs already proposed (judged or not) and people already merged are skipped, so dedupe can
run again after each import.
"""

from __future__ import annotations

import functools
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations
from typing import Any

import orjson

from khronika.identity import identity_map
from khronika.model.judgements import PairKind
from khronika.names.key import token_keys
from khronika.names.pairs import Scorer, default_threshold
from khronika.names.parse import ParsedName
from khronika.names.scoring import THRESHOLD, compare, prepare
from khronika.names.scripts import detect_script, normalise_name
from khronika.review import Proposal, propose
from khronika.storage import Database
from khronika.storage import review as review_store
from khronika.storage.reads import current_rows

__all__ = [
    "EVIDENCE",
    "MIN_POINTS",
    "NAME_POINTS",
    "DedupeReport",
    "Person",
    "find_duplicates",
    "name_blocks",
    "load_people",
    "matcher",
    "near_name",
    "propose_duplicates",
    "token_pair_keys",
    "weigh",
]

MAX_BLOCK = 500
#: Points for names the matcher calls the same (a near name, one letter apart, gets none).
NAME_POINTS = 3.0
#: The least points (name and evidence) a proposed pair has.
MIN_POINTS = 8.0
#: The events whose dates make a case block and count as case evidence.
CASE_KINDS = frozenset({"detained", "charged", "convicted", "convicted_in_absentia", "released"})
#: At most this many agreeing events, and shared sources, are counted.
MAX_EVENTS, MAX_SOURCES = 3, 2

#: What dedupe counts, with points and the sentence the explanation prints.
EVIDENCE: dict[str, tuple[float, str]] = {
    "birth-day": (5.0, "born the same day"),
    "birth-month": (2.5, "born the same month"),
    "birth-year": (0.0, "born the same year (one side knows only the year)"),
    "birth-differs": (-5.0, "born the same year, not the same month or day"),
    "birth-year-apart": (-4.0, "born a year apart"),
    "sex-differs": (-5.0, "recorded with different sexes"),
    "region": (1.5, "the same region"),
    "region-differs": (-3.0, "different regions"),
    "event-day": (4.0, "the same event on the same day"),
    "event-month": (1.5, "the same event in the same month (one side knows only the month)"),
    "same-articles": (1.0, "under the same articles"),
    "same-court": (0.5, "by the same court"),
    "case-number": (3.0, "with the same case number"),
    "articles": (0.5, "charged under a common article (on other dates)"),
    "source": (3.0, "a source cited by both"),
}


@dataclass(frozen=True, slots=True)
class Person:
    """What dedupe needs of a person: id, every spelling, birth date, and the evidence.

    Attributes:
        sex: `m`, `f` or None.
        region: the region code, or None.
        events: `(kind, date)` of the person's case events (dates partial, as recorded).
        details: `(kind, date)` -> (articles, court, case number) of those events.
        sources: the source ids their events cite.
    """

    id: str
    names: tuple[str, ...]
    birth_date: str | None = None
    sex: str | None = None
    region: str | None = None
    events: frozenset[tuple[str, str]] = frozenset()
    details: dict[tuple[str, str], tuple[frozenset[str], str, str]] = field(
        default_factory=dict, hash=False, compare=False
    )
    sources: frozenset[str] = frozenset()


@dataclass
class DedupeReport:
    """What a dedupe run did, with its timings (seconds)."""

    people: int = 0
    blocks: int = 0
    skipped_blocks: int = 0
    pairs_scored: int = 0
    proposed: int = 0
    new: int = 0
    already_known: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    candidates: list[int] = field(default_factory=list)
    pairs_weighed: int = 0

    def to_json(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        return {
            k: getattr(self, k)
            for k in (
                "people",
                "blocks",
                "skipped_blocks",
                "pairs_weighed",
                "pairs_scored",
                "proposed",
                "new",
                "already_known",
                "seconds",
                "candidates",
            )
        }


def token_pair_keys(name: str) -> set[str]:
    """Return every pair of a name's tokens (case-folded, ё→е), sorted; a one-token name: itself.

    The blocking of earlier versions; kept for callers that pass it as `keys`.
    """
    tokens = sorted({t for t in normalise_name(name).split() if len(t) > 1})
    if len(tokens) == 1:
        return {tokens[0]}
    return {f"{a} {b}" for a, b in combinations(tokens, 2)}


def name_blocks(name: str) -> set[str]:
    """Return a spelling's name blocks: every pair of its words' phonological keys.

    The keys are the matcher's (`khronika.names.key.token_keys`): Belarusian, Russian and
    Latin spellings of a word share one, so "Алесь Выдумчук" and "Ales Vydumchuk" meet. A
    one-word name blocks on its keys alone.
    """
    words = [w for w in normalise_name(name).split() if len(w) > 1]
    keys = [_word_keys(w) for w in words]
    if len(keys) == 1:
        return set(keys[0])
    return {f"{min(x, y)} {max(x, y)}" for ka, kb in combinations(keys, 2) for x in ka for y in kb}


@functools.lru_cache(maxsize=65_536)
def _word_keys(word: str) -> frozenset[str]:
    return token_keys(word, detect_script(word)) or frozenset((word,))


# ---- evidence ---------------------------------------------------------------------------


def _birth(a: str | None, b: str | None) -> str | None:
    if not a or not b:
        return None
    if a[:4] != b[:4]:
        ya, yb = a[:4], b[:4]
        if ya.isdigit() and yb.isdigit() and abs(int(ya) - int(yb)) == 1:
            return "birth-year-apart"
        return "birth-differs"
    if len(a) == 4 or len(b) == 4:
        return "birth-year"
    if a[:7] != b[:7]:
        return "birth-differs"
    if len(a) == 10 and len(b) == 10:
        return "birth-day" if a == b else "birth-differs"
    return "birth-month"


def _case(a: Person, b: Person, out: list[tuple[str, str]]) -> None:
    """Append the case agreements of a and b: shared events, their details, articles."""
    shared = sorted(a.events & b.events)
    days = [e for e in shared if len(e[1]) == 10][:MAX_EVENTS]
    for ev in days:
        out.append(("event-day", f"{ev[0]} {ev[1]}"))
        arts_a, court_a, case_a = a.details.get(ev, (frozenset(), "", ""))
        arts_b, court_b, case_b = b.details.get(ev, (frozenset(), "", ""))
        if arts_a and arts_a == arts_b:
            out.append(("same-articles", ", ".join(sorted(arts_a))))
        if court_a and court_a == court_b:
            out.append(("same-court", court_a))
        if case_a and case_a == case_b:
            out.append(("case-number", case_a))
    if not days:
        months = {(k, d[:7]) for k, d in a.events if len(d) == 7} & {
            (k, d[:7]) for k, d in b.events
        } | {(k, d[:7]) for k, d in b.events if len(d) == 7} & {(k, d[:7]) for k, d in a.events}
        out.extend(("event-month", f"{k} {m}") for k, m in sorted(months)[:MAX_EVENTS])
        common = {x for v in a.details.values() for x in v[0]} & {
            x for v in b.details.values() for x in v[0]
        }
        if common:
            out.append(("articles", ", ".join(sorted(common))))


def weigh(a: Person, b: Person) -> list[tuple[str, str]]:
    """Return the evidence of a pair beyond its names: (feature of `EVIDENCE`, what agreed)."""
    out: list[tuple[str, str]] = []
    birth = _birth(a.birth_date, b.birth_date)
    if birth is not None:
        out.append((birth, f"{a.birth_date} / {b.birth_date}"))
    if a.sex and b.sex and a.sex != b.sex:
        out.append(("sex-differs", f"{a.sex} / {b.sex}"))
    if a.region and b.region:
        same = a.region == b.region
        out.append(("region" if same else "region-differs", f"{a.region} / {b.region}"))
    _case(a, b, out)
    out.extend(("source", s) for s in sorted(a.sources & b.sources)[:MAX_SOURCES])
    return out


def _points(evidence: Iterable[tuple[str, str]]) -> float:
    return sum(EVIDENCE[f][0] for f, _ in evidence)


# ---- names ------------------------------------------------------------------------------


def _one_slip(x: str, y: str) -> bool:
    """True when x and y differ by one letter replaced, dropped, added or two swapped."""
    if x == y or abs(len(x) - len(y)) > 1 or min(len(x), len(y)) < 3:
        return False
    if len(x) == len(y):
        diff = [i for i in range(len(x)) if x[i] != y[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and x[diff[0]] == y[diff[1]]
            and x[diff[1]] == y[diff[0]]
        )
    short, long_ = sorted((x, y), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def near_name(a: str, b: str) -> str | None:
    """Say why two names the matcher keeps apart may still be one person's, or None.

    `one-letter slip`: the same words, in any order, but for one letter in one of them;
    `inflected`: one side, read as an inflected mention (a case title's genitive), matches
    the other (tried only when the names have as many words and one begins like the other's).
    """
    ta, tb = sorted(normalise_name(a).split()), sorted(normalise_name(b).split())
    if len(ta) != len(tb):
        return None
    rest_a = [t for t in ta if t not in tb]
    rest_b = [t for t in tb if t not in ta]
    if len(rest_a) == len(rest_b) == 1 and _one_slip(rest_a[0], rest_b[0]):
        return "one-letter slip"
    if not {t[:3] for t in ta if len(t) > 3} & {t[:3] for t in tb if len(t) > 3}:
        return None
    best = max(
        compare(_parsed(a, True), _parsed(b), threshold=THRESHOLD).score,
        compare(_parsed(a), _parsed(b, True), threshold=THRESHOLD).score,
    )
    return "inflected" if best >= THRESHOLD else None


@functools.lru_cache(maxsize=65_536)
def _parsed(name: str, mention: bool = False) -> ParsedName:
    return prepare(name, mention=mention)


def matcher() -> Scorer:
    """Return the name matcher as a `Scorer` that parses each spelling once (memoised)."""

    def score(
        a: str, b: str, birth_a: str | None, birth_b: str | None
    ) -> tuple[float, dict[str, Any]]:
        m = compare(_parsed(a), _parsed(b), birth_date_a=birth_a, birth_date_b=birth_b)
        return float(m.score), dict(m.explanation)

    return score


# ---- candidates and proposals -----------------------------------------------------------


def _year(birth_date: str | None) -> int | None:
    head = (birth_date or "")[:4]
    return int(head) if head.isdigit() else None


def _year_pairs(members: list[int], years: list[int | None]) -> Iterator[tuple[int, int]]:
    """Pairs of a block's people born within a year of each other, or either unknown."""
    by_year: dict[int | None, list[int]] = defaultdict(list)
    for m in members:
        by_year[years[m]].append(m)
    unknown = by_year.pop(None, [])
    yield from combinations(unknown, 2)
    for year, group in by_year.items():
        yield from combinations(group, 2)
        for other in by_year.get(year + 1, ()):  # type: ignore[operator]
            for m in group:
                yield m, other
        for m in unknown:
            for other in group:
                yield m, other


def _candidates(
    people: Sequence[Person],
    keys: Callable[[str], Iterable[str]],
    max_block: int,
    report: DedupeReport,
) -> Iterator[tuple[int, int]]:
    """Yield each pair of people (i < j) sharing a name or case block, once."""
    cache: dict[str, tuple[str, ...]] = {}
    blocks: dict[str, set[int]] = defaultdict(set)
    for i, p in enumerate(people):
        for name in p.names:
            if name not in cache:
                cache[name] = tuple(keys(name))
            for k in cache[name]:
                blocks[k].add(i)
        for kind, day in p.events:
            if len(day) == 10:
                blocks[f"{kind} {day}"].add(i)
    years = [_year(p.birth_date) for p in people]
    seen: set[int] = set()
    n = len(people)
    for members in blocks.values():
        if len(members) < 2:
            continue
        report.blocks += 1
        if len(members) > max_block:
            report.skipped_blocks += 1
            continue
        for i, j in _year_pairs(sorted(members), years):
            i, j = min(i, j), max(i, j)
            if i * n + j not in seen:
                seen.add(i * n + j)
                yield i, j


def _judge_names(
    a: Person,
    b: Person,
    scorer: Scorer,
    threshold: float,
    near: Callable[[str, str], str | None],
) -> tuple[float, str, float, dict[str, Any], str, str] | None:
    """Return (points, rule, score, explanation, a's name, b's name) of the best spellings."""
    (score, expl), x, y = max(
        ((scorer(x, y, a.birth_date, b.birth_date), x, y) for x in a.names for y in b.names),
        key=lambda t: t[0][0],
    )
    if score >= threshold:
        return NAME_POINTS, "same", score, expl, x, y
    for x2 in a.names:
        for y2 in b.names:
            rule = near(x2, y2)
            if rule is not None:
                return 0.0, rule, score, expl, x2, y2
    return None


def find_duplicates(
    people: Sequence[Person],
    *,
    scorer: Scorer,
    threshold: float,
    skip: Callable[[str, str], bool] = lambda a, b: False,
    keys: Callable[[str], Iterable[str]] = name_blocks,
    max_block: int = MAX_BLOCK,
    min_points: float = MIN_POINTS,
    near: Callable[[str, str], str | None] = near_name,
    report: DedupeReport | None = None,
) -> list[Proposal]:
    """Return proposals for pairs of people with at least `min_points` of evidence, best first.

    Pure (no database). Args:
        people: the registry's people.
        scorer: compares two spellings with birth dates; `threshold` is where it says "same".
        skip: pairs (a < b) not to look at: already proposed, or already merged.
        keys: name block keys of a spelling (case blocks are added from the events).
        max_block: blocks with more people are skipped (counted in the report).
        min_points: the least points (name and evidence, `EVIDENCE`) a proposal has.
        near: says why names the scorer keeps apart may be one person's (or None).
    """
    report = report if report is not None else DedupeReport()
    out: list[Proposal] = []
    for i, j in _candidates(people, keys, max_block, report):
        a, b = people[i], people[j]
        if a.id > b.id:
            a, b = b, a
        report.pairs_weighed += 1
        evidence = weigh(a, b)
        points = _points(evidence)
        if points + NAME_POINTS < min_points or skip(a.id, b.id):
            continue
        report.pairs_scored += 1
        judged = _judge_names(a, b, scorer, threshold, near)
        if judged is None or judged[0] + points < min_points:
            continue
        out.append(_proposal(a, b, judged, evidence, judged[0] + points, min_points))
    out.sort(key=lambda p: (-p.score, p.a, p.b))
    return out


def _proposal(
    a: Person,
    b: Person,
    judged: tuple[float, str, float, dict[str, Any], str, str],
    evidence: list[tuple[str, str]],
    points: float,
    min_points: float,
) -> Proposal:
    name_points, rule, name_score, expl, x, y = judged
    lines = [f"names: {rule} ({name_score:.2f}, {name_points:+g})"] + [
        f"{EVIDENCE[f][1]}: {what} ({EVIDENCE[f][0]:+g})" for f, what in evidence
    ]
    explanation = {
        **expl,
        "notes": [*expl.get("notes", []), *lines],
        "name_rule": rule,
        "name_score": name_score,
        "evidence": [
            {"feature": f, "points": EVIDENCE[f][0], "what": what} for f, what in evidence
        ],
        "points": points,
        "min_points": min_points,
    }
    return Proposal(
        PairKind.PERSON_PERSON,
        a.id,
        b.id,
        round(1 - 2 ** (-points / 4), 4),
        explanation,
        {
            "a_name": x,
            "b_name": y,
            "a_birth_date": a.birth_date,
            "b_birth_date": b.birth_date,
        },
    )


def load_people(db: Database) -> list[Person]:
    """Return the current registry as dedupe sees it: people with their case evidence."""
    with db.connect() as conn:
        rows = current_rows(conn, "person")
        events = current_rows(conn, "event")
    cases: dict[str, list[Any]] = defaultdict(list)
    for e in events:
        if e.kind in CASE_KINDS:
            cases[e.person].append(e)
    people = []
    for r in rows:
        evs = cases.get(r.id, [])
        details = {}
        for e in evs:
            d = orjson.loads(e.details) if e.details else {}
            details[(e.kind, e.date)] = (
                frozenset(d.get("articles") or ()),
                str(d.get("court") or ""),
                str(d.get("case_number") or ""),
            )
        people.append(
            Person(
                r.id,
                tuple(n["name"] for n in orjson.loads(r.names)),
                r.birth_date,
                r.sex if r.sex in ("m", "f") else None,
                r.region,
                frozenset(details),
                details,
                frozenset(s for e in evs for s in orjson.loads(e.sources)),
            )
        )
    return people


def propose_duplicates(
    db: Database,
    *,
    scorer: Scorer | None = None,
    threshold: float | None = None,
    max_block: int = MAX_BLOCK,
    min_points: float = MIN_POINTS,
    now: datetime | None = None,
) -> DedupeReport:
    """Propose likely duplicate people (current registry) into the review queue.

    Args:
        scorer, threshold: the name scorer and where it says "same" (default: the matcher).
        max_block: blocks with more people are skipped.
        min_points: the least points a proposal has (`MIN_POINTS`).
        now: the time the proposals are recorded (default: now).
    """
    report = DedupeReport()
    t0 = time.perf_counter()
    people = load_people(db)
    with db.connect() as conn:
        known = set(review_store.candidate_pairs(conn, PairKind.PERSON_PERSON.value))
    merged = identity_map(db)
    report.people = len(people)
    t1 = time.perf_counter()

    def skip(a: str, b: str) -> bool:
        return (a, b) in known or merged.canonical(a) == merged.canonical(b)

    found = find_duplicates(
        people,
        scorer=scorer or matcher(),
        threshold=default_threshold() if threshold is None else threshold,
        skip=skip,
        max_block=max_block,
        min_points=min_points,
        report=report,
    )
    t2 = time.perf_counter()
    result = propose(db, found, proposed_by="names dedupe", now=now)
    report.proposed, report.new, report.already_known = len(found), result.new, result.known
    report.candidates = result.ids
    report.seconds = {
        "load": round(t1 - t0, 3),
        "block_and_score": round(t2 - t1, 3),
        "write": round(time.perf_counter() - t2, 3),
    }
    return report
