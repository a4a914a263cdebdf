"""Which public cards a gallery query selects, and in which order, without a pass over them all.

At 100k people a pass over every card costs 50–150 ms of pure Python per request, and a
worker renders one page at a time (`offload.one_at_a_time`): under 32 readers the gallery
answered in seconds. A `Listing` is built once per catalogue (so it holds that catalogue's
public cards only, and a person withheld since is gone with the catalogue that named them):
each filter's values as one array of codes, the cards' order in each language, and their
names in one text, so a query is a few array operations and a page turns into `Card`s
only for the cards it shows (`Selection`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, overload

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # the catalogue holds its listing: a plain import would be a cycle
    from khronika.web.catalogue import Card

__all__ = ["Listing", "Positions", "Selection"]

Positions = npt.NDArray[np.int64]

#: The filters read from each card: the gallery's `status`, `sex`, `region` and `year`.
_FACETS: dict[str, Callable[[Card], Hashable]] = {
    "status": lambda c: c.custody.status,
    "sex": lambda c: c.person.get("sex"),
    "region": lambda c: c.person.get("region"),
    "year": lambda c: c.custody.detention_year,
}


class Selection(Sequence["Card"]):
    """The cards a query selected, in order; only those asked for are looked up."""

    def __init__(self, cards: list[Card], positions: Positions) -> None:
        self._cards = cards
        self._positions = positions

    def __len__(self) -> int:
        return len(self._positions)

    @overload
    def __getitem__(self, k: int) -> Card: ...

    @overload
    def __getitem__(self, k: slice) -> list[Card]: ...

    def __getitem__(self, k: int | slice) -> Card | list[Card]:
        if isinstance(k, slice):
            return [self._cards[i] for i in self._positions[k].tolist()]
        return self._cards[int(self._positions[k])]


class Listing:
    """The gallery's filters, orders and name text over one catalogue's cards."""

    def __init__(self, cards: list[Card]) -> None:
        self._cards = cards
        self._index = {c.id: i for i, c in enumerate(cards)}
        self._codes: dict[str, dict[Hashable, int]] = {}
        self._columns: dict[str, npt.NDArray[np.int32]] = {}
        for facet, read in _FACETS.items():
            codes: dict[Hashable, int] = {}
            self._columns[facet] = np.fromiter(
                (codes.setdefault(read(c), len(codes)) for c in cards),
                dtype=np.int32,
                count=len(cards),
            )
            self._codes[facet] = codes
        self._articles: dict[str, list[int]] = {}
        for i, c in enumerate(cards):
            for a in c.custody.articles:
                self._articles.setdefault(a, []).append(i)
        self._orders: dict[str, Positions] = {}
        self._text: tuple[str, Positions] | None = None

    def order(self, lang: str, name: Callable[[Card], str]) -> Positions:
        """The cards' positions in alphabetical order of `name(card)` (the name shown in
        `lang`), ties by id: computed once per language."""
        if lang not in self._orders:
            cards = self._cards
            keyed = sorted(range(len(cards)), key=lambda i: (name(cards[i]), cards[i].id))
            self._orders[lang] = np.array(keyed, dtype=np.int64)
        return self._orders[lang]

    def of_ids(self, ids: Iterable[str]) -> Positions:
        """The positions of the cards of `ids`, in the order given (every id must be here)."""
        return np.fromiter((self._index[i] for i in ids), dtype=np.int64)

    def select(
        self,
        positions: Positions,
        *,
        status: str | None = None,
        sex: str | None = None,
        region: str | None = None,
        article: str | None = None,
        year: int | None = None,
    ) -> Selection:
        """The cards at `positions` (in that order) that pass every filter given (a filter
        that is None or empty lets every card pass)."""
        wanted = {"status": status, "sex": sex, "region": region, "year": year}
        mask: npt.NDArray[np.bool_] | None = None
        for facet, value in wanted.items():
            if value:
                code = self._codes[facet].get(value, -1)
                m = self._columns[facet] == code
                mask = m if mask is None else mask & m
        if article:
            m = np.zeros(len(self._cards), dtype=np.bool_)
            m[self._articles.get(article, [])] = True
            mask = m if mask is None else mask & m
        if mask is not None:
            positions = positions[mask[positions]]
        return Selection(self._cards, positions)

    def containing(self, words: Sequence[str]) -> Positions:
        """The positions, in catalogue order, of the cards whose names contain every word
        of `words` (casefolded, no whitespace in a word), as `w in card.search_text`."""
        if self._text is None:
            texts = [c.search_text for c in self._cards]
            # One text, the cards' names joined by a newline: a word has no whitespace, so
            # no match runs across two cards, as none runs across two names of one card.
            starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]], dtype=np.int64)
            self._text = ("\n".join(texts), starts)
        text, starts = self._text
        longest = max(words, key=len)
        found = []
        at = text.find(longest)
        while at != -1:
            found.append(at)
            at = text.find(longest, at + 1)
        if not found:
            return np.zeros(0, dtype=np.int64)
        hits = np.unique(np.searchsorted(starts, np.array(found), side="right") - 1)
        rest = [w for w in words if w != longest]
        if rest:
            cards = self._cards
            keep = [i for i in hits.tolist() if all(w in cards[i].search_text for w in rest)]
            hits = np.array(keep, dtype=np.int64)
        return hits
