"""Every public page answers, in HTML and as its JSON twin, on every engine."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

PAGES = [
    # (path, status, text that must be on the page)
    ("/", 200, "Алеся Вярбіцкая"),
    ("/en/", 200, "Real people. Real stories."),
    ("/people", 200, "Тарас Мельнік"),
    ("/people?status=in_custody", 200, "Алеся Вярбіцкая"),
    ("/people?q=мельнік", 200, "Тарас Мельнік"),
    ("/people/p1", 200, "Алеся Вярбіцкая"),
    ("/en/people/p1", 200, "Alesia Viarbitskaya"),
    ("/ru/people/p1", 200, "Олеся Вербицкая"),
    ("/people/p3", 200, "Ганна Кавалёва"),
    ("/en/figures", 200, "political prisoners"),
    ("/en/people/nobody", 404, "Not found"),
    ("/en/people/w1", 404, "Not found"),
    ("/en/people/r1", 404, "Not found"),
    ("/en/no/such/page", 404, "Not found"),
    ("/en/people?page=0", 400, "page"),
    ("/en/charts/nothing.svg", 404, "Not found"),
]


@pytest.mark.parametrize(("path", "status", "text"), PAGES)
def test_page(client: TestClient, path: str, status: int, text: str) -> None:
    r = client.get(path)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")
    assert text in r.text


JSON_TWINS = [
    # (page path, its .json twin, a key of the JSON)
    ("/", "/.json", "registry"),
    ("/people", "/people.json", "people"),
    ("/people?sex=f", "/people.json?sex=f", "people"),
    ("/people/p1", "/people/p1.json", "events"),
    ("/figures", "/figures.json", "available"),
]


@pytest.mark.parametrize(("path", "twin", "key"), JSON_TWINS)
def test_json_twin(client: TestClient, path: str, twin: str, key: str) -> None:
    by_suffix = client.get(twin)
    by_accept = client.get(path, headers={"accept": "application/json"})
    assert by_suffix.status_code == by_accept.status_code == 200
    assert by_suffix.headers["content-type"] == "application/json"
    assert by_suffix.json() == by_accept.json()
    assert by_suffix.json()["ok"] is True and key in by_suffix.json()


ERRORS = [
    ("/people/w1.json", 404),
    ("/people/nobody.json", 404),
    ("/people.json?page=0", 400),
    ("/people.json?status=jailed", 400),
    ("/api/v1/people/w1", 404),
    ("/api/v1/events/ew1", 404),
    ("/api/v1/sources/s-secret", 404),
    ("/api/v1/nothing", 404),
    ("/api/v1/people?size=100000", 400),
    ("/api/v1/search", 400),
    ("/api/v1/figures?by=nobody", 400),
    ("/api/v1/series?step=week", 400),
]


@pytest.mark.parametrize(("path", "status"), ERRORS)
def test_error_shape(client: TestClient, path: str, status: int) -> None:
    r = client.get(path)
    assert r.status_code == status
    body = r.json()
    assert set(body) == {"ok", "status", "error", "errors"}
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["errors"]


def test_person_page_shows_timeline_sources_and_letter(client: TestClient) -> None:
    data = client.get("/en/people/p1.json").json()
    assert data["name"] == "Alesia Viarbitskaya"
    assert [e["kind"] for e in data["events"]] == [
        "detained",
        "recognised",
        "convicted",
        "transferred",
    ]
    assert data["status"] == "in_custody"
    # Custody since 2021-05-01, to 2025-05-01 inclusive.
    assert data["days_in_custody"] == 1462
    assert data["letter"] == {
        "facility": "Colony No. 4 (synthetic)",
        "address": "Example street 1, Town 000000",
    }
    assert data["recognised_by"] == [{"id": "rights-a", "name": "Rights Group A (synthetic)"}]
    first = data["events"][0]
    assert first["sources"] == ["s-pub"]
    assert first["sources_detail"][0]["publisher"] == "Example News"
    assert "facility" not in first["details"]  # a non-public facility is left out
    html = client.get("/en/people/p1").text
    for text in ("Write a letter", "Example street 1", "Verdict reported", "Example News"):
        assert text in html


def test_released_and_died_have_no_letter(client: TestClient) -> None:
    for pid, status in (("p2", "released"), ("p3", "died"), ("p4", "other")):
        data = client.get(f"/people/{pid}.json").json()
        assert data["status"] == status
        assert data["letter"] is None


def test_synthetic_banner_on_every_page(client: TestClient) -> None:
    for path in ("/en/", "/en/people", "/en/people/p1", "/en/figures", "/en/no-such"):
        assert "Synthetic data" in client.get(path).text


def test_security_headers(client: TestClient) -> None:
    r = client.get("/people/p1")
    assert r.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'self'" in r.headers["content-security-policy"]


def test_pages_use_no_outside_assets(client: TestClient) -> None:
    html = client.get("/en/people/p1").text
    for tag in ('<script src="http', '<link rel="stylesheet" href="http', '<img src="http'):
        assert tag not in html
    assert client.get("/static/site.css").status_code == 200


@pytest.mark.parametrize("pid", ["p1", "p2", "p3", "p4", "w1", "r1", "nobody"])
@pytest.mark.parametrize("lang", ["be", "en"])
def test_person_page_same_from_catalogue_and_database(
    client: TestClient, pid: str, lang: str
) -> None:
    holder = client.app.state.catalogue  # type: ignore[attr-defined]
    holder.get()

    def fetch(current: bool) -> tuple[int, bytes]:
        holder.current = current
        holder.generation += 1  # a fresh page-cache key
        r = client.get(f"/{lang}/people/{pid}.json")
        return r.status_code, r.content

    try:
        assert fetch(True) == fetch(False)
    finally:
        holder.current = True
