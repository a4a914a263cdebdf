"""Partial dates and timestamps."""

from __future__ import annotations

import pytest

from khronika.errors import InvalidValue
from khronika.model.dates import (
    PartialDate,
    export_timestamp,
    parse_timestamp,
    storage_timestamp,
)


@pytest.mark.parametrize(
    ("text", "lower", "upper", "precision"),
    [
        ("2021", "2021-01-01", "2021-12-31", "year"),
        ("2021-05", "2021-05-01", "2021-05-31", "month"),
        ("2024-02", "2024-02-01", "2024-02-29", "month"),
        ("2023-02", "2023-02-01", "2023-02-28", "month"),
        ("2021-05-14", "2021-05-14", "2021-05-14", "day"),
    ],
)
def test_partial_date_bounds(text: str, lower: str, upper: str, precision: str) -> None:
    d = PartialDate.parse(text)
    assert (d.text, d.lower, d.upper, d.precision) == (text, lower, upper, precision)


@pytest.mark.parametrize(
    "text", ["2021-13", "2021-02-30", "2021-00", "21-05", "2021/05", "2021-5", "", "1700", " 2021"]
)
def test_invalid_partial_dates(text: str) -> None:
    with pytest.raises(InvalidValue):
        PartialDate.parse(text)


def test_partial_date_rejects_numbers() -> None:
    with pytest.raises(InvalidValue):
        PartialDate.parse(2021)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("2024-04-02T00:00:00Z", "2024-04-02T00:00:00.000000Z"),
        ("2024-04-02T03:00:00+03:00", "2024-04-02T00:00:00.000000Z"),
        ("2024-04-02T00:00:00.5Z", "2024-04-02T00:00:00.500000Z"),
        ("2024-04-02", "2024-04-02T23:59:59.999999Z"),
    ],
)
def test_storage_timestamps(value: str, stored: str) -> None:
    assert storage_timestamp(value) == stored


def test_export_timestamp_drops_zero_microseconds() -> None:
    assert export_timestamp("2024-04-02T00:00:00.000000Z") == "2024-04-02T00:00:00Z"
    assert export_timestamp("2024-04-02T00:00:00.500000Z") == "2024-04-02T00:00:00.500000Z"


@pytest.mark.parametrize("value", ["2024-04-02T00:00:00", "yesterday", "2024-13-01T00:00:00Z"])
def test_invalid_timestamps(value: str) -> None:
    with pytest.raises(InvalidValue):
        parse_timestamp(value)
