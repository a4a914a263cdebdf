"""Disinformation cases in the EUvsDisinfo style: a claim, where it ran, and counts of them.

A case has a date, a title (the claim), optional summary and response, and `+`-joined lists
of countries, keywords, languages and outlets in the source CSV
(`date,id,title,countries,keywords,languages,outlets`). Outlet names are normalised: the
scraped lists carry noise (`Show more`, empty names, stray spaces), which is dropped.
Import is all or nothing: a bad row rejects the file with every row's line and reason.
A case links to the state-media items that carry its claim (`link_items`); importing the
case again keeps the links.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from khronika.errors import ImportRejected, InvalidValue, NotFound
from khronika.model.dates import now_timestamp, storage_timestamp
from khronika.storage import Database
from khronika.storage import media as store

__all__ = [
    "CASE_FIELDS",
    "case_counts",
    "import_cases",
    "link_items",
    "normalise_outlet",
    "read_cases_csv",
]

CASE_FIELDS = ("date", "id", "title", "countries", "keywords", "languages", "outlets")
_NOISE = {"show more", "show less", "read more", ""}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BY = ("outlet", "keyword", "country", "language", "month")


def normalise_outlet(name: str) -> str | None:
    """Return an outlet's name cleaned of spaces, or None when it is scraping noise."""
    clean = " ".join(name.split())
    return None if clean.lower() in _NOISE else clean


def _split(value: str | None) -> list[str]:
    return [p for p in (" ".join(x.split()) for x in (value or "").split("+")) if p]


def read_cases_csv(path: Path) -> list[dict[str, Any]]:
    """Read a cases CSV.

    Raises:
        ImportRejected: a missing column, or rows without id/title or with a bad date
            (every one listed as FILE:LINE: field: reason).
    """
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in CASE_FIELDS if c not in (reader.fieldnames or ())]
        if missing:
            raise ImportRejected([f"{path}:1: {missing[0]}: missing column"])
        cases, problems = [], []
        for n, row in enumerate(reader, 2):
            where = f"{path}:{n}"
            if not (row["id"] or "").strip():
                problems.append(f"{where}: id: a case needs an id")
                continue
            if not (row["title"] or "").strip():
                problems.append(f"{where}: title: a case needs a title")
                continue
            date = (row["date"] or "").strip() or None
            if date is not None and not _DATE.match(date):
                problems.append(f"{where}: date: {date!r} is not YYYY-MM-DD")
                continue
            outlets = [
                o for o in (normalise_outlet(x) for x in (row["outlets"] or "").split("+")) if o
            ]
            cases.append(
                {
                    "id": row["id"].strip(),
                    "date": date,
                    "title": row["title"].strip(),
                    "countries": _split(row["countries"]),
                    "keywords": _split(row["keywords"]),
                    "languages": _split(row["languages"]),
                    "outlets": list(dict.fromkeys(outlets)),
                    "items": [],
                }
            )
    if problems:
        raise ImportRejected(problems)
    return cases


def import_cases(db: Database, cases: list[dict[str, Any]]) -> int:
    """Store cases in one transaction (a case imported again is replaced); return how many."""
    ids = [c["id"] for c in cases]
    if len(ids) != len(set(ids)):
        dup = next(i for i, n in Counter(ids).items() if n > 1)
        raise InvalidValue(f"case {dup!r} appears twice in the file")
    when = storage_timestamp(now_timestamp())
    with db.begin() as conn:
        store.put_cases(conn, [{**c, "imported": when} for c in cases])
    return len(cases)


def link_items(
    db: Database, case_id: str, item_refs: Iterable[str], *, unlink: bool = False
) -> list[str]:
    """Link items (khronika or external ids) to a case, or unlink them; return its items.

    Raises:
        NotFound: no such case, or an item that is not current (nothing is changed then).
    """
    with db.begin() as conn:
        case = next((c for c in store.list_cases(conn) if c["id"] == case_id), None)
        if case is None:
            raise NotFound(f"no case {case_id!r} (khronika media cases import)")
        wanted = set()
        for ref in item_refs:
            item = store.current_item(conn, ref) or next(
                (i for i in store.list_items(conn) if i["external_id"] == ref), None
            )
            if item is None:
                raise NotFound(f"no media item {ref!r}")
            wanted.add(item["id"])
        items = set(case["items"]) - wanted if unlink else set(case["items"]) | wanted
        store.set_case_items(conn, case_id, sorted(items))
    return sorted(items)


def case_counts(
    cases: Iterable[Mapping[str, Any]], *, by: str, country: str | None = None
) -> list[tuple[str, int]]:
    """Count cases by outlet, keyword, country, language or month, most first.

    A case counts once per distinct value it carries. `country` keeps only the cases about it.
    """
    if by not in _BY:
        raise InvalidValue(f"by {by!r}: one of {', '.join(_BY)}")
    field = {
        "outlet": "outlets",
        "keyword": "keywords",
        "country": "countries",
        "language": "languages",
    }
    counts: Counter[str] = Counter()
    for c in cases:
        if country is not None and country not in c["countries"]:
            continue
        if by == "month":
            if c["date"]:
                counts[c["date"][:7]] += 1
        else:
            counts.update(set(c[field[by]]))
    if by == "month":
        return sorted(counts.items())
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
