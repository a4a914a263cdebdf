"""Figures of one list over time, by medium: how many entries, what each month added.

    snapshots ──▶ entries per snapshot, by medium ──▶ additions per month, by medium
                  (medium of an entry: `medium_of`, from the identifiers in its text)

An entry's medium is the first of MEDIA its identifiers show (a material naming both a
Telegram channel and a site is a Telegram one), so every entry counts once; people and
organisations without identifiers are their own kinds. Additions are entries a snapshot
has that the snapshot before it had not (relistings included); the first snapshot is the
starting size, never "added" (like the lists watch's silent first import).

The chart (`list_chart`) is drawn `desktop` (10 × 5.2 in) or `phone` (4.4 in wide, seen
about 1:1 in CSS px on a phone: no label under 11 pt, at most six months named, the legend
in one column under the plot); the same figures give the same SVG bytes.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from khronika.errors import NotFound
from khronika.listwatch.identifiers import extract
from khronika.storage import Database
from khronika.storage import lists as store

__all__ = ["CHART_SIZES", "MEDIA", "list_chart", "list_figures", "medium_of"]

CHART_SIZES = ("desktop", "phone")

#: Media in the order that decides an entry's medium, then the kinds without one.
MEDIA = ("telegram", "vk", "other_networks", "site", "person", "organisation", "print_other")
_NETWORKS = ("ig:", "tt:", "yt:", "fb:", "ok:", "x:", "threads:")


def medium_of(data: dict[str, Any]) -> str:
    """The medium of an entry (`Entry.to_json` data): one of MEDIA."""
    text = "\n".join(
        [str(data.get("name") or "")]
        + [str(v) for k in ("links", "short_names") for v in (data.get(k) or ())]
    )
    keys = [k for k in extract(text) if not k.startswith("title:")]
    if any(k.startswith(("tg:", "tg+:", "tgid:")) for k in keys):
        return "telegram"
    if any(k.startswith("vk:") for k in keys):
        return "vk"
    if any(k.startswith(_NETWORKS) for k in keys):
        return "other_networks"
    if any(k.startswith("site:") for k in keys):
        return "site"
    kind = data.get("kind")
    return kind if kind in ("person", "organisation") else "print_other"


def list_figures(db: Database, list_id: str) -> dict[str, Any]:
    """Entries per snapshot and additions per month, each by medium (zeros left out)."""
    media: dict[str, str] = {}  # entry digest -> medium: an unchanged entry is read once
    snapshots: list[dict[str, Any]] = []
    months: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    with db.connect() as conn:
        if store.get_list(conn, list_id) is None:
            raise NotFound(f"no list {list_id!r}")
        previous: set[str] | None = None
        for snap in store.snapshots(conn, list_id):
            digests = store.snapshot_digests(conn, list_id, snap["id"])
            unseen = [k for k, d in digests.items() if d not in media]
            for key, data in store.entries_by_keys(conn, list_id, snap["id"], unseen).items():
                media[digests[key]] = medium_of(data)
            by_medium: dict[str, int] = defaultdict(int)
            for digest in digests.values():
                by_medium[media[digest]] += 1
            snapshots.append(
                {
                    "id": snap["id"],
                    "taken": snap["taken"],
                    "entries": len(digests),
                    "by_medium": _ordered(by_medium),
                }
            )
            if previous is not None:
                month = months[snap["taken"][:7]]
                for key in digests.keys() - previous:
                    month[media[digests[key]]] += 1
            previous = set(digests)
    return {
        "list": list_id,
        "snapshots": snapshots,
        "added_by_month": [
            {"month": m, "added": sum(v.values()), "by_medium": _ordered(v)}
            for m, v in sorted(months.items())
        ],
    }


def _ordered(counts: dict[str, int]) -> dict[str, int]:
    return {m: counts[m] for m in MEDIA if counts.get(m)}


def list_chart(
    figures: dict[str, Any],
    path: str | Path,
    *,
    title: str,
    label: Callable[[str], str] | None = None,
    ylabel: str = "entries added",
    size: str = "desktop",
) -> None:
    """Draw the additions per month, stacked by medium, to `path` (.svg or .png), in `size`
    (`CHART_SIZES`).

    `label` gives a medium's name in the chart's language (default: the code's words).
    """
    if size not in CHART_SIZES:
        raise ValueError(f"size {size!r}: one of {', '.join(CHART_SIZES)}")
    phone = size == "phone"
    import matplotlib

    matplotlib.use("Agg")  # headless: no display, same output everywhere
    # The same figures give the same bytes: SVG element ids from a fixed salt, no date.
    matplotlib.rcParams["svg.hashsalt"] = "khronika"
    import matplotlib.pyplot as plt

    months = [m["month"] for m in figures["added_by_month"]]
    fig, ax = plt.subplots(figsize=(4.4, 5.4) if phone else (10, 5.2), layout="constrained")
    bottom = [0] * len(months)
    colours = ["#2166ac", "#4393c3", "#92c5de", "#b2182b", "#762a83", "#4d9221", "#bababa"]
    for medium, colour in zip(MEDIA, colours, strict=True):
        values = [m["by_medium"].get(medium, 0) for m in figures["added_by_month"]]
        if not any(values):
            continue
        name = label(medium) if label else medium.replace("_", " ")
        ax.bar(months, values, bottom=bottom, color=colour, label=name)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel(ylabel, fontsize=11 if phone else None)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if phone:
        ax.tick_params(labelsize=11)
        ax.tick_params(axis="x", labelrotation=60)
        # Six month names fit under a phone's plot; the months between keep their bars.
        step = max(1, -(-len(months) // 6))
        ax.set_xticks(range(0, len(months), step), months[::step])
        fig.suptitle(textwrap.fill(title, 34), x=0.01, ha="left", fontsize=14, weight="bold")
        handles, labels = ax.get_legend_handles_labels()
        if months:
            ax.legend(handles, [textwrap.fill(t, 36) for t in labels], frameon=False,
                      loc="upper left", bbox_to_anchor=(-0.02, -0.2), ncols=1, fontsize=11)  # fmt: skip
    else:
        ax.tick_params(axis="x", labelrotation=60, labelsize=8)
        fig.suptitle(title, x=0.01, ha="left", fontsize=14, weight="bold")
        if months:
            ax.legend(frameon=False, loc="upper left", ncols=4, fontsize=9)
    fmt = Path(path).suffix.lstrip(".").lower() or "svg"
    fig.savefig(path, format=fmt, dpi=150, metadata={"Date": None} if fmt == "svg" else None)
    plt.close(fig)
