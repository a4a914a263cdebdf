"""Dedupe finds planted duplicates in a small synthetic registry, once, and skips judged pairs."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from khronika.names.pairs import STANDIN_THRESHOLD, standin_score
from khronika.registry.dedupe import Person, find_duplicates, propose_duplicates, token_pair_keys
from khronika.review import judge, list_queue
from khronika.storage import Database

from .helpers import T, add_people, person

SURNAMES = [
    "Выдумкин",
    "Придумович",
    "Небыльский",
    "Сочинёнок",
    "Мнимов",
    "Вымыслов",
    "Небывалый",
    "Нетутов",
    "Кажимиров",
    "Грезин",
]
GIVEN = ["Янка", "Тарас", "Алесь", "Змитер", "Сымон", "Ничипор", "Пятрусь", "Лявон"]
PATRONYMICS = ["Петрович", "Сымонович", "Иванович", "Миколаевич"]


def registry(n: int, seed: int = 7) -> list[Person]:
    """n distinct invented men (unique name + birth date), ids p0000…"""
    rng = random.Random(seed)
    seen: set[tuple[str, str]] = set()
    people: list[Person] = []
    while len(people) < n:
        name = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)} {rng.choice(PATRONYMICS)}"
        born = f"{rng.randint(1950, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if (name, born) not in seen:
            seen.add((name, born))
            people.append(Person(f"p{len(people):04d}", (name,), born))
    return people


PLANTED = [
    # a spelling of p0003 … (other order, ё, no patronymic, case), its birth date
    ("order", lambda s: " ".join(reversed(s.split())), True),
    ("case", lambda s: s.upper(), True),
    ("no patronymic", lambda s: " ".join(s.split()[:2]), True),
    ("partial birth date", lambda s: s, "year"),
]


@pytest.mark.parametrize(("label", "spell", "born"), PLANTED, ids=[p[0] for p in PLANTED])
def test_planted_duplicate_is_found(label: str, spell, born) -> None:  # type: ignore[no-untyped-def]
    people = registry(300)
    target = people[3]
    date = target.birth_date if born is True else target.birth_date[:4]
    dup = Person("zz-dup", (spell(target.names[0]),), date)
    if born == "year":  # only the year in common: the case has to say the rest
        case = frozenset({("convicted", "2021-03-04")})
        people[3] = replace(target, region="BY-HM", events=case)
        dup = replace(dup, region="BY-HM", events=case)
    people.append(dup)
    found = find_duplicates(people, scorer=standin_score, threshold=STANDIN_THRESHOLD)
    assert ("p0003", "zz-dup") in {(p.a, p.b) for p in found}, label
    best = next(p for p in found if p.b == "zz-dup")
    assert best.explanation["scorer"] == "standin" and best.context["b_name"]


def test_a_namesake_with_only_the_year_in_common_is_kept_apart() -> None:
    people = registry(300)
    target = people[3]
    people.append(Person("zz-dup", target.names, target.birth_date[:4], region="BY-HM"))
    assert find_duplicates(people, scorer=standin_score, threshold=STANDIN_THRESHOLD) == []


def test_no_false_duplicates_and_blocking() -> None:
    people = registry(300)
    assert find_duplicates(people, scorer=standin_score, threshold=STANDIN_THRESHOLD) == []
    assert token_pair_keys("Выдумкин Янка Петрович") == {
        "ВЫДУМКИН ЯНКА",
        "ВЫДУМКИН ПЕТРОВИЧ",
        "ПЕТРОВИЧ ЯНКА",
    }


def test_propose_duplicates_is_idempotent_and_skips_judged(db: Database) -> None:
    add_people(
        db,
        person("p1", "Выдумкина Алеся Петровна", born="1990-03-12", sex="f"),
        person("p2", "ВЫДУМКИНА АЛЕСЯ", born="1990-03-12", sex="f"),
        person("p3", "Придумович Янка", born="1985-11-01", sex="m"),
        person("p4", "Янка Придумович", born="1985-11-01", sex="m"),
        person("p5", "Небыльский Тарас", born="1979-07-30", sex="m"),
    )
    first = propose_duplicates(db, now=T(2))
    assert (first.people, first.new) == (5, 2)
    assert {(c["a"], c["b"]) for c in list_queue(db)} == {("p1", "p2"), ("p3", "p4")}
    ids = {(c["a"], c["b"]): c["id"] for c in list_queue(db)}
    judge(db, ids[("p3", "p4")], "negative", reason="father and son", now=T(3))
    again = propose_duplicates(db, now=T(4))
    assert (again.new, again.pairs_scored) == (0, 0)
    assert [(c["a"], c["b"]) for c in list_queue(db)] == [("p1", "p2")]
