"""Finding public people by name: the one place the web app searches.

The name matcher (`khronika.names`) finds a person however the name is spelt (Latin,
Belarusian or Russian Cyrillic, inflected); until it is installed, the registry's plain
substring search is used (every word must occur in some stored spelling). Either way
only people in the public catalogue are returned: a withheld person is never found.
"""

from __future__ import annotations

from typing import Any

from khronika.registry import search_people
from khronika.storage import Database
from khronika.web.catalogue import Catalogue

__all__ = ["find_people", "matcher_available"]


def matcher_available() -> bool:
    """True when the name matcher is installed (cross-script search)."""
    try:
        import khronika.names  # noqa: F401
    except ImportError:
        return False
    return True


def find_people(db: Database, cat: Catalogue, query: str) -> list[str]:
    """Return ids of public people matching `query`, best first."""
    query = query.strip()
    if not query:
        return []
    matched = _with_matcher(cat, query)
    if matched is not None:
        return matched
    total = max(sum(cat.counts.values()), 1)
    rows: list[dict[str, Any]] = search_people(db, query, limit=total)
    # Filtered through the catalogue, which holds public people only.
    return [r["id"] for r in rows if r["id"] in cat.by_id]


def _with_matcher(cat: Catalogue, query: str) -> list[str] | None:
    """Search with the name matcher's index of the public names; None when not installed."""
    try:
        from khronika.names import Index
    except ImportError:
        return None
    index = getattr(cat, "_name_index", None)
    if index is None:
        index = Index()
        for card in cat.cards:
            for n in card.person["names"]:
                index.add(card.id, n["name"], card.person.get("birth_date"))
        cat._name_index = index  # type: ignore[attr-defined]
    hits = index.search(query, limit=200, explain=False)
    seen: list[str] = []
    for h in hits:
        pid = str(h.key)
        if pid in cat.by_id and pid not in seen:
            seen.append(pid)
    # The matcher finds spellings; a plain substring (a fragment of a name) still counts.
    words = query.casefold().split()
    for card in cat.cards:
        if card.id not in seen and all(w in card.search_text for w in words):
            seen.append(card.id)
    return seen
