"""Finding public people by name: the one place the web app searches.

The name matcher (`khronika.names`) finds a person however the name is spelt (Latin,
Belarusian or Russian Cyrillic, inflected). Its index holds the public catalogue's names
only: a withheld person is never found.
"""

from __future__ import annotations

from khronika.names import Index
from khronika.storage import Database
from khronika.web.catalogue import Catalogue

__all__ = ["find_people"]


def find_people(db: Database, cat: Catalogue, query: str) -> list[str]:
    """Return ids of public people matching `query`, best first."""
    query = query.strip()
    if not query:
        return []
    return _with_matcher(cat, query)


def _with_matcher(cat: Catalogue, query: str) -> list[str]:
    """Search with the name matcher's index of the public names."""
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
