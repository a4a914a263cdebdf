"""Public charts draw no count under the threshold k (a lone person would show as a one)."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest
from matplotlib.axes import Axes

from khronika.listwatch.figures import list_chart
from khronika.media.charts import narrative_chart
from khronika.stats.charts import flows_chart
from khronika.storage import Database
from tests.web.conftest import load_fixture, make_client


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every y value the charts hand to matplotlib (lines and bars)."""
    values: list[float] = []
    plot, bar = Axes.plot, Axes.bar

    def spy_plot(self: Axes, x: Any, y: Any, *args: Any, **kwargs: Any) -> Any:
        values.extend(float(v) for v in y)
        return plot(self, x, y, *args, **kwargs)

    def spy_bar(self: Axes, x: Any, height: Any, *args: Any, **kwargs: Any) -> Any:
        values.extend(float(v) for v in height)
        return bar(self, x, height, *args, **kwargs)

    monkeypatch.setattr(Axes, "plot", spy_plot)
    monkeypatch.setattr(Axes, "bar", spy_bar)
    return values


def small(values: list[float], k: int) -> list[float]:
    return [v for v in values if not math.isnan(v) and 0 < v < k]


def test_flows_chart_for_the_public_draws_no_small_count(
    db: Database, tmp_path: Path, drawn: list[float]
) -> None:
    load_fixture(db)
    flows_chart(db, "2020-01-01", "2025-05-01", tmp_path / "team.svg", lang="en")
    assert small(drawn, 3), "the fixture has months of one or two recognitions"
    drawn.clear()
    flows_chart(db, "2020-01-01", "2025-05-01", tmp_path / "public.svg", lang="en", minimum=3)
    assert drawn and not small(drawn, 3)
    assert any(math.isnan(v) for v in drawn)  # a gap, not a zero
    assert "counts under 3 are not drawn" in (tmp_path / "public.svg").read_text()


@pytest.mark.parametrize("url", ["/en/charts/flows.svg", "/en/charts/flows.svg?size=phone"])
def test_the_public_flows_chart_is_drawn_with_k(
    db: Database, tmp_path: Path, drawn: list[float], monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    load_fixture(db)
    monkeypatch.setenv("KHRONIKA_MIN_CELL", "3")
    r = make_client(db, tmp_path).get(url)
    assert r.status_code == 200
    assert drawn and not small(drawn, 3)
    # What the chart writes, line by line (a phone's chart wraps the note over two lines).
    written = " ".join(re.findall(r"<!-- (.*?) -->", r.text, re.S))
    assert "counts under 3 are not drawn" in written


def test_narrative_chart_with_k_draws_no_small_count(tmp_path: Path, drawn: list[float]) -> None:
    rows = [
        {"period": p, "narrative": t, "items": n}
        for p, t, n in [
            ("2025-01", "fugitives", 7),
            ("2025-02", "fugitives", 2),
            ("2025-01", "return", 1),
            ("2025-02", "return", 0),
        ]
    ]
    data = {"step": "month", "rows": rows}
    narrative_chart(data, tmp_path / "a.svg", label=str, title="t")
    assert sorted(drawn) == [0, 1, 2, 7]
    drawn.clear()
    narrative_chart(data, tmp_path / "b.svg", label=str, title="t", minimum=5, note="under 5")
    assert [v for v in drawn if not math.isnan(v)] == [7, 0]
    assert sum(math.isnan(v) for v in drawn) == 2
    assert "under 5" in (tmp_path / "b.svg").read_text()
    drawn.clear()
    narrative_chart(data, tmp_path / "c.svg", label=str, title="t", minimum=5, size="phone")
    assert [v for v in drawn if not math.isnan(v)] == [7, 0]  # the phone's size hides the same


def test_charts_are_the_same_bytes_for_the_same_data(tmp_path: Path, db: Database) -> None:
    """No date and no random element ids in an SVG: a chart changes only when its data does
    (what an ETag or a byte-for-byte comparison of the site relies on)."""
    load_fixture(db)
    data = {"step": "month", "rows": [{"period": "2025-01", "narrative": "return", "items": 7}]}
    added = {"added_by_month": [{"month": "2025-01", "by_medium": {"telegram": 3, "site": 1}}]}
    svgs: list[list[bytes]] = []
    for n in ("a", "b"):
        for size in ("desktop", "phone"):
            narrative_chart(data, tmp_path / f"n{n}{size}.svg", label=str, title="t", size=size)
            flows_chart(
                db, "2020-01-01", "2025-05-01", tmp_path / f"f{n}{size}.svg", lang="en", size=size
            )
            list_chart(added, tmp_path / f"l{n}{size}.svg", title="t", size=size)
        svgs.append(sorted(p.read_bytes() for p in tmp_path.glob(f"?{n}*.svg")))
    assert len(svgs[0]) == 6 and svgs[0] == svgs[1]
    assert not [svg for svg in svgs[0] if b"<dc:date>" in svg]
