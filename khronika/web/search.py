"""Finding public people by name: the one place the web app searches.

The name matcher (`khronika.names`) finds a person however the name is spelt (Latin,
Belarusian or Russian Cyrillic, inflected, a lone surname in any of them). Its index holds
the public catalogue's names only (`Catalogue.search_names`): a withheld person is never
found.
"""

from __future__ import annotations

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
    # A query typed into the search box is read like a mention: the reader vouches for the
    # context, so a lone surname ("kluklybko") may match a full name, and an inflected form
    # ("Клуклыбкі") finds its nominative. Any spelling `names compare` accepts is found.
    hits = cat.search_names(query, limit=200, mention=True)
    # A dict keeps the order found and answers "already found?" at once: a common surname's
    # fragment finds thousands of the 100k cards, and a list's `in` made that quadratic.
    seen: dict[str, None] = {}
    for h in hits:
        pid = str(h.key)
        if pid in cat.by_id:
            seen.setdefault(pid)
    # The matcher finds spellings; a plain substring (a fragment of a name) still counts.
    cards = cat.cards
    for i in cat.listing().containing(query.casefold().split()).tolist():
        seen.setdefault(cards[i].id)
    return list(seen)
