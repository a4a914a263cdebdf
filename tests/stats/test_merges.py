"""Merged people count once in every figure, from the moment the merge is recorded.

Four synthetic people, recogniser `ra`; times are UTC:

    m1 f  detained 2021-03-01, ra 2021-04-01, released 2024-07-10 pardon; charged 2021-03-05
    m2 m  detained 2021-03-02, ra 2021-04-20 (the same woman, entered twice; sex wrong)
    m3 m  charged 2021-03-20, convicted in absentia 2022-05-01 and 2022-09-01
    m4 m  convicted in absentia 2022-05-15 (m3 again)

Merges (review accepts): m1 = m2 on 2023-01-10, m3 = m4 on 2023-02-01, the latter undone
on 2024-01-15.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from khronika.interchange import import_records
from khronika.registry.validate import RawRecord
from khronika.review import judge, undo
from khronika.stats import figures, flows, rebuild_spans, series
from khronika.storage import Database
from khronika.storage import review as store


def _event(eid: str, person: str, kind: str, day: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "event",
        "id": eid,
        "person": person,
        "kind": kind,
        "date": day,
        "recorded": f"{day}T12:00:00Z",
        **extra,
    }


RECORDS: list[dict[str, Any]] = [
    {
        "type": "organisation",
        "id": "ra",
        "name": "ra",
        "kind": "recogniser",
        "recorded": "2020-01-01T00:00:00Z",
    },
    *(
        {
            "type": "person",
            "id": pid,
            "names": [{"name": f"Synthetic {pid}", "lang": "en"}],
            "sex": sex,
            "recorded": "2020-01-01T00:00:00Z",
        }
        for pid, sex in (("m1", "f"), ("m2", "m"), ("m3", "m"), ("m4", "m"))
    ),
    _event("e1", "m1", "detained", "2021-03-01"),
    _event("e2", "m1", "recognised", "2021-04-01", by="ra"),
    _event("e3", "m1", "released", "2024-07-10", details={"basis": "pardon"}),
    _event("e4", "m1", "charged", "2021-03-05", details={"articles": ["342"]}),
    _event("e5", "m2", "detained", "2021-03-02"),
    _event("e6", "m2", "recognised", "2021-04-20", by="ra"),
    _event("e7", "m3", "charged", "2021-03-20"),
    _event("e8", "m3", "convicted_in_absentia", "2022-05-01"),
    _event("e9", "m3", "convicted_in_absentia", "2022-09-01"),
    _event("e10", "m4", "convicted_in_absentia", "2022-05-15"),
]


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


@pytest.fixture
def merged(db: Database) -> Database:
    import_records(db, [RawRecord(f"merges:{i}", r) for i, r in enumerate(RECORDS, 1)])
    figures(db, "2022-01-01", by="ra")  # the cache is built: merges refresh it
    with db.begin() as conn:
        (women, absent), _ = store.insert_candidates(
            conn,
            [
                {
                    "kind": "person-person",
                    "a": a,
                    "b": b,
                    "score": 0.95,
                    "explanation": {},
                    "context": {},
                    "proposed_by": "test",
                    "proposed": "2022-12-01T00:00:00.000000Z",
                }
                for a, b in (("m1", "m2"), ("m3", "m4"))
            ],
        )
    judge(db, women, "positive", reason="same woman", now=_at("2023-01-10"))
    judge(db, absent, "positive", reason="same man", now=_at("2023-02-01"))
    undo(db, absent, reason="two men after all", now=_at("2024-01-15"))
    return db


def test_stock_counts_merged_people_once(merged: Database) -> None:
    before = figures(merged, "2022-06-01", by="ra", known_on="2023-01-09")
    assert before["political_prisoners"] == 2
    assert before["by_sex"] == {"f": 1, "m": 1, "unknown": 0}
    after = figures(merged, "2022-06-01", by="ra")
    assert after["political_prisoners"] == 1
    assert after["in_custody_total"] == 1
    # The canonical person (the smallest id) gives sex and case.
    assert after["by_sex"] == {"f": 1, "m": 0, "unknown": 0}
    assert after["by_article"] == {"342": 1}


def test_flows_count_merged_people_once(merged: Database) -> None:
    year = ("2021-01-01", "2021-12-31")
    assert flows(merged, *year, by="ra", known_on="2022-12-31")["recognised"] == 2
    assert flows(merged, *year, by="ra")["recognised"] == 1
    assert flows(merged, *year, by="ra")["prosecuted_persons"] == 2  # m1, m3 (m4 in 2022)
    absentia = ("2022-01-01", "2022-12-31")
    # m3 and m4 merged on 2023-02-01, split again on 2024-01-15.
    during = flows(merged, *absentia, by="ra", known_on="2023-06-01")
    assert during["convicted_in_absentia"] == {"persons": 1, "cases": 3}
    assert during["prosecuted_persons"] == 1
    now = flows(merged, *absentia, by="ra")
    assert now["convicted_in_absentia"] == {"persons": 2, "cases": 3}
    assert now["prosecuted_persons"] == 2


def test_series_as_known_then_follows_merges(merged: Database) -> None:
    got = series(merged, "2022-10-01", "2024-03-31", step="quarter", by="ra", known_on="asof")
    stock = {p["period"]: p["political_prisoners"] for p in got["points"]}
    # Two prisoners until the merge of 2023-01-10 is known, one after.
    assert stock == {
        "2022-Q4": 2,
        "2023-Q1": 1,
        "2023-Q2": 1,
        "2023-Q3": 1,
        "2023-Q4": 1,
        "2024-Q1": 1,
    }


def test_incremental_refresh_equals_rebuild(merged: Database) -> None:
    from tests.stats.test_reference import _daily, _flows, _spans

    incremental = (_spans(merged), _flows(merged), _daily(merged))
    with merged.begin() as conn:
        rebuild_spans(conn)
    assert incremental == (_spans(merged), _flows(merged), _daily(merged))
    assert any(row[0] == "m1" and row[1] == "e6" for row in incremental[1])
