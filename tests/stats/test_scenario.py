"""The scenario of issue 3: every figure checked against values computed by hand.

The data is tests/fixtures/stats_scenario.ndjson (25 synthetic people, two recognisers `ra`
and `rb`). Unless a line says otherwise, an event is recorded three days after the last day
its date may mean, at noon UTC (so "2021-05" is recorded 2021-06-03T12:00Z), and people
in 2020. Who is who (R = ra unless said):

    p01 f HM  detained 2021-05 (eff 05-01), ra 2021-06, convicted 2021-11-20 [342, 361-1],
              rb 2022-01-10; still held
    p02 m BR  detained 2020-08-10, ra 2020-09-01, released 2024-07 pardon (eff 07-31)
    p03 m MI  detained 2021-01-15, ra 2021-02-01, convicted 2021-06-01 [342];
              2023-03-10 released (seq 1, recorded 03-13) and detained again (seq 2,
              recorded 03-12: without seq the release would come last); convicted
              2023-06-01 [130]; still held
    p04 f VI  detained 2022-02-01, ra 2022-03-01, ra withdrawn 2024-06 (eff 06-30); held
    p05 m GO  detained 2023-09-05, rb only 2023-10-01; held
    p06 m HM  detained 2022-05-20, ra 2022-06-15, convicted 2022-10-01 [342]; released
              2024-09-01 pardon recorded 09-02, RETRACTED 2024-10-01; held (as known now)
    p07 f MA  detained 2024-01-10, ra 2024-02-01 RECORDED 2024-08-01; held
    p08 f VI  sex m in the version of 2021-03-01, f from 2024-02-01; detained 2021-03-15,
              ra 2021-04, convicted 2021-09-01 [342]; held
    p09 m HR  detained 2021-07-01, ra 2021-08-01, died in custody 2024-03 (eff 03-31,
              recorded 04-03)
    p10 f HM  detained 2023-02-01, ra 2023-03-01, released 2024-12-20 end_of_term,
              died 2025-06 (after release)
    p11 m --  convicted in absentia 2023-05-10 [361-1] and 2024-01 [342] (recorded 02-03)
    p12 f BR  charged 2024-02-10 ADMINISTRATIVE, detained 2024-02-10, released 02-25
    p13 m HM  WITHHELD; detained 2022-11-11, ra 2022-12-01, convicted 2023-02 [342]; held
    p14 m VI  detained 2021 (eff 2021-01-01), ra 2021-03-15, released 2024 parole
              (eff 2024-12-31)
    p15 m HM  detained 2024-11-05, charged 2024-11-06 [293], ra 2025-01-15, rb 2025-02-01
    p16 ? GO  sex unknown; detained 2023-04-01, ra 2023-05-01, no charge; held
    p17 m MI  detained 2024-05-01, charged 2024-05-02 [369], ra 2024-06-01,
              convicted 2025-06-10 [369, 130]; held
    p18 m HM  detained 2020-09-01, ra 2020-10-01, rb 2020-10-05, released 2025-04-15
              deportation
    p19 f HM  detained 2025-03-20, ra 2025-04-10; held
    p20 m --  detained 2025-01-05, ra 2025-04-02, withdrawn 04-05, ra again 04-20; held
    p21 f HR  charged 2024-04-01 [342], ra 2024-05-01; never detained
    p22 m HM  detained 2023-01-10, released 2024-07-20 pardon; never recognised
    p23 m HM  detained 2022-06-01, ra 2023-06-01; held
    p24 m HM  detained 2022-01-01, died 2023-05-05; never recognised
    p25 f MA  detained 2020-10-01, ra 2020-10-10, released 2021-04-01 end_of_term,
              detained again 2023-08-01; held
"""

from __future__ import annotations

from typing import Any

import pytest

from khronika.model.events import RELEASE_BASES
from khronika.stats import figures, flows, series
from khronika.storage import Database


def _bases(**n: int) -> dict[str, int]:
    return {b: n.get(b, 0) for b in RELEASE_BASES}


# (as_of, known_on, by, retroactive, expected): each expectation worked out by hand below.
FIGURES: list[tuple[str, str | None, str, bool, dict[str, Any]]] = [
    # 2025-05-01, known now, ra. Held and recognised by ra on that day: p01 p03 (seq keeps
    # p03 held through 2023-03-10) p06 (its release is retracted) p07 p08 p13 (withheld,
    # still counted) p15 p16 p17 p19 p20 (the last ra event, 04-20, is `recognised`) p23
    # p25 = 13. Not: p02 p10 p14 p18 p22 (released), p09 p24 (dead), p04 (withdrawn),
    # p05 (rb only), p11 p21 (never held), p12 (released).
    # Women p01 p07 p08 (f as known now) p19 p25 = 5; unknown p16; men the other 7.
    # Regions: HM p01 p06 p13 p15 p19 p23 = 6; MI p03 p17; MA p07 p25; VI p08; GO p16;
    # p20 has none → unknown.
    # Articles (latest conviction, else charge, by 2025-05-01): p01 342+361-1, p03 130
    # (2023 conviction, not the 2021 one), p06 342, p08 342, p13 342, p15 293 (charge),
    # p17 369 (its conviction is after D); p07 p16 p19 p20 p23 p25 have none → unknown 6.
    # In custody: the 13, p04, p05 = 15.
    (
        "2025-05-01",
        None,
        "ra",
        False,
        {
            "political_prisoners": 13,
            "by_sex": {"f": 5, "m": 7, "unknown": 1},
            "by_region": {"BY-HM": 6, "BY-MI": 2, "BY-MA": 2, "BY-VI": 1, "BY-GO": 1, "unknown": 1},
            "by_article": {"342": 4, "361-1": 1, "130": 1, "293": 1, "369": 1, "unknown": 6},
            "in_custody_total": 15,
        },
    ),
    # Same day, rb: p01 (rb 2022-01-10), p05, p15 (rb 2025-02-01) held; p18 released.
    # Articles: p01 342+361-1, p05 none, p15 293.
    (
        "2025-05-01",
        None,
        "rb",
        False,
        {
            "political_prisoners": 3,
            "by_sex": {"f": 1, "m": 2, "unknown": 0},
            "by_region": {"BY-HM": 2, "BY-GO": 1},
            "by_article": {"342": 1, "361-1": 1, "293": 1, "unknown": 1},
            "in_custody_total": 15,
        },
    ),
    # 2023-01-01 as known then: p01 p02 p03 p04 p06 p08 p09 p13 (detained 11-11, ra 12-01
    # recorded 12-04) p14 p18 = 10; p23 is held but not yet recognised; p25 is between
    # detentions. p08 was recorded as a man then: women p01 p04 only.
    # Articles by 2023-01-01: p01 342+361-1, p03 342 (2021), p06 342, p08 342; p13's
    # conviction (2023-02) is later; p02 p04 p09 p14 p18 none → unknown 6.
    # In custody: the 10, p23, p24 = 12.
    (
        "2023-01-01",
        "2023-01-01",
        "ra",
        False,
        {
            "political_prisoners": 10,
            "by_sex": {"f": 2, "m": 8, "unknown": 0},
            "by_region": {"BY-HM": 4, "BY-BR": 1, "BY-MI": 1, "BY-VI": 3, "BY-HR": 1},
            "by_article": {"342": 4, "361-1": 1, "unknown": 6},
            "in_custody_total": 12,
        },
    ),
    # The same day as known now: the same ten people, but p08 is now a woman.
    (
        "2023-01-01",
        None,
        "ra",
        False,
        {
            "political_prisoners": 10,
            "by_sex": {"f": 3, "m": 7, "unknown": 0},
            "by_region": {"BY-HM": 4, "BY-BR": 1, "BY-MI": 1, "BY-VI": 3, "BY-HR": 1},
            "by_article": {"342": 4, "361-1": 1, "unknown": 6},
            "in_custody_total": 12,
        },
    ),
    # Retroactive, known now: held on 2023-01-01 (the 12 above) whose last ra event is
    # `recognised`: drop p04 (withdrawn 2024) and p24 (never), keep p23 (recognised
    # 2023-06-01, after D) = 10; women p01 p08.
    # Articles: p04 (none) leaves, p23 (none) comes: unchanged.
    (
        "2023-01-01",
        None,
        "ra",
        True,
        {
            "political_prisoners": 10,
            "by_sex": {"f": 2, "m": 8, "unknown": 0},
            "by_region": {"BY-HM": 5, "BY-BR": 1, "BY-MI": 1, "BY-VI": 2, "BY-HR": 1},
            "by_article": {"342": 4, "361-1": 1, "unknown": 6},
            "in_custody_total": 12,
        },
    ),
    # 2024-09-15 as known now: p01 p03 p06 p07 p08 p10 p13 p14 (release takes 2024-12-31)
    # p16 p17 p18 p23 p25 = 13; in custody also p04 p05 = 15.
    ("2024-09-15", None, "ra", False, {"political_prisoners": 13, "in_custody_total": 15}),
    # As known on 2024-09-15, p06's release (recorded 09-02, retracted only 10-01) stood:
    # 12 and 14.
    ("2024-09-15", "2024-09-15", "ra", False, {"political_prisoners": 12, "in_custody_total": 14}),
    # 2024-03-01 as known now: p01 p02 p03 p04 (withdrawal takes 06-30) p06 p07 p08 p09
    # (death takes 03-31) p10 p13 p14 p16 p18 p23 p25 = 15.
    ("2024-03-01", None, "ra", False, {"political_prisoners": 15}),
    # As known on 2024-03-01, p07's recognition (recorded 2024-08-01) was unknown: 14.
    # Women p01 p04 p08 (corrected on 02-01, known by 03-01) p10 p25; p16 unknown; men p02
    # p03 p06 p09 p13 p14 p18 p23.
    (
        "2024-03-01",
        "2024-03-01",
        "ra",
        False,
        {"political_prisoners": 14, "by_sex": {"f": 5, "m": 8, "unknown": 1}},
    ),
    # Retroactive as known on 2024-03-01: p04's withdrawal was not known yet, p07's
    # recognition neither: the same 14.
    (
        "2024-03-01",
        "2024-03-01",
        "ra",
        True,
        {"political_prisoners": 14, "by_sex": {"f": 5, "m": 8, "unknown": 1}},
    ),
    # Retroactive as known now: p04 (VI) leaves (withdrawn), p07 (MA) stays: 14. Regions:
    # HM p01 p06 p10 p13 p18 p23; BR p02; MI p03; MA p07 p25; VI p08 p14; HR p09; GO p16.
    (
        "2024-03-01",
        None,
        "ra",
        True,
        {
            "political_prisoners": 14,
            "by_region": {
                "BY-HM": 6,
                "BY-BR": 1,
                "BY-MI": 1,
                "BY-MA": 2,
                "BY-VI": 2,
                "BY-HR": 1,
                "BY-GO": 1,
            },
        },
    ),
    # 2023-03-10, the day of p03's release and re-detention: seq 2 (detained) is last, so
    # p03 counts. Held then: p01 p02 p03 p04 p06 p08 p09 p10 (ra 03-01) p13 p14 p18 = 11
    # (p23 not yet recognised, p25 between detentions).
    ("2023-03-10", None, "ra", False, {"political_prisoners": 11}),
    # 2024-06-30: p04's withdrawal (2024-06, eff 06-30) applies that very day; held and
    # recognised: p01 p02 p03 p06 p07 p08 p10 p13 p14 p16 p17 p18 p23 p25 = 14.
    ("2024-06-30", None, "ra", False, {"political_prisoners": 14}),
    # 2024-06-29: p04 still counts: 15.
    ("2024-06-29", None, "ra", False, {"political_prisoners": 15}),
    # 2021-05-01: p01's detention "2021-05" takes 05-01, but ra's "2021-06" takes 06-01:
    # held and recognised: p02 p03 p08 (ra 2021-04 → 04-01) p14 p18 = 5; p25 was released
    # 2021-04-01. In custody also p01 = 6.
    ("2021-05-01", None, "ra", False, {"political_prisoners": 5, "in_custody_total": 6}),
]


@pytest.mark.parametrize(("as_of", "known_on", "by", "retroactive", "expected"), FIGURES)
def test_figures(
    scenario_db: Database,
    as_of: str,
    known_on: str | None,
    by: str,
    retroactive: bool,
    expected: dict[str, Any],
) -> None:
    got = figures(scenario_db, as_of, known_on=known_on, by=by, retroactive=retroactive)
    assert got["as_of"] == as_of and got["by"] == by and got["known_on"] == known_on
    assert {k: got[k] for k in expected} == expected


# (from, to, known_on, by, expected flows), worked out by hand.
FLOWS: list[tuple[str, str, str | None, str, dict[str, Any]]] = [
    # April 2025, ra: recognised p19 (04-10) and p20 (twice: 04-02, 04-20; one person) = 2;
    # released p18 (04-15, deportation; prisoner of ra the day before). Nothing else.
    (
        "2025-04-01",
        "2025-04-30",
        None,
        "ra",
        {
            "recognised": 2,
            "released": {"total": 1, "persons": 1, "by_basis": _bases(deportation=1)},
            "died": {"in_custody": 0, "after_release": 0},
            "convicted_in_absentia": {"persons": 0, "cases": 0},
            "prosecuted_persons": 0,
        },
    ),
    # 2024, ra, known now: recognised p07 (02-01) p21 (05-01) p17 (06-01) = 3. Released:
    # p02 pardon (07-31), p10 end_of_term (12-20), p14 parole (2024 → 12-31); p06's release
    # is retracted; p12 and p22 were never recognised. Died: p09 in custody (03-31).
    # In absentia: p11 (2024-01). Prosecuted (criminal): p11, p15 (11-06), p17 (05-02),
    # p21 (04-01) = 4; p12's charge is administrative.
    (
        "2024-01-01",
        "2024-12-31",
        None,
        "ra",
        {
            "recognised": 3,
            "released": {
                "total": 3,
                "persons": 3,
                "by_basis": _bases(pardon=1, end_of_term=1, parole=1),
            },
            "died": {"in_custody": 1, "after_release": 0},
            "convicted_in_absentia": {"persons": 1, "cases": 1},
            "prosecuted_persons": 4,
        },
    ),
    # 2024 as known on 2024-09-15: p02's release (recorded 08-03) and p06's (not yet
    # retracted) = 2 pardons; p10's and p14's releases and p15's charge were recorded later.
    (
        "2024-01-01",
        "2024-12-31",
        "2024-09-15",
        "ra",
        {
            "recognised": 3,
            "released": {"total": 2, "persons": 2, "by_basis": _bases(pardon=2)},
            "died": {"in_custody": 1, "after_release": 0},
            "convicted_in_absentia": {"persons": 1, "cases": 1},
            "prosecuted_persons": 3,
        },
    ),
    # Since 2020, ra: recognised everyone ra ever recognised: p01-p04 p06-p10 p13-p21 p23
    # p25 = 20. Released while prisoners of ra: p02 pardon, p03 end_of_term (2023-03-10,
    # although re-detained that day), p10 end_of_term, p14 parole, p18 deportation, p25
    # end_of_term (2021-04-01) = 6. Died: p09 in custody, p10 after release (2025-06;
    # recognition never withdrawn); p24 was never recognised. In absentia: p11, two cases.
    # Prosecuted: p01 p03 p06 p08 p11 p13 p15 p17 p21 = 9 (not p12: administrative).
    (
        "2020-01-01",
        "2025-12-31",
        None,
        "ra",
        {
            "recognised": 20,
            "released": {
                "total": 6,
                "persons": 6,
                "by_basis": _bases(pardon=1, end_of_term=3, parole=1, deportation=1),
            },
            "died": {"in_custody": 1, "after_release": 1},
            "convicted_in_absentia": {"persons": 1, "cases": 2},
            "prosecuted_persons": 9,
        },
    ),
    # Since 2020, rb: recognised p01 p05 p15 p18 = 4; released p18 only; no rb death.
    # Absentia and prosecutions do not depend on the recogniser.
    (
        "2020-01-01",
        "2025-12-31",
        None,
        "rb",
        {
            "recognised": 4,
            "released": {"total": 1, "persons": 1, "by_basis": _bases(deportation=1)},
            "died": {"in_custody": 0, "after_release": 0},
            "convicted_in_absentia": {"persons": 1, "cases": 2},
            "prosecuted_persons": 9,
        },
    ),
    # March 2023: p10 recognised (03-01); p03 released (end_of_term) and re-detained the
    # same day: the release still counts.
    (
        "2023-03-01",
        "2023-03-31",
        None,
        "ra",
        {
            "recognised": 1,
            "released": {"total": 1, "persons": 1, "by_basis": _bases(end_of_term=1)},
            "prosecuted_persons": 0,
        },
    ),
    # June 2025: p10 dies after release ("2025-06" → 06-30); p17 convicted (06-10).
    (
        "2025-06-01",
        "2025-06-30",
        None,
        "ra",
        {"died": {"in_custody": 0, "after_release": 1}, "prosecuted_persons": 1, "recognised": 0},
    ),
    # January 2024 as known on 2024-01-31: p11's second in-absentia verdict ("2024-01")
    # was recorded on 02-03.
    (
        "2024-01-01",
        "2024-01-31",
        "2024-01-31",
        "ra",
        {"convicted_in_absentia": {"persons": 0, "cases": 0}, "prosecuted_persons": 0},
    ),
    (
        "2024-01-01",
        "2024-01-31",
        None,
        "ra",
        {"convicted_in_absentia": {"persons": 1, "cases": 1}, "prosecuted_persons": 1},
    ),
]


@pytest.mark.parametrize(("d1", "d2", "known_on", "by", "expected"), FLOWS)
def test_flows(
    scenario_db: Database, d1: str, d2: str, known_on: str | None, by: str, expected: dict[str, Any]
) -> None:
    got = flows(scenario_db, d1, d2, known_on=known_on, by=by)
    assert (got["from"], got["to"], got["by"]) == (d1, d2, by)
    assert {k: got[k] for k in expected} == expected


def _column(points: list[dict[str, Any]], *path: str) -> list[Any]:
    out = []
    for p in points:
        v: Any = p
        for key in path:
            v = v[key]
        out.append(v)
    return out


# Monthly 2024-01-01 → 2024-04-15 for ra. Stock on the last day of each step:
# 01-31: p01 p02 p03 p04 p06 p08 p09 p10 p13 p14 p16 p18 p23 p25 = 14 (p07's recognition
# takes 02-01); 02-29: + p07 = 15; 03-31: p09 died = 14; 04-15: 14.
# In custody also p05 and p22 (and p07 in January): 17, 17, 16, 16.
# As known then: p07's recognition is unknown until August (14 in February) and p09's death
# (recorded 04-03) unknown on 03-31 (14, custody 17); on 04-15 it is known: 13, 16.
# Flows as known now: recognised p07 in February; p09 died in March; p11's in-absentia
# verdict in January; prosecuted p11 (January), p21 (April). As known then: only p21's
# charge (recorded 04-04) was known by the end of its step.
SERIES = [
    (
        None,
        {
            "political_prisoners": [14, 15, 14, 14],
            "in_custody_total": [17, 17, 16, 16],
            "recognised": [0, 1, 0, 0],
            "died.in_custody": [0, 0, 1, 0],
            "convicted_in_absentia.cases": [1, 0, 0, 0],
            "prosecuted_persons": [1, 0, 0, 1],
        },
    ),
    (
        "asof",
        {
            "political_prisoners": [14, 14, 14, 13],
            "in_custody_total": [17, 17, 17, 16],
            "recognised": [0, 0, 0, 0],
            "died.in_custody": [0, 0, 0, 0],
            "convicted_in_absentia.cases": [0, 0, 0, 0],
            "prosecuted_persons": [0, 0, 0, 1],
        },
    ),
]


@pytest.mark.parametrize(("known_on", "expected"), SERIES)
def test_monthly_series(
    scenario_db: Database, known_on: str | None, expected: dict[str, list[int]]
) -> None:
    got = series(scenario_db, "2024-01-01", "2024-04-15", step="month", by="ra", known_on=known_on)
    points = got["points"]
    assert [(p["period"], p["from"], p["to"]) for p in points] == [
        ("2024-01", "2024-01-01", "2024-01-31"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2024-03", "2024-03-01", "2024-03-31"),
        ("2024-04", "2024-04-01", "2024-04-15"),
    ]
    for key, values in expected.items():
        assert _column(points, *key.split(".")) == values, key


def test_quarterly_series(scenario_db: Database) -> None:
    # Quarter ends 03-31: 14; 06-30: p09 gone, p04 withdrawn that day, p17 recognised 06-01:
    # 14; 09-30: p02 released 07-31: 13; 12-31: p10 (12-20) and p14 (2024 → 12-31)
    # released: 11. Recognised: p07 | p21 p17 | - | -. Released: - | - | p02 | p10 p14.
    got = series(scenario_db, "2024-01-01", "2024-12-31", step="quarter", by="ra")
    points = got["points"]
    assert _column(points, "period") == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    assert _column(points, "political_prisoners") == [14, 14, 13, 11]
    assert _column(points, "recognised") == [1, 2, 0, 0]
    assert _column(points, "released", "total") == [0, 0, 1, 2]
    assert _column(points, "released", "by_basis", "parole") == [0, 0, 0, 1]


def test_series_point_equals_figures(scenario_db: Database) -> None:
    # A yearly series ending mid-year: its last stock is the figure on that day.
    got = series(scenario_db, "2023-06-15", "2025-05-01", step="year", by="ra")
    assert _column(got["points"], "period") == ["2023", "2024", "2025"]
    assert got["points"][0]["from"] == "2023-06-15" and got["points"][-1]["to"] == "2025-05-01"
    assert got["points"][-1]["political_prisoners"] == 13
