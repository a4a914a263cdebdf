"""The screening index: blocking finds the right candidates; scores rank them."""

from __future__ import annotations

import pytest

from khronika.names.index import Index, _entry_blocks, _query_blocks
from khronika.names.scoring import prepare

PEOPLE = [
    (1, "Ганна Кандыбовіч", "1990-03"),
    (2, "Галіна Кандыбовіч", None),
    (3, "Сяргей Кандыбоўскі", "1985"),
    (4, "Святлана Кандыбоўская", "1987"),
    (5, "Цімошчанка Зміцер Рыгоравіч", None),
    (6, "Дмитрий Тимофеенко", None),
    (7, "Кандыбовіч Ганна", "1961"),
    (8, "С. Гарбузов", None),
    (9, "Мікалаенка Ганна", None),
]


@pytest.fixture()
def index() -> Index:
    idx = Index()
    idx.extend(PEOPLE)
    return idx


@pytest.mark.parametrize(
    ("query", "mention", "keys"),
    [
        ("Анна Кандыбович", False, [1, 7]),
        ("Hanna Kandybovich", False, [1, 7]),
        ("Анны Кандыбович", True, [1, 7]),
        ("Sergei Kandybovsky", False, [3]),
        ("Дмитрий Тимощенко", False, [5]),
        ("Сергей Гарбузов", False, [8]),
        ("Кандыбовіч", False, [1, 2, 7]),  # a lone surname matches everyone with it
        ("Ганна Мазік", False, []),
        ("Anna Nikolaenko", False, [9]),  # surname from a given name: another skeleton
    ],
)
def test_search(index: Index, query: str, mention: bool, keys: list[int]) -> None:
    assert sorted(h.key for h in index.search(query, mention=mention)) == keys


def test_birth_date_ranks_and_explains(index: Index) -> None:
    hits = index.search("Анна Кандыбович", birth_date="1990-03-14")
    assert [h.key for h in hits] == [1]  # 7 was born in 1961: no longer a match
    assert hits[0].explanation["birth_date"]["rule"] == "compatible"
    hits = index.search("Анна Кандыбович", birth_date="1990-03-14", min_score=0.5)
    assert [h.key for h in hits] == [1, 7]
    assert hits[1].explanation["birth_date"]["rule"] == "different" and not hits[1].match


def test_explain_off_and_limit(index: Index) -> None:
    hits = index.search("Кандыбовіч", limit=2, explain=False)
    assert len(hits) == 2 and all(h.explanation == {} for h in hits)


def test_min_score_returns_near_misses(index: Index) -> None:
    assert index.search("Святлана Кандыбоўскі") == []
    hits = index.search("Святлана Кандыбоўскі", min_score=0.3)
    assert [h.key for h in hits] == [4]  # shares the blocking key, scored low
    assert not hits[0].match and hits[0].explanation["parts"][0]["rule"] == "different"


def test_query_blocks_meet_entry_blocks() -> None:
    entry = _entry_blocks(prepare("Ганна Кандыбовіч"))
    assert _query_blocks(prepare("Hanna Kandybovich")) & entry
    assert _query_blocks(prepare("Г. Кандыбович")) & entry
    assert not _query_blocks(prepare("Ганна Мазік")) & entry


def test_len(index: Index) -> None:
    assert len(index) == len(PEOPLE)
