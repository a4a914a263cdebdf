"""The gallery's listing selects exactly what a pass over every card selects, in the same order."""

from __future__ import annotations

import random

from khronika.web.catalogue import Card
from khronika.web.custody import Custody
from khronika.web.listing import Listing

SURNAMES = ["Выдумка", "Vydumka", "Прыдумкіна", "Lozhkina", "Небылица", "Іванюк"]
STATUSES = ["in_custody", "released", "died", "other"]
REGIONS = ["BY-MI", "BY-HM", "BY-BR", None]
ARTICLES = ["342", "361-1", "369", "130"]


def _cards(n: int, seed: int) -> list[Card]:
    """`n` invented cards with every filter's values, some missing, mixed at random."""
    rng = random.Random(seed)
    cards = []
    for k in range(n):
        name = f"{rng.choice(SURNAMES)} {k % 7}"
        person = {"id": f"p{k:04d}", "names": [{"name": name}], "sex": rng.choice(["f", "m"])}
        if region := rng.choice(REGIONS):
            person["region"] = region
        custody = Custody(
            status=rng.choice(STATUSES),
            articles=rng.sample(ARTICLES, rng.randint(0, 2)),
            detention_year=rng.choice([None, 2020, 2021, 2024]),
        )
        display = {"en": name, "ru": name[::-1]}
        cards.append(Card(person, custody, name.casefold(), display))
    return cards


def _naive(cards: list[Card], f: dict[str, object]) -> list[Card]:
    """What the gallery did before: one pass over every card."""
    return [
        c
        for c in cards
        if (not f["status"] or c.custody.status == f["status"])
        and (not f["sex"] or c.person.get("sex") == f["sex"])
        and (not f["region"] or c.person.get("region") == f["region"])
        and (not f["article"] or f["article"] in c.custody.articles)
        and (not f["year"] or c.custody.detention_year == f["year"])
    ]


def test_every_filter_combination_selects_what_a_pass_selects_in_order() -> None:
    cards = _cards(600, seed=3)
    listing = Listing(cards)
    rng = random.Random(5)
    for lang in ("en", "ru"):
        order = sorted(cards, key=lambda c: (c.display[lang].casefold(), c.id))
        positions = listing.order(lang, lambda c, lang=lang: c.display[lang].casefold())
        assert [cards[i] for i in positions.tolist()] == order
        for _ in range(200):
            f = {
                "status": rng.choice([None, "", *STATUSES, "nowhere"]),
                "sex": rng.choice([None, "f", "m"]),
                "region": rng.choice([None, "BY-MI", "BY-VI"]),
                "article": rng.choice([None, "342", "361-1", "999"]),
                "year": rng.choice([None, 2020, 2024, 1999]),
            }
            got = listing.select(positions, **f)  # type: ignore[arg-type]
            want = _naive(order, f)
            assert len(got) == len(want)
            assert got[:] == want
            if want:
                assert got[0] is want[0] and got[len(want) - 1] is want[-1]
                assert got[2:5] == want[2:5]


def test_ids_keep_their_order_and_filters_apply_to_them() -> None:
    cards = _cards(50, seed=8)
    listing = Listing(cards)
    ids = [c.id for c in reversed(cards)][::3]
    sex = {c.id: c.person["sex"] for c in cards}
    got = listing.select(listing.of_ids(ids), sex="f")
    assert [c.id for c in got[:]] == [i for i in ids if sex[i] == "f"]


def test_containing_is_a_substring_test_of_every_word_and_never_runs_across_cards() -> None:
    cards = _cards(300, seed=11)
    listing = Listing(cards)
    for words in (["выдумка"], ["vyd"], ["ка", "3"], ["іванюк", "6"], ["zzz"], ["a", "4"]):
        want = [i for i, c in enumerate(cards) if all(w in c.search_text for w in words)]
        assert listing.containing(words).tolist() == want
    # The end of one card's names and the start of the next's never make a match together.
    tail_head = cards[0].search_text[-1] + cards[1].search_text[0]
    want = [i for i, c in enumerate(cards) if tail_head in c.search_text]
    assert listing.containing([tail_head]).tolist() == want
