"""The person page's summary of events: status, custody periods and days behind bars."""

from __future__ import annotations

from datetime import date

import pytest

from khronika.web.custody import summarise


def ev(kind: str, d: str, **details: object) -> dict[str, object]:
    return {"kind": kind, "date": d, "details": details, "by": details.pop("by", None)}


CASES = [
    # (events in order, status, periods, days on 2025-05-01)
    ([], "other", [], 0),
    ([ev("detained", "2025-04-01")], "in_custody", [("2025-04-01", None)], 31),
    ([ev("detained", "2021-05")], "in_custody", [("2021-05-01", None)], 1462),
    (
        [ev("detained", "2020-08-10"), ev("released", "2024-07-03", basis="pardon")],
        "released",
        [("2020-08-10", "2024-07-03")],
        1424,
    ),
    # A release known only to the month ends custody on the month's last day.
    (
        [ev("detained", "2024-07-01"), ev("released", "2024-07")],
        "released",
        [("2024-07-01", "2024-07-31")],
        31,
    ),
    (
        [ev("detained", "2022-03-01"), ev("released", "2024-09"), ev("died", "2025-03")],
        "died",
        [("2022-03-01", "2024-09-30")],
        945,
    ),
    (
        [ev("convicted", "2023-01-10", sentence_type="colony")],
        "in_custody",
        [("2023-01-10", None)],
        843,
    ),
    ([ev("convicted", "2023-01-10", sentence_type="restricted_freedom")], "other", [], 0),
    ([ev("convicted_in_absentia", "2024", articles=["361-1"])], "other", [], 0),
    (
        [
            ev("detained", "2020-01-01"),
            ev("released", "2020-01-10"),
            ev("detained", "2021-01-01"),
            ev("released", "2021-01-05"),
        ],
        "released",
        [("2020-01-01", "2020-01-10"), ("2021-01-01", "2021-01-05")],
        15,
    ),
]


@pytest.mark.parametrize(("events", "status", "periods", "days"), CASES)
def test_summarise(events: list, status: str, periods: list, days: int) -> None:
    c = summarise(events)
    assert c.status == status
    assert c.periods == periods
    assert c.days(date(2025, 5, 1)) == days


def test_facility_articles_and_recognition() -> None:
    c = summarise(
        [
            ev("detained", "2021-05", facility="sizo-1"),
            ev("recognised", "2021-06", by="org-a"),
            ev("convicted", "2021-11", articles=["342", "361-1"], sentence_type="colony"),
            ev("transferred", "2022-01", facility="col-4"),
            ev("recognised", "2022-02", by="org-b"),
            ev("recognition_withdrawn", "2023", by="org-a"),
        ]
    )
    assert c.facility == "col-4"
    assert c.articles == ["342", "361-1"]
    assert c.recognised_by == ["org-b"]
    assert c.detention_year == 2021
