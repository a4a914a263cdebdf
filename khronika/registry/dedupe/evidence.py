"""What counts as evidence that two records are one person's, and its points.

A name is not enough (the package's docstring says why): `weigh` lists what agrees or
disagrees beyond the names of a pair — birth date, sex, region, the events of a case with
their details, sources cited by both — each a feature of `EVIDENCE` with its points.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["CASE_KINDS", "EVIDENCE", "MIN_POINTS", "Person", "points_of", "weigh"]

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


def points_of(evidence: Iterable[tuple[str, str]]) -> float:
    """Return the points of a pair's evidence (`EVIDENCE`), names not counted."""
    return sum(EVIDENCE[f][0] for f, _ in evidence)
