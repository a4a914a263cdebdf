"""The narrative timeline: items per narrative per month, drawn with matplotlib (headless).

It draws what `khronika.media.figures.narrative_series` computed; it counts items, never
people. For the public a month's count under the threshold k is not drawn (`minimum`).
Drawn `desktop` (10 × 5.2 in) or `phone` (4.4 in wide, seen about 1:1 in CSS px on a
phone: no label under 11 pt, fewer dates, the legend in one column under the plot).
"""

from __future__ import annotations

import math
import textwrap
from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

__all__ = ["SIZES", "narrative_chart"]

SIZES = ("desktop", "phone")

_COLOURS = ["#b2182b", "#2166ac", "#4d9221", "#762a83", "#e08214", "#35978f", "#878787"]
#: Lines drawn at most: the narratives with the most items (the rest are summed as "other").
_MAX_LINES = 6


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # headless: no display, same output everywhere
    # The same data gives the same bytes: SVG element ids from a fixed salt, no date.
    matplotlib.rcParams["svg.hashsalt"] = "khronika"
    import matplotlib.pyplot as plt

    return plt


def _month_start(period: str) -> date:
    return date.fromisoformat(period + "-01")


def narrative_chart(
    data: Mapping[str, Any],
    path: str | Path,
    *,
    label: Callable[[str], str],
    title: str,
    other: str = "other",
    synthetic: str | None = None,
    minimum: int | None = None,
    note: str | None = None,
    size: str = "desktop",
) -> None:
    """Draw `narrative_series` data (step `month`) as one line per narrative to `path`.

    Args:
        data: `narrative_series(…, step="month")` output.
        path: the file to write (`.svg` or `.png`).
        label: a narrative tag's label in the chart's language.
        title: the chart's title.
        other: the label of the narratives beyond the six largest, summed.
        synthetic: when given, stamped across the chart (synthetic data).
        minimum: when given, a count under it (and not zero) is a gap, never a point.
        note: a line under the title (what the chart leaves out).
        size: `desktop` or `phone` (`SIZES`).
    """
    if size not in SIZES:
        raise ValueError(f"size {size!r}: one of {', '.join(SIZES)}")
    phone = size == "phone"
    if data["step"] != "month":
        raise ValueError("the narrative chart draws months")
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    periods: list[str] = []
    for row in data["rows"]:
        counts[row["narrative"]][row["period"]] = row["items"]
        if row["period"] not in periods:
            periods.append(row["period"])
    totals = sorted(counts, key=lambda t: (-sum(counts[t].values()), t))
    shown, rest = totals[:_MAX_LINES], totals[_MAX_LINES:]
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(4.4, 5.4) if phone else (10, 5.2), layout="constrained")
    xs = [_month_start(p) for p in periods]
    lines: list[tuple[str, list[float]]] = [
        (label(t), [counts[t].get(p, 0) for p in periods]) for t in shown
    ]
    if rest:
        lines.append((other, [sum(counts[t].get(p, 0) for t in rest) for p in periods]))
    if minimum is not None:
        lines = [
            (name, [y if y == 0 or y >= minimum else math.nan for y in ys]) for name, ys in lines
        ]
    for i, (name, ys) in enumerate(lines):
        ax.plot(
            xs,
            ys,
            color=_COLOURS[i % len(_COLOURS)],
            linewidth=2,
            marker="o",
            markersize=3,
            label=name,
        )
    ax.set_ylim(0, max([1, *(y for _, ys in lines for y in ys if not math.isnan(y))]) * 1.3)
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if phone:
        _phone_layout(fig, ax, title, note)
    else:
        fig.suptitle(title, x=0.01, ha="left", fontsize=15, weight="bold")
        if note:
            ax.set_title(note, loc="left", fontsize=10, color="#444444")
        if lines:
            ax.legend(frameon=False, loc="upper left", ncols=3, fontsize=9)
    if synthetic:
        fig.text(0.5, 0.5, synthetic, fontsize=30 if phone else 44, color="#cc0000", alpha=0.12,
                 ha="center", va="center", rotation=20, weight="bold")  # fmt: skip
    fmt = Path(path).suffix.lstrip(".").lower() or "svg"
    fig.savefig(path, format=fmt, dpi=150, metadata={"Date": None} if fmt == "svg" else None)
    plt.close(fig)


def _phone_layout(fig: Any, ax: Any, title: str, note: str | None) -> None:
    """Title, note, dates and legend at a phone's width: 11 pt at least, lines wrapped, about
    four dates, the legend in one column under the plot."""
    import matplotlib.dates as mdates

    ax.tick_params(labelsize=11)
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=2, maxticks=4))  # type: ignore[no-untyped-call]
    fig.suptitle(textwrap.fill(title, 34), x=0.01, ha="left", fontsize=14, weight="bold")
    if note:
        ax.set_title(textwrap.fill(note, 40), loc="left", fontsize=11, color="#444444")
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(handles, [textwrap.fill(t, 36) for t in labels], frameon=False,
                  loc="upper left", bbox_to_anchor=(-0.02, -0.08), ncols=1, fontsize=11)  # fmt: skip
