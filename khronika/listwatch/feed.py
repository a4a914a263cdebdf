"""Atom feeds of list changes, per list or for all lists.

One feed entry per snapshot after the first: who was added, removed or changed. Birth
dates and places are left out of feeds (they are published widely and identify people
beyond what a change alert needs); the snapshot and entry keys lead to the full record.
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from khronika.errors import NotFound
from khronika.listwatch.diff import Diff
from khronika.listwatch.reports import diff_snapshots
from khronika.storage import Database
from khronika.storage import lists as store

__all__ = ["PRIVATE_FIELDS", "render_feed"]

#: Fields whose values are never shown in a feed (only that they changed): birth dates and
#: places, and the free-text fields that carry them (OFAC remarks hold DOB/POB; the
#: foreign-agents register holds home addresses).
PRIVATE_FIELDS = frozenset({"birth_date", "place", "remarks", "address"})
_ATOM = "http://www.w3.org/2005/Atom"


def render_feed(db: Database, list_id: str | None = None, *, limit: int = 50) -> str:
    """Return an Atom document of the latest `limit` snapshot changes (all lists by default)."""
    with db.connect() as conn:
        lists = [store.get_list(conn, list_id)] if list_id else store.list_lists(conn)
        items: list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = []
        for wlist in lists:
            if wlist is None:
                raise NotFound(f"no list {list_id!r}")
            snaps = store.snapshots(conn, wlist["id"])
            items.extend((wlist, a, b) for a, b in zip(snaps, snaps[1:], strict=False))
    items.sort(key=lambda t: (t[2]["taken"], t[2]["imported"]), reverse=True)
    ET.register_namespace("", _ATOM)
    feed = ET.Element(f"{{{_ATOM}}}feed")
    _text(feed, "id", f"urn:khronika:lists:{list_id or 'all'}")
    _text(feed, "title", f"khronika: changes of {list_id or 'all official lists'}")
    _text(feed, "updated", items[0][2]["taken"] if items else "1970-01-01T00:00:00Z")
    for wlist, frm, to in items[:limit]:
        _, _, diff = diff_snapshots(db, wlist["id"], from_ref=frm["id"], to_ref=to["id"])
        entry = ET.SubElement(feed, f"{{{_ATOM}}}entry")
        _text(entry, "id", f"urn:khronika:lists:{wlist['id']}:{to['id']}")
        counts = diff.counts()
        _text(
            entry,
            "title",
            f"{wlist['title']}: +{counts['added']} −{counts['removed']} "
            f"~{counts['changed']} ({to['taken'][:10]})",
        )
        _text(entry, "updated", to["taken"])
        author = ET.SubElement(entry, f"{{{_ATOM}}}author")
        _text(author, "name", wlist["issuer"])
        content = _text(entry, "content", _summary(diff))
        content.set("type", "text")
    return ET.tostring(feed, encoding="unicode", xml_declaration=True)


def _summary(diff: Diff) -> str:
    lines = [f"+ {e.name} [{k}]" for k, e in diff.added]
    lines += [f"- {e.name} [{k}]" for k, e in diff.removed]
    for c in diff.changed:
        shown = {f: v for f, v in c.changes.items() if f not in PRIVATE_FIELDS}
        hidden = sorted(set(c.changes) & PRIVATE_FIELDS)
        parts = [f"{f}: {_show(o)} → {_show(n)}" for f, (o, n) in shown.items()]
        parts += [f"{f} changed" for f in hidden]
        lines.append(f"~ {c.new.name} [{c.key}]: " + "; ".join(parts))
    return "\n".join(lines) or "no changes"


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return "{" + "; ".join(value) + "}"
    return "∅" if value is None else str(value)


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{_ATOM}}}{tag}")
    el.text = text
    return el
