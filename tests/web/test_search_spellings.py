"""Search finds a person by every spelling the name matcher accepts (issue 13).

One synthetic public person, recorded as Ганна Клуклыбка / Анна Клуклыбко / Hanna Kluklybka,
and two neighbours who must not be found in her place. Every spelling in `FOUND` is first
checked with `khronika.names.compare` (the matcher accepts it), then searched for: what the
matcher accepts, search finds, including the Russian form in Latin letters ("kluklybko").
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from khronika.names import compare
from khronika.storage import Database
from tests.conftest import ENGINES, drop_database, make_database
from tests.web.conftest import load_fixture, make_client

RECORDS = [
    {"type": "meta", "dataset": "search spellings (synthetic)", "synthetic": True},
    {
        "type": "person",
        "id": "k1",
        "names": [
            {"name": "Ганна Клуклыбка", "lang": "be", "primary": True},
            {"name": "Анна Клуклыбко", "lang": "ru"},
            {"name": "Hanna Kluklybka", "lang": "be-Latn", "system": "passport"},
        ],
        "sex": "f",
        "birth_date": "1991",
        "visibility": "public",
    },
    {
        "type": "person",
        "id": "k2",
        "names": [{"name": "Андрэй Клуклевіч", "lang": "be", "primary": True}],
        "sex": "m",
        "visibility": "public",
    },
    {
        "type": "person",
        "id": "k3",
        "names": [{"name": "Ганна Клукевіч", "lang": "be", "primary": True}],
        "sex": "f",
        "visibility": "public",
    },
]

#: Spellings of k1: Belarusian, Russian, Latin of each, capitals, order, one-letter slips
#: (35; the browser test in test_phone_browser.py types each into the site's search box).
FOUND = [
    "Kluklybka",
    "kluklybka",
    "Клуклыбка",
    "Клуклыбко",
    "kluklybko",
    "Kluklybko",
    "kluklibko",
    "kluklibka",
    "KLUKLYBKO",
    "КЛУКЛЫБКА",
    "Kłukłybka",
    "Ганна Клуклыбка",
    "Анна Клуклыбко",
    "Hanna Kluklybka",
    "Anna Kluklybko",
    "anna kluklybko",
    "Kluklybko Anna",
    "КЛУКЛЫБКО Анна",
    "Клуклыбко Анна Ивановна",
    "Hanna Kłukłybka",
    "Ганна Клуклыбко",
    "Анна Клуклыбка",  # Russian first name, Belarusian surname
    "Клуклыбка Ганна",
    "Kluklybka Hanna",
    "Kluklybka, Hanna",  # a list's "surname, name"
    "Kluklybka H.",
    "Hanna Kluklybko",
    "Anna Kluklybka",
    "Ganna Kluklybka",  # Ганна transliterated the Russian way
    "Ханна Клуклыбка",  # Hanna written back in Cyrillic
    "Kljuklybka",  # "лю" heard for "лу"
    "Клуклибко",  # и for ы
    "Ганна Клуклибка",
    "Anna Kluklibko",
    "Klukllybka",  # a doubled letter
]

#: (query, id that must not be among the results)
NOT_FOUND = [
    ("Андрэй Клуклыбка", "k1"),  # a man of the same surname
    ("Hanna Kluklybka", "k3"),  # a woman with another surname
    ("kluklybko", "k2"),
    ("Kluklevich", "k1"),
]


@pytest.fixture(scope="module", params=ENGINES)
def search_client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """A client over a database holding only the three synthetic people."""
    tmp = tmp_path_factory.mktemp("search")
    database: Database
    database, _ = make_database(str(request.param), tmp)
    path = tmp / "people.ndjson"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS) + "\n", "utf-8")
    load_fixture(database, Path(path))
    with make_client(database, tmp / "data") as client:
        yield client
    drop_database(database)


def _ids(client: TestClient, q: str) -> list[str]:
    body = client.get("/api/v1/search", params={"q": q, "size": 50}).json()
    return [item["id"] for item in body["items"]]


@pytest.mark.parametrize("spelling", FOUND)
def test_every_accepted_spelling_is_found(search_client: TestClient, spelling: str) -> None:
    assert compare(spelling, "Клуклыбка").match or compare(spelling, "Ганна Клуклыбка").match
    assert "k1" in _ids(search_client, spelling)


@pytest.mark.parametrize(("query", "absent"), NOT_FOUND)
def test_neighbours_are_not_found(search_client: TestClient, query: str, absent: str) -> None:
    assert absent not in _ids(search_client, query)


def test_gallery_search_uses_the_same_matcher(search_client: TestClient) -> None:
    page = search_client.get("/people", params={"q": "kluklybko"})
    assert page.status_code == 200
    assert "Клуклыбка" in page.text or "Kluklybka" in page.text
