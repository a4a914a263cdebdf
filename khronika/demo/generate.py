"""A synthetic dataset at the scale of Belarus since 2020, for demos, tests and benchmarks.

Everything is invented and labelled so (the meta record says `synthetic: true`; organisation
and facility names end in "(synthetic)"). The shape follows what human-rights groups
report: a wave of detentions in 2020–21, then a steady flow; most prosecuted people are
detained, tried and sentenced to years in a colony; one demo recogniser recognises about
half of them, a second one fewer; pardons begin in July 2024; some die in custody or soon
after release; others, abroad, are convicted in absentia and put on official lists.

The simulation is driven by one seeded random generator, so `--seed` reproduces a dataset
exactly. No clock is read: the data ends on `HORIZON`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from khronika.demo.duplicates import duplicate_person, planted_duplicates
from khronika.demo.stock import NameStock

__all__ = ["HORIZON", "DemoConfig", "generate", "planted_pairs"]

T = TypeVar("T")

HORIZON = date(2025, 12, 31)
START = date(2020, 8, 1)
PARDONS_FROM = date(2024, 7, 1)
#: When every reference record (organisations, facilities, sources) was recorded.
REFERENCE_RECORDED = "2020-08-01T00:00:00Z"

RECOGNISER = "demo-rights"
RECOGNISER_B = "demo-watch"
ISSUER = "demo-mvd"
REGIONS = [
    ("BY-HM", 34),
    ("BY-MI", 11),
    ("BY-BR", 10),
    ("BY-HO", 12),
    ("BY-HR", 10),
    ("BY-MA", 10),
    ("BY-VI", 13),
]
ARTICLES = [
    (["342"], 30),
    (["293"], 5),
    (["361-1"], 5),
    (["361-4"], 7),
    (["130"], 12),
    (["368"], 8),
    (["367"], 4),
    (["369"], 8),
    (["188"], 2),
    (["364"], 7),
    (["342", "364"], 3),
    (["130", "361-1"], 3),
    (["356"], 2),
    (["361-1", "361-4"], 4),
]
ADMIN_ARTICLES = [(["24.23"], 60), (["19.11"], 30), (["24.3"], 10)]
# Relative intensity of detentions per year (the 2020–21 wave, then a steady flow).
YEAR_WEIGHT = {2020: 10.0, 2021: 6.5, 2022: 3.3, 2023: 2.3, 2024: 2.1, 2025: 1.9}


@dataclass(frozen=True, slots=True)
class DemoConfig:
    """What to generate.

    Attributes:
        people: how many people (about ten events each).
        seed: the random seed; the same seed gives the same data.
        duplicates: the share of people recorded a second time, as a peer's archive has
            them (`khronika.demo.duplicates`); the copies come after the people, so the
            people themselves are the same whatever the share. 0 plants none.
    """

    people: int = 10_000
    seed: int = 1
    duplicates: float = 0.015


def _iso(day: int) -> str:
    return date.fromordinal(day).isoformat()


def _ts(day: int, hour: int = 12) -> str:
    return f"{_iso(day)}T{hour:02d}:00:00Z"


def _facility(fid: str, name: str, kind: str, address: str, *, public: bool) -> dict[str, Any]:
    """Return a reference facility record (its name marked synthetic)."""
    return {
        "type": "facility",
        "id": fid,
        "name": f"{name} (synthetic)",
        "kind": kind,
        "address": address,
        "public": public,
        "recorded": REFERENCE_RECORDED,
    }


class _Builder:
    """Keeps ids and the shared reference records while people are simulated."""

    def __init__(self, cfg: DemoConfig) -> None:
        self.cfg = cfg
        self.rng = random.Random(cfg.seed)
        distinct = max(3_000, min(60_000, cfg.people // 12))
        self.names = NameStock(self.rng, surnames=distinct)
        self.event_n = 0
        self.horizon = HORIZON.toordinal()
        self.n_sources = max(20, cfg.people // 20)
        self.pretrial = [f"sizo-{i}" for i in range(1, 8)]
        self.colonies = [f"colony-{i}" for i in range(1, 18)]
        months = []
        day = START
        while day <= HORIZON:
            months.append((day.toordinal(), YEAR_WEIGHT[day.year]))
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        self.months = [m for m, _ in months]
        self.month_cum = _cumulative([w for _, w in months])
        self.planted = planted_duplicates(cfg.people, cfg.seed, cfg.duplicates)
        self.originals: dict[int, list[dict[str, Any]]] = {}

    # -- reference records ------------------------------------------------------------
    def reference_records(self) -> Iterator[dict[str, Any]]:
        yield {
            "type": "meta",
            "dataset": "khronika demo (synthetic)",
            "licence": "CC0-1.0",
            "synthetic": True,
            "description": "Invented people and events at the scale of Belarus since 2020. "
            "No record describes a real person.",
            "recorded": REFERENCE_RECORDED,
        }
        orgs = [
            (RECOGNISER, "Demo Human Rights Centre (synthetic)", "recogniser"),
            (RECOGNISER_B, "Demo Prisoner Watch (synthetic)", "recogniser"),
            (ISSUER, "Demo Ministry of Internal Affairs (synthetic)", "issuer"),
            ("demo-court", "Demo District Court (synthetic)", "court"),
            ("demo-tv", "Demo State Television (synthetic)", "outlet"),
        ]
        for oid, name, kind in orgs:
            yield {
                "type": "organisation",
                "id": oid,
                "name": name,
                "kind": kind,
                "recorded": REFERENCE_RECORDED,
            }
        for i, fid in enumerate(self.pretrial, 1):
            name, address = f"Pre-trial centre No. {i}", f"{i} Example Street, Town {i}"
            yield _facility(fid, name, "pre-trial centre", address, public=True)
        for i, fid in enumerate(self.colonies, 1):
            name, address = f"Penal colony No. {i}", f"Colony {i}, {i} Example Road, Village {i}"
            yield _facility(fid, name, "colony", address, public=i % 5 != 0)
        for i in range(self.n_sources):
            public = i % 10 != 0
            yield {
                "type": "source",
                "id": f"s{i}",
                "url": f"https://demo.invalid/{'news' if public else 'testimony'}/{i}",
                "title": f"{'News item' if public else 'Testimony'} {i} (synthetic)",
                "publisher": "Demo News (synthetic)" if public else "Demo testimony archive",
                "published": _iso(START.toordinal() + i * 2000 // self.n_sources),
                "visibility": "public" if public else "restricted",
                "recorded": REFERENCE_RECORDED,
            }

    # -- people -------------------------------------------------------------------------
    def event(
        self,
        person: str,
        kind: str,
        day: int,
        *,
        lag: int = 3,
        precision: str = "day",
        **fields: Any,
    ) -> dict[str, Any]:
        self.event_n += 1
        text = _iso(day)
        if precision == "month":
            text = text[:7]
        elif precision == "year":
            text = text[:4]
        rec: dict[str, Any] = {
            "type": "event",
            "id": f"e{self.event_n}",
            "person": person,
            "kind": kind,
            "date": text,
            "sources": [f"s{self.rng.randrange(self.n_sources)}"],
            "recorded": _ts(min(day + lag, self.horizon + 30)),
        }
        rec.update({k: v for k, v in fields.items() if v is not None})
        return rec

    def pick(self, table: Sequence[tuple[T, float]]) -> T:
        """Draw one value of a (value, weight) table, in proportion to the weights."""
        return self.rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]

    def designation(self, pid: str, day: int) -> dict[str, Any]:
        """Return `pid`'s entry on the demo issuer's extremists list on `day`."""
        details = {"list": "demo-extremists", "entry": pid}
        return self.event(pid, "designated", day, by=ISSUER, details=details)

    def broadcast(self, pid: str, day: int, narrative: str) -> dict[str, Any]:
        """Return `pid`'s appearance on demo state television on `day`, in `narrative`."""
        details = {"outlet": "demo-tv", "narrative": narrative}
        return self.event(pid, "media_appearance", day, details=details)

    def death(self, pid: str, day: int, place: str) -> dict[str, Any]:
        """Return `pid`'s death on `day` (`place`: in custody, after release)."""
        return self.event(pid, "died", day, details={"place": place})

    def month_day(self) -> int:
        start = self.rng.choices(self.months, cum_weights=self.month_cum)[0]
        return start + self.rng.randrange(28)

    def person(self, n: int) -> list[dict[str, Any]]:
        rng = self.rng
        pid = f"p{n}"
        sex = "f" if rng.random() < 0.135 else "m"
        name = self.names.draw(sex)
        r = rng.random()
        if r < 0.73:
            events = self.custody_story(pid)
        elif r < 0.80:
            events = self.absentia_story(pid)
        elif r < 0.85:
            events = self.no_custody_story(pid)
        else:
            events = self.administrative_story(pid)
        events = [e for e in events if e["date"] <= HORIZON.isoformat()]
        first = min((e["recorded"] for e in events), default="2020-08-02T12:00:00Z")
        vis = rng.random()
        visibility = "public" if vis < 0.80 else "restricted" if vis < 0.95 else "withheld"
        birth = rng.randrange(1950, 2004)
        person: dict[str, Any] = {
            "type": "person",
            "id": pid,
            "names": [
                {"name": name.be, "lang": "be", "primary": True},
                {"name": name.ru, "lang": "ru"},
                {"name": name.latin, "lang": "be-Latn", "system": "passport"},
            ],
            "sex": sex,
            "birth_date": f"{birth}"
            if rng.random() < 0.2
            else f"{birth}-{rng.randrange(1, 13):02d}",
            "region": self.pick(REGIONS),
            "visibility": visibility,
            "recorded": first,
        }
        if visibility == "public":
            person["story"] = {"en": "An invented person in khronika's synthetic demo data."}
        if rng.random() < 0.3:
            person["notes"] = "Synthetic private note: contact through the family (restricted)."
        out = [person]
        # The sex was recorded wrongly at first and corrected 200 days later: two versions
        # (not for people first recorded so late that the correction would pass the horizon).
        if rng.random() < 0.003 and _ord(first) + 200 <= self.horizon:
            wrong = {**person, "sex": "m" if sex == "f" else "f"}
            fixed = {**person, "recorded": _ts(_ord(first) + 200)}
            out = [wrong, fixed]
        if n in self.planted:
            self.originals[n] = out + events
        return out + events

    def duplicates(self) -> Iterator[dict[str, Any]]:
        """Yield the planted copies of people (after every person; own random generator)."""
        rng = random.Random(f"khronika demo duplicate records {self.cfg.seed}")
        for n, copy in sorted(self.planted.items()):
            yield from duplicate_person(
                self.originals.pop(n),
                f"p{copy}",
                rng,
                event_id=self.next_event_id,
                n_sources=self.n_sources,
                horizon=HORIZON,
            )

    def next_event_id(self) -> str:
        self.event_n += 1
        return f"e{self.event_n}"

    def custody_story(self, pid: str) -> list[dict[str, Any]]:
        rng = self.rng
        ev = []
        detained = self.month_day()
        precision = "month" if rng.random() < 0.08 else "day"
        ev.append(
            self.event(
                pid,
                "detained",
                detained,
                precision=precision,
                details={"facility": rng.choice(self.pretrial)},
            )
        )
        articles = self.pick(ARTICLES)
        charged = detained + rng.randrange(3, 30)
        ev.append(self.event(pid, "charged", charged, details={"articles": articles}))
        convicted = charged + rng.randrange(40, 200)
        u = rng.random()
        months = (
            rng.randrange(12, 24)
            if u < 0.25
            else rng.randrange(24, 37)
            if u < 0.8
            else rng.randrange(42, 85)
            if u < 0.95
            else rng.randrange(84, 181)
        )
        stype = "colony" if months < 150 else "prison"
        ev.append(
            self.event(
                pid,
                "convicted",
                convicted,
                details={
                    "articles": articles,
                    "sentence_months": months,
                    "sentence_type": stype,
                    "court": "Demo District Court (synthetic)",
                    "case_number": f"1-{rng.randrange(10**6)}",
                },
            )
        )
        end = detained + int(months * 30.4)
        release, basis = self.release(detained, end)
        # Prisoners are moved often: to a colony after the verdict, then between colonies,
        # punishment cells and prison hospitals — about one move every three months.
        last = release if release is not None else min(end, self.horizon)
        day = convicted + rng.randrange(20, 60)
        while day < last:
            ev.append(
                self.event(pid, "transferred", day, details={"facility": rng.choice(self.colonies)})
            )
            day += rng.randrange(30, 150)
        # Recognition: about 60 % by the demo recogniser, weeks after detention.
        recognised_day = None
        if rng.random() < 0.6:
            recognised_day = detained + rng.randrange(12, 75)
            late = rng.random() < 0.05
            if release is None or recognised_day < release:
                lag = rng.randrange(120, 300) if late else rng.randrange(1, 4)
                ev.append(self.event(pid, "recognised", recognised_day, by=RECOGNISER, lag=lag))
                if rng.random() < 0.004:
                    ev.append(
                        self.event(
                            pid,
                            "recognition_withdrawn",
                            recognised_day + rng.randrange(60, 400),
                            by=RECOGNISER,
                        )
                    )
            else:
                recognised_day = None
        if (recognised_day and rng.random() < 0.75) or rng.random() < 0.03:
            day, lag = detained + rng.randrange(30, 160), rng.randrange(2, 20)
            ev.append(self.event(pid, "recognised", day, by=RECOGNISER_B, lag=lag))
        if rng.random() < 0.25:
            ev.append(self.designation(pid, convicted + rng.randrange(10, 90)))
        if rng.random() < 0.05:
            ev.append(self.broadcast(pid, convicted + rng.randrange(10, 300), "repentance"))
        died_in = rng.random() < 0.0025
        if died_in:
            death = detained + rng.randrange(200, 1500)
            if release is None or death < release:
                ev.append(self.death(pid, death, "in custody"))
                return ev
        if release is not None:
            released = self.event(
                pid,
                "released",
                release,
                details={"basis": basis},
                precision="month" if rng.random() < 0.05 else "day",
            )
            ev.append(released)
            if rng.random() < 0.01:
                # A release first reported with the wrong date, corrected weeks later.
                wrong_day = release - rng.randrange(5, 40)
                fix_at = _ord(released["recorded"]) + rng.randrange(20, 60)
                ev[-1] = {**released, "date": _iso(wrong_day)}
                ev.append({**released, "recorded": _ts(fix_at)})
            if rng.random() < 0.006:
                ev.append(self.death(pid, release + rng.randrange(60, 330), "after release"))
            elif rng.random() < 0.005:
                # Re-detained on the day of release: a new case (order by seq).
                ev[-1 if ev[-1]["kind"] == "released" else -2]["seq"] = 0
                ev.append(
                    self.event(
                        pid,
                        "detained",
                        release,
                        seq=1,
                        details={"facility": rng.choice(self.pretrial)},
                    )
                )
        return ev

    def release(self, detained: int, end: int) -> tuple[int | None, str]:
        """Decide when and how a prisoner leaves custody (None: still held at the horizon)."""
        rng = self.rng
        if rng.random() < 0.05:
            return detained + rng.randrange(60, 400), "parole"
        pardon_from = max(PARDONS_FROM.toordinal(), detained + 200)
        if pardon_from < min(end, self.horizon):
            # About 1.2 % of those still held are pardoned each month from July 2024.
            day = pardon_from
            while day < min(end, self.horizon):
                if rng.random() < 0.012:
                    if date.fromordinal(day) >= date(2025, 9, 1) and rng.random() < 0.3:
                        return day, "deportation"
                    return day, "pardon"
                day += 30
        if end <= self.horizon:
            return end, "end_of_term" if rng.random() < 0.97 else "amnesty"
        return None, ""

    def absentia_story(self, pid: str) -> list[dict[str, Any]]:
        rng = self.rng
        left = START.toordinal() + rng.randrange(30, 1000)
        ev = [self.event(pid, "emigrated", left, precision="month", lag=rng.randrange(30, 200))]
        for case in range(2 if rng.random() < 0.2 else 1):
            charged = left + rng.randrange(60, 700) + case * 200
            articles = self.pick(ARTICLES)
            ev.append(self.event(pid, "charged", charged, details={"articles": articles}))
            ev.append(
                self.event(
                    pid,
                    "convicted_in_absentia",
                    charged + rng.randrange(90, 400),
                    precision="year" if rng.random() < 0.05 else "day",
                    details={
                        "articles": articles,
                        "sentence_months": rng.randrange(36, 180),
                        "sentence_type": "colony",
                    },
                )
            )
        if rng.random() < 0.45:
            ev.append(self.designation(pid, left + rng.randrange(100, 900)))
        if rng.random() < 0.04:
            ev.append(self.event(pid, "return_commission", left + rng.randrange(900, 1600)))
        if rng.random() < 0.08:
            ev.append(self.broadcast(pid, left + rng.randrange(200, 1500), "fugitives"))
        return ev

    def no_custody_story(self, pid: str) -> list[dict[str, Any]]:
        rng = self.rng
        charged = self.month_day()
        articles = self.pick(ARTICLES)
        stype = rng.choice(["restricted_freedom", "fine", "house_arrest"])
        return [
            self.event(pid, "charged", charged, details={"articles": articles}),
            self.event(
                pid,
                "convicted",
                charged + rng.randrange(40, 150),
                details={
                    "articles": articles,
                    "sentence_type": stype,
                    "sentence_months": 0 if stype == "fine" else rng.randrange(12, 36),
                },
            ),
        ]

    def administrative_story(self, pid: str) -> list[dict[str, Any]]:
        rng = self.rng
        detained = self.month_day()
        articles = self.pick(ADMIN_ARTICLES)
        admin = {"proceeding": "administrative", "articles": articles}
        days = rng.choice([10, 13, 15, 15, 25, 30])
        return [
            self.event(pid, "detained", detained, details={"facility": rng.choice(self.pretrial)}),
            self.event(pid, "charged", detained, details=admin, seq=1),
            self.event(pid, "convicted", detained + 1, details={**admin, "sentence_type": "other"}),
            self.event(pid, "released", detained + days, details={"basis": "end_of_term"}),
        ]


def _ord(ts: str) -> int:
    return date.fromisoformat(ts[:10]).toordinal()


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def planted_pairs(cfg: DemoConfig) -> list[tuple[str, str]]:
    """Return the planted duplicates of `cfg` as (person id, id of their copy), in id order.

    Known from the configuration alone (no data is generated): what a bench or a test
    measures dedupe against.
    """
    planted = planted_duplicates(cfg.people, cfg.seed, cfg.duplicates)
    return [(f"p{n}", f"p{c}") for n, c in sorted(planted.items())]


def generate(cfg: DemoConfig) -> Iterator[dict[str, Any]]:
    """Yield the records of a synthetic dataset: reference records, then people and their
    events (each person before their events), then the planted duplicates (`cfg.duplicates`)."""
    builder = _Builder(cfg)
    yield from builder.reference_records()
    for n in range(1, cfg.people + 1):
        yield from builder.person(n)
    yield from builder.duplicates()
