"""A few synthetic state-media items for the demo, naming demo people (labelled synthetic).

The texts follow the campaign's register (special proceedings, the return commission and
its totals, 'так называемые змагары') with invented outlets' URLs under example.org; the people named
are demo people, so the mentions link and the review queue has something to decide.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from khronika.media import IngestReport, ItemIn, ingest_items, list_item_reports
from khronika.registry import RawRecord, write_versions
from khronika.storage import Database
from khronika.storage import lists as list_store
from khronika.storage.reads import current_rows, public_ids
from khronika.storage.rows import content_from_row

__all__ = ["build_demo_media"]

#: When the demo "retrieved" its items: a fixed time after the data's horizon, as the
#: registry part reads no clock either, so that the same seed gives the same database.
RETRIEVED = datetime(2026, 1, 2, 12, 0, tzinfo=UTC)

_TEMPLATES = (
    (
        "belta",
        "СИНТЕТИЧЕСКИЙ ТЕКСТ. Генеральная прокуратура начала специальное производство в "
        "отношении {a}. По данным следствия, {a_lone} находится за рубежом и продолжает "
        "экстремистскую деятельность.",
    ),
    (
        "ont",
        "СИНТЕТИЧЕСКИЙ ТЕКСТ. Ведущий программы заявил, что так называемые змагары боятся "
        "вернуться домой. Комиссия по вопросам возвращения рассмотрела обращение, которое "
        "подал {a}. С начала её работы в комиссию поступило около {applied} обращений, на "
        "родину вернулись более {returned} человек.",
    ),
    (
        "sb",
        "СИНТЕТИЧЕСКИЙ ТЕКСТ. Суд принял решение заочно. {a} и {b} названы беглыми; "
        "на имущество родственников наложен арест.",
    ),
    (
        "zviazda",
        "СІНТЭТЫЧНЫ ТЭКСТ. Так званыя змагары, сярод іх {a_be}, працягваюць экстрэмісцкую "
        "дзейнасць за мяжой.",
    ),
)


def _names(person: dict[str, Any]) -> tuple[str, str, str]:
    """(Russian full name without patronymic, its surname, the Belarusian full name)."""
    by_lang = {n["lang"]: n["name"] for n in person["names"]}
    ru = by_lang.get("ru") or person["names"][0]["name"]
    be = by_lang.get("be") or ru
    ru_words, be_words = ru.split(), be.split()
    return f"{ru_words[0]} {ru_words[-1]}", ru_words[-1], f"{be_words[0]} {be_words[-1]}"


def build_demo_media(db: Database, *, people: int = 8) -> IngestReport:
    """Ingest a few synthetic items naming the first demo people; return the report."""
    with db.connect() as conn:
        chosen = list_store.registry_people(conn)[:people]
    items = []
    for i, (outlet, template) in enumerate(_TEMPLATES * (len(chosen) // len(_TEMPLATES) + 1)):
        if i >= len(chosen) - 1:
            break
        a, a_lone, a_be = _names(chosen[i])
        b, _, _ = _names(chosen[i + 1])
        # The officials' totals grow from item to item, as the state's do.
        applied, returned = 200 + 20 * i, 80 + 10 * i
        text = template.format(
            a=a, a_lone=a_lone, a_be=a_be, b=b, applied=applied, returned=returned
        )
        items.append(
            ItemIn(
                where=f"demo-media:{i + 1}",
                text=text,
                external_id=f"demo-{i + 1}",
                url=f"https://example.org/synthetic/{outlet}/{i + 1}",
                outlet=outlet,
                published=f"2025-01-{10 + i:02d}",
                title=f"SYNTHETIC demo item {i + 1}",
            )
        )
    report = ingest_items(db, items, by="demo", now=RETRIEVED)
    # A minute later: a version must be recorded after the one it supersedes.
    _publish_items_naming_public_people(db, RETRIEVED + timedelta(minutes=1))
    return report


def _publish_items_naming_public_people(db: Database, now: datetime) -> None:
    """Make public the demo items that name public people only (what a team decides per
    item, done here so that the demo site shows item pages; every other item stays
    restricted, as ingest leaves it)."""
    reports = list_item_reports(db)
    with db.connect() as conn:
        public = public_ids(conn, "person")
        safe = [
            r["source"]
            for r in reports
            if all(p in public for m in r["mentions"] for p in (m["person"], m["candidate"]) if p)
        ]
        rows = current_rows(conn, "source", safe)
    records = [
        RawRecord("<demo publish>", {**content_from_row("source", r), "visibility": "public"})
        for r in rows
    ]
    if records:
        write_versions(db, records, recorded_by="demo", now=now)
