"""Every SQL statement of the media area: outlets, item versions, mentions, narratives.

Functions take an open Connection so the caller decides the unit of work. Item versions are
inserted and retracted, never overwritten; findings are inserted with their version. The
only UPDATEs: an outlet replaced by id, a version's `retracted`, a mention's link, and a
URL's fetch state replaced by URL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson
from sqlalchemy import Connection, delete, func, insert, select, update

from khronika.storage.schema.media import (
    media_case,
    media_fetch_state,
    media_item,
    media_mention,
    media_narrative,
    media_outlet,
)
from khronika.storage.versions import known_on_clause

__all__ = [
    "count_items",
    "list_cases",
    "put_cases",
    "current_item",
    "fetch_states",
    "insert_findings",
    "insert_item",
    "item_by_sha256",
    "item_findings",
    "items_tagged",
    "list_items",
    "list_outlets",
    "set_case_items",
    "mention_by_ref",
    "mentions",
    "put_fetch_states",
    "put_outlets",
    "retract_item",
    "set_mention_link",
]

_JSON_OUTLET = ("domains", "feeds", "collections")


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def put_outlets(conn: Connection, outlets: Sequence[Mapping[str, Any]]) -> None:
    """Add outlets, replacing those with the same id (outlets are settings, not evidence)."""
    if not outlets:
        return
    ids = [o["id"] for o in outlets]
    conn.execute(delete(media_outlet).where(media_outlet.c.id.in_(ids)))
    conn.execute(
        insert(media_outlet),
        [
            {
                **o,
                **{k: _dumps(list(o.get(k) or ())) for k in _JSON_OUTLET},
                "selectors": _dumps(dict(o["selectors"])) if o.get("selectors") else None,
            }
            for o in outlets
        ],
    )


def list_outlets(conn: Connection) -> list[dict[str, Any]]:
    """Return every outlet, by id (`selectors` is {} when the outlet declares none)."""
    rows = conn.execute(select(media_outlet).order_by(media_outlet.c.id)).mappings()
    return [
        {
            str(k): (orjson.loads(v) if k in _JSON_OUTLET else v)
            for k, v in r.items()
            if k != "selectors"
        }
        | {"selectors": orjson.loads(r["selectors"]) if r["selectors"] else {}}
        for r in rows
    ]


def _item(row: Any) -> dict[str, Any]:
    out = {str(k): v for k, v in row._mapping.items()}
    out["langs"] = orjson.loads(out["langs"])
    return out


def current_item(conn: Connection, item_id: str) -> dict[str, Any] | None:
    """Return the current version of an item, or None."""
    t = media_item
    row = conn.execute(select(t).where(t.c.id == item_id, known_on_clause(t, None))).first()
    return _item(row) if row is not None else None


def item_by_sha256(conn: Connection, sha256: str) -> dict[str, Any] | None:
    """Return a current item version with this content hash, or None."""
    t = media_item
    row = conn.execute(
        select(t).where(t.c.sha256 == sha256, known_on_clause(t, None)).order_by(t.c.pk).limit(1)
    ).first()
    return _item(row) if row is not None else None


def insert_item(conn: Connection, row: Mapping[str, Any]) -> int:
    """Insert an item version; return its pk."""
    values = dict(row)
    values["langs"] = _dumps(values.get("langs") or [])
    result = conn.execute(insert(media_item).values(**values).returning(media_item.c.pk))
    return int(result.scalar_one())


def retract_item(conn: Connection, pk: int, when: str) -> None:
    """Mark an item version as replaced at `when`."""
    t = media_item
    conn.execute(update(t).where(t.c.pk == pk, t.c.retracted.is_(None)).values(retracted=when))


def insert_findings(
    conn: Connection,
    item_pk: int,
    mention_rows: Sequence[Mapping[str, Any]],
    narrative_rows: Sequence[Mapping[str, Any]],
) -> None:
    """Store what the analysis found in one item version."""
    if mention_rows:
        conn.execute(insert(media_mention), [{**r, "item_pk": item_pk} for r in mention_rows])
    if narrative_rows:
        conn.execute(insert(media_narrative), [{**r, "item_pk": item_pk} for r in narrative_rows])


def list_items(
    conn: Connection, known_on: str | None = None, *, outlet: str | None = None
) -> list[dict[str, Any]]:
    """Return the item versions known on `known_on` (None: current), by id; of one outlet."""
    t = media_item
    stmt = select(t).where(known_on_clause(t, known_on))
    if outlet is not None:
        stmt = stmt.where(t.c.outlet == outlet)
    return [_item(r) for r in conn.execute(stmt.order_by(t.c.id))]


def items_tagged(
    conn: Connection, tags: Sequence[str], known_on: str | None = None
) -> list[dict[str, Any]]:
    """Return the item versions known on `known_on` that carry any of these narratives, each
    with its `tags` (the narratives it carries among those asked), by id."""
    t, n = media_item, media_narrative
    rows = conn.execute(
        select(t, n.c.tag)
        .join(n, n.c.item_pk == t.c.pk)
        .where(known_on_clause(t, known_on), n.c.tag.in_(list(tags)))
        .order_by(t.c.id, t.c.pk)
    )
    out: dict[int, dict[str, Any]] = {}
    for r in rows:
        pk = r._mapping["pk"]
        if pk not in out:
            out[pk] = _item(r) | {"tags": []}
            del out[pk]["tag"]
        if r._mapping["tag"] not in out[pk]["tags"]:
            out[pk]["tags"].append(r._mapping["tag"])
    return list(out.values())


def item_findings(
    conn: Connection, item_pks: Iterable[int]
) -> tuple[dict[int, list[dict[str, Any]]], dict[int, list[dict[str, Any]]]]:
    """Return (mentions, narratives) of these item versions, by item pk, in text order."""
    pks = list(item_pks)
    mentions_by: dict[int, list[dict[str, Any]]] = {pk: [] for pk in pks}
    narratives_by: dict[int, list[dict[str, Any]]] = {pk: [] for pk in pks}
    for i in range(0, len(pks), 500):
        chunk = pks[i : i + 500]
        m, n = media_mention, media_narrative
        for r in conn.execute(
            select(m).where(m.c.item_pk.in_(chunk)).order_by(m.c.item_pk, m.c.start)
        ).mappings():
            mentions_by[r["item_pk"]].append({str(k): v for k, v in r.items()})
        for r in conn.execute(
            select(n).where(n.c.item_pk.in_(chunk)).order_by(n.c.item_pk, n.c.start, n.c.tag)
        ).mappings():
            narratives_by[r["item_pk"]].append({str(k): v for k, v in r.items()})
    return mentions_by, narratives_by


def mentions(conn: Connection, *, person: str | None = None) -> list[dict[str, Any]]:
    """Return the mentions in current item versions (of one person, when given), with the item."""
    m, t = media_mention, media_item
    stmt = (
        select(m, t.c.id.label("item"), t.c.outlet, t.c.published, t.c.title, t.c.url)
        .join(t, t.c.pk == m.c.item_pk)
        .where(known_on_clause(t, None))
        .order_by(t.c.published, t.c.id, m.c.start)
    )
    if person is not None:
        stmt = stmt.where(m.c.person == person)
    return [{str(k): v for k, v in r.items()} for r in conn.execute(stmt).mappings()]


def mention_by_ref(conn: Connection, item_id: str, start: int, end: int) -> dict[str, Any] | None:
    """Return the mention at these offsets of the item's current version, with the item."""
    m, t = media_mention, media_item
    row = (
        conn.execute(
            select(m, t.c.id.label("item"), t.c.source, t.c.published, t.c.recorded, t.c.title)
            .join(t, t.c.pk == m.c.item_pk)
            .where(t.c.id == item_id, known_on_clause(t, None), m.c.start == start, m.c.end == end)
        )
        .mappings()
        .first()
    )
    return {str(k): v for k, v in row.items()} if row is not None else None


def set_mention_link(conn: Connection, pk: int, *, person: str | None, link: str) -> None:
    """Set a mention's linked person and how it was linked (a reviewer's decision)."""
    conn.execute(
        update(media_mention).where(media_mention.c.pk == pk).values(person=person, link=link)
    )


def count_items(conn: Connection) -> int:
    """Return how many items are current."""
    t = media_item
    return int(
        conn.execute(
            select(func.count()).select_from(t).where(known_on_clause(t, None))
        ).scalar_one()
    )


_JSON_CASE = ("countries", "keywords", "languages", "outlets", "items")


def put_cases(conn: Connection, cases: Sequence[Mapping[str, Any]]) -> None:
    """Add cases, replacing those with the same id (the items linked to them stay linked)."""
    ids = [c["id"] for c in cases]
    linked: dict[str, list[str]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        stmt = select(media_case.c.id, media_case.c["items"]).where(media_case.c.id.in_(chunk))
        linked.update({cid: orjson.loads(items) for cid, items in conn.execute(stmt)})
        conn.execute(delete(media_case).where(media_case.c.id.in_(chunk)))
    cases = [
        {**c, "items": sorted({*(c.get("items") or ()), *linked.get(c["id"], ())})} for c in cases
    ]
    for i in range(0, len(cases), 5_000):
        conn.execute(
            insert(media_case),
            [
                {**c, **{k: _dumps(list(c.get(k) or ())) for k in _JSON_CASE}}
                for c in cases[i : i + 5_000]
            ],
        )


def set_case_items(conn: Connection, case_id: str, items: Sequence[str]) -> bool:
    """Set the items linked to a case; return False when there is no such case."""
    result = conn.execute(
        update(media_case).where(media_case.c.id == case_id).values(items=_dumps(list(items)))
    )
    return bool(result.rowcount)


def list_cases(conn: Connection) -> list[dict[str, Any]]:
    """Return every case, by date then id."""
    rows = conn.execute(select(media_case).order_by(media_case.c.date, media_case.c.id)).mappings()
    return [
        {str(k): (orjson.loads(v) if k in _JSON_CASE else v) for k, v in r.items()} for r in rows
    ]


def fetch_states(conn: Connection, urls: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Return the last fetch state of these URLs (those asked before), by URL."""
    t = media_fetch_state
    wanted = sorted(set(urls))
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(wanted), 500):
        stmt = select(t).where(t.c.url.in_(wanted[i : i + 500]))
        out.update(
            {r["url"]: {str(k): v for k, v in r.items()} for r in conn.execute(stmt).mappings()}
        )
    return out


def put_fetch_states(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Record how fetching each URL went, replacing its earlier state (one row per URL).

    A row has `url`, `fetched` and `outcome`, and optionally `etag`, `last_modified`,
    `status` and `reason`.
    """
    t = media_fetch_state
    latest = {r["url"]: r for r in rows}  # a URL asked twice in one run: its last answer
    cols = ("url", "etag", "last_modified", "fetched", "status", "outcome", "reason")
    values = [{c: r.get(c) for c in cols} for r in latest.values()]
    for i in range(0, len(values), 500):
        chunk = values[i : i + 500]
        conn.execute(delete(t).where(t.c.url.in_([r["url"] for r in chunk])))
        conn.execute(insert(t), chunk)
