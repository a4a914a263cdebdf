"""Date ticks of the charts speak the chart's language (matplotlib alone would say "Jul")."""

from __future__ import annotations

from datetime import date

import pytest

from khronika.stats.charts import tick_label


@pytest.mark.parametrize(
    ("lang", "month", "day"),
    [("be", "ліп", "15 ліп"), ("ru", "июль", "15 июл."), ("en", "Jul", "15 Jul")],
)
def test_tick_labels(lang: str, month: str, day: str) -> None:
    assert tick_label(date(2024, 1, 1), lang) == "2024"
    assert tick_label(date(2024, 7, 1), lang) == month
    assert tick_label(date(2024, 7, 15), lang) == day
