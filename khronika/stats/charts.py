"""Charts of the figures, drawn with matplotlib (headless): for reports and the web app.

Two charts:

* `prisoners_chart`: political prisoners at the end of each step, for the chosen recogniser
  as known now and as known at the time, and for the other recognisers as known now;
* `flows_chart`: new recognitions against releases (stacked by basis), per step.

Each is drawn in one of two `SIZES`: `desktop` (10 × 5.6 in) or `phone` (4.4 in wide, about
the width a phone shows it at, so a 11 pt label is at least 11 px there; fewer ticks, the
legend under the plot, long lines wrapped). Charts of a database whose meta says
`synthetic: true` are stamped "synthetic data".
"""

from __future__ import annotations

import math
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

from khronika.model.events import RELEASE_BASES
from khronika.privacy import suppress_flows
from khronika.stats.labels import LANGS, label
from khronika.stats.recognisers import recognisers, resolve_recogniser
from khronika.stats.series import series
from khronika.storage import Database
from khronika.storage.stats import is_synthetic

__all__ = ["CHARTS", "SIZES", "draw_chart", "flows_chart", "prisoners_chart"]

CHARTS = ("prisoners", "flows")
SIZES = ("desktop", "phone")
#: Font sizes (pt) of the phone size: its figure is drawn about 1:1 in CSS px on a phone, so
#: none is under 11. Desktop keeps the sizes it always had (its bytes do not change).
_PHONE = {"title": 14.0, "text": 11.0, "stamp": 30.0}
#: Characters per line of the phone size's wrapped lines (the bold title's are wider).
_PHONE_WRAP = {"title": 34, "text": 40, "legend": 36}
_COLOURS = ["#b2182b", "#2166ac", "#4d9221", "#762a83"]
_BASIS_COLOURS = {
    "pardon": "#f4a582",
    "amnesty": "#fddbc7",
    "end_of_term": "#92c5de",
    "parole": "#d1e5f0",
    "exchange": "#b8e186",
    "deportation": "#4d9221",
    "acquittal": "#c2a5cf",
    "other": "#bababa",
}


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # headless: no display, same output everywhere
    # The same data gives the same bytes: SVG element ids from a fixed salt, no date.
    matplotlib.rcParams["svg.hashsalt"] = "khronika"
    import matplotlib.pyplot as plt

    return plt


def _figure(size: str) -> tuple[Any, Any]:
    """A figure and its axes in `size` (`desktop` or `phone`)."""
    if size not in SIZES:
        raise ValueError(f"size {size!r}: one of {', '.join(SIZES)}")
    phone = size == "phone"
    fig, ax = _pyplot().subplots(figsize=(4.4, 5.4) if phone else (10, 5.6), layout="constrained")
    if phone:
        ax.tick_params(labelsize=_PHONE["text"])
        ax.yaxis.label.set_size(_PHONE["text"])
    return fig, ax


def _wrap(text: str, size: str, kind: str = "text") -> str:
    """`text` as it is drawn in `size`: wrapped to the phone's width there."""
    return textwrap.fill(text, _PHONE_WRAP[kind]) if size == "phone" else text


def _titles(fig: Any, ax: Any, title: str, sub: str, size: str) -> None:
    """The chart's title (bold, left) and the line under it, in `size`."""
    phone = size == "phone"
    fig.suptitle(
        _wrap(title, size, "title"),
        x=0.01,
        ha="left",
        fontsize=_PHONE["title"] if phone else 15,
        weight="bold",
    )
    ax.set_title(
        _wrap(sub, size), loc="left", fontsize=_PHONE["text"] if phone else 10, color="#444444"
    )


def _legend(ax: Any, size: str, **desktop: Any) -> None:
    """The legend: where `desktop` says on the desktop; on a phone in one column under the
    plot's dates (the constrained layout puts the footer under it)."""
    if size == "phone":
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(
            handles,
            [textwrap.fill(t, _PHONE_WRAP["legend"]) for t in labels],
            frameon=False,
            loc="upper left",
            bbox_to_anchor=(-0.02, -0.08),
            ncols=1,
            fontsize=_PHONE["text"],
        )
    else:
        ax.legend(frameon=False, **desktop)


def _x(points: list[dict[str, Any]]) -> list[date]:
    return [date.fromisoformat(p["to"]) for p in points]


def _finish(
    fig: Any, ax: Any, db: Database, lang: str, path: str | Path, size: str = "desktop"
) -> None:
    """Common layout: grid, spines, the footer, the synthetic stamp; save as SVG or PNG."""
    phone = size == "phone"
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    with db.connect() as conn:
        synthetic = is_synthetic(conn)
    footer = label(lang, "made")
    if synthetic:
        footer = label(lang, "synthetic_note") + " · " + footer
        fig.text(
            0.5,
            0.5,
            label(lang, "synthetic"),
            fontsize=_PHONE["stamp"] if phone else 44,
            color="#cc0000",
            alpha=0.12,
            ha="center",
            va="center",
            rotation=20,
            weight="bold",
        )
    # supxlabel takes part in the constrained layout: the footer never overlaps the ticks.
    fig.supxlabel(
        _wrap(footer, size),
        x=0.01,
        ha="left",
        fontsize=_PHONE["text"] if phone else 8,
        color="#666666",
    )
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    # A phone's narrow axis holds about four dates at 11 pt.
    ticks = {"minticks": 2, "maxticks": 4} if phone else {"minticks": 4, "maxticks": 10}
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(**ticks))  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda x, _pos: tick_label(mdates.num2date(x).date(), lang))  # type: ignore[no-untyped-call]
    )
    fmt = Path(path).suffix.lstrip(".").lower() or "svg"
    fig.savefig(path, format=fmt, dpi=150, metadata={"Date": None} if fmt == "svg" else None)
    _pyplot().close(fig)


def _prisoners_line(ax: Any, points: list[dict[str, Any]], **style: Any) -> None:
    """Draw the political prisoners of a series' `points` as one line (matplotlib `style`)."""
    ax.plot(_x(points), [p["political_prisoners"] for p in points], **style)


def prisoners_chart(
    db: Database,
    date_from: str,
    date_to: str,
    path: str | Path,
    *,
    step: str = "month",
    by: str | None = None,
    lang: str = "en",
    others: int = 1,
    size: str = "desktop",
) -> None:
    """Draw political prisoners over time to `path` (.svg or .png), in `size` (`SIZES`).

    Lines: recogniser `by` as known now (solid) and as known at each point's own date
    (dashed), and up to `others` other recognisers as known now.
    """
    _check_lang(lang)
    org = resolve_recogniser(db, by)
    names = dict(recognisers(db))
    fig, ax = _figure(size)
    now = series(db, date_from, date_to, step=step, by=org, with_flows=False)
    then = series(db, date_from, date_to, step=step, by=org, known_on="asof", with_flows=False)
    now_label = label(lang, "now", org=names[org])
    _prisoners_line(ax, now["points"], color=_COLOURS[0], linewidth=2.2, label=now_label)
    then_label = label(lang, "then", org=names[org])
    _prisoners_line(
        ax, then["points"], color=_COLOURS[0], linewidth=1.6, linestyle="--", label=then_label
    )
    for i, other in enumerate([o for o in names if o != org][:others], start=1):
        pts = series(db, date_from, date_to, step=step, by=other, with_flows=False)["points"]
        other_label = label(lang, "now", org=names[other])
        _prisoners_line(ax, pts, color=_COLOURS[i], linewidth=1.8, label=other_label)
    last = now["points"][-1]
    ax.annotate(
        f"{last['political_prisoners']:,}".replace(",", "\u202f"),
        (_x([last])[0], last["political_prisoners"]),
        textcoords="offset points",
        xytext=(4, 6),
        fontsize=12 if size == "phone" else 10,
        color=_COLOURS[0],
        weight="bold",
    )
    ax.set_ylim(0, max(p["political_prisoners"] for p in now["points"]) * 1.15 + 1)
    ax.set_ylabel(label(lang, "people"))
    sub = label(lang, "prisoners_sub", step=step)
    _titles(fig, ax, label(lang, "prisoners_title"), sub, size)
    _legend(ax, size, loc="lower right")
    _finish(fig, ax, db, lang, path, size)


def flows_chart(
    db: Database,
    date_from: str,
    date_to: str,
    path: str | Path,
    *,
    step: str = "month",
    by: str | None = None,
    lang: str = "en",
    known_on: str | None = None,
    minimum: int | None = None,
    size: str = "desktop",
) -> None:
    """Draw new recognitions (line) against releases stacked by basis (bars) to `path`,
    in `size` (`SIZES`).

    With `minimum` (the public threshold k) every count is suppressed as the public API
    suppresses it (`khronika.privacy.suppress_flows`): a count under k is not drawn (a gap
    in the line, no bar), and the chart says so.
    """
    _check_lang(lang)
    org = resolve_recogniser(db, by)
    names = dict(recognisers(db))
    data = series(db, date_from, date_to, step=step, by=org, known_on=known_on)
    points = data["points"]
    if minimum is not None:
        points = [suppress_flows(p, minimum=minimum) for p in points]
    # Each bar spans most of its step, from the step's first day; the line marks the middles.
    starts = [date.fromisoformat(p["from"]) for p in points]
    lengths = [
        (date.fromisoformat(p["to"]) - d).days + 1 for p, d in zip(points, starts, strict=True)
    ]
    widths = [n * 0.8 for n in lengths]
    middles = [
        date.fromordinal(d.toordinal() + int(w // 2)) for d, w in zip(starts, widths, strict=True)
    ]
    fig, ax = _figure(size)
    bottom = [0] * len(points)
    for basis in RELEASE_BASES:
        values = [p["released"]["by_basis"][basis] or 0 for p in points]
        if not any(values):
            continue
        ax.bar(
            starts,
            values,
            width=widths,
            bottom=bottom,
            align="edge",
            color=_BASIS_COLOURS[basis],
            label=label(lang, basis),
            edgecolor="white",
            linewidth=0.3,
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.plot(
        middles,
        # None (suppressed) is a gap: matplotlib draws no segment to a NaN.
        [math.nan if p["recognised"] is None else p["recognised"] for p in points],
        color=_COLOURS[0],
        linewidth=2,
        marker="o",
        markersize=3,
        label=label(lang, "recognised"),
    )
    top = max([*bottom, *(p["recognised"] or 0 for p in points), 1])
    # Headroom for the legend above the tallest bar.
    ax.set_ylim(0, top * 1.35)
    ax.set_ylabel(label(lang, "people"))
    sub = label(lang, "flows_sub", org=names[org])
    if minimum is not None:
        sub += " · " + label(lang, "suppressed", k=str(minimum))
    _titles(fig, ax, label(lang, "flows_title", step=step), sub, size)
    _legend(ax, size, loc="upper left", ncols=4, fontsize=9)
    _finish(fig, ax, db, lang, path, size)


def draw_chart(
    chart: str, db: Database, date_from: str, date_to: str, path: str | Path, **options: Any
) -> None:
    """Draw chart `chart` (`prisoners` or `flows`) to `path`."""
    if chart == "prisoners":
        options.pop("known_on", None)
        prisoners_chart(db, date_from, date_to, path, **options)
    elif chart == "flows":
        flows_chart(db, date_from, date_to, path, **options)
    else:
        raise ValueError(f"chart {chart!r}: one of {', '.join(CHARTS)}")


def tick_label(day: date, lang: str) -> str:
    """Label a date tick in `lang`: the year on 1 January, the month's short name on the
    first of a month, else day and month (matplotlib would name months in English)."""
    from babel.dates import format_date

    if day.day == 1 and day.month == 1:
        return str(day.year)
    if day.day == 1:
        return format_date(day, "LLL", locale=lang)
    return format_date(day, "d MMM", locale=lang)


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang {lang!r}: one of {', '.join(LANGS)}")
