"""Figures on a day: political prisoners (by sex, region, article) and everyone in custody."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from khronika.stats.maintain import ensure_spans
from khronika.stats.periods import known_on_stored, parse_day
from khronika.stats.recognisers import resolve_recogniser
from khronika.storage import Database
from khronika.storage.stats import count_stock, daily_stock, daily_stock_known, stock_breakdown

__all__ = ["figures"]

SEXES = ("f", "m", "unknown")
#: The time of day of a K given as a date (its end, UTC), in stored form.
END_OF_DAY = "T23:59:59.999999Z"


def figures(
    db: Database,
    as_of: str | date,
    *,
    known_on: str | None = None,
    by: str | None = None,
    retroactive: bool = False,
) -> dict[str, Any]:
    """Return the stock figures on day `as_of`, as known on `known_on` (docs/figures.md).

    Args:
        db: the database.
        as_of: the day D (`YYYY-MM-DD`).
        known_on: K, a date (its end, UTC) or a timestamp; None: what is known now.
        by: the recognising organisation R; None: KHRONIKA_DEFAULT_RECOGNISER, else the
            only recogniser (see `resolve_recogniser`).
        retroactive: decide recognition by R's last recognition event known on K, whatever
            its date ("in custody on D and recognised by R, as far as we know on K").

    Returns:
        `{"as_of", "known_on", "by", "retroactive", "political_prisoners", "by_sex",
        "by_region", "by_article", "in_custody_total"}`; every key of `by_sex` is present,
        missing regions and articles are `"unknown"`.
    """
    day = parse_day(as_of, "as_of")
    k = known_on_stored(known_on)
    org = resolve_recogniser(db, by)
    ensure_spans(db)
    with db.connect() as conn:
        groups = stock_breakdown(conn, org, day, k, retroactive=retroactive)
        if k is None:
            in_custody = daily_stock(conn, "custody", "", day)
        elif k.endswith(END_OF_DAY):
            in_custody = daily_stock_known(conn, "custody", "", day, k[:10])
        else:  # a K within a day: the totals are per day, so count the spans
            in_custody = count_stock(conn, "custody", "", day, k)
    by_sex: Counter[str] = Counter({s: 0 for s in SEXES})
    by_region: Counter[str] = Counter()
    by_article: Counter[str] = Counter()
    for sex, region, articles, n in groups:
        by_sex[sex if sex in SEXES else "unknown"] += n
        by_region[region or "unknown"] += n
        # One case per prisoner; a person counts once per article of it.
        for article in set(articles.split("|")) if articles else {"unknown"}:
            by_article[article] += n
    return {
        "as_of": day,
        "known_on": known_on,
        "by": org,
        "retroactive": retroactive,
        "political_prisoners": sum(by_sex.values()),
        "by_sex": dict(by_sex),
        "by_region": dict(sorted(by_region.items())),
        "by_article": dict(sorted(by_article.items())),
        "in_custody_total": in_custody,
    }
