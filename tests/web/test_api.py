"""The JSON API: filters, pagination, search, the OpenAPI document, exports and the feed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import orjson
import pytest
from fastapi.testclient import TestClient

from khronika.interchange import export_records
from khronika.storage import Database
from khronika.web.routes import ROUTES

FILTERS = [
    # (query, ids expected, in any order)
    ("", {"p1", "p2", "p3", "p4"}),
    ("status=in_custody", {"p1"}),
    ("status=released", {"p2"}),
    ("status=died", {"p3"}),
    ("sex=f", {"p1", "p3"}),
    ("sex=m", {"p2", "p4"}),
    ("region=BY-HM", {"p1", "p4"}),
    ("region=BY-VI", set()),  # only the withheld person lives there
    ("article=361-1", {"p1", "p4"}),
    ("article=293", {"p2"}),
    ("year=2020", {"p2"}),
    ("year=2021", {"p1"}),
    ("year=2023", set()),  # only the withheld and restricted people were detained then
    ("sex=f&status=died", {"p3"}),
    ("q=вярбіцкая", {"p1"}),
    ("q=Вербицкая", {"p1"}),
    ("q=viarbitskaya", {"p1"}),
    ("q=мельнік тарас", {"p2"}),
    ("q=melnik&status=released", {"p2"}),
    ("q=nobody", set()),
]


@pytest.mark.parametrize(("query", "ids"), FILTERS)
def test_people_filters(client: TestClient, query: str, ids: set[str]) -> None:
    api = client.get(f"/api/v1/people?{query}").json()
    page = client.get(f"/people.json?{query}").json()
    assert {p["id"] for p in api["items"]} == ids
    assert {p["id"] for p in page["people"]} == ids
    assert api["total"] == page["total"] == len(ids)


def test_pagination(client: TestClient) -> None:
    first = client.get("/api/v1/people?size=3").json()
    assert first["total"] == 4 and first["pages"] == 2 and len(first["items"]) == 3
    second = client.get(first["next"]).json()
    assert len(second["items"]) == 1 and "next" not in second
    ids = [p["id"] for p in first["items"] + second["items"]]
    assert sorted(ids) == ["p1", "p2", "p3", "p4"]


def test_events_and_sources(client: TestClient) -> None:
    events = client.get("/api/v1/events?size=200").json()["items"]
    assert {e["person"] for e in events} == {"p1", "p2", "p3", "p4"}
    recorded = [e["recorded"] for e in events]
    assert recorded == sorted(recorded, reverse=True)
    assert client.get("/api/v1/events?person=p2").json()["total"] == 4
    assert client.get("/api/v1/events/e1").json()["event"]["sources"] == ["s-pub"]
    # Only the detail keys the kind declares public: the place, not the informant's note.
    assert client.get("/api/v1/events/e13").json()["event"]["details"] == {"facility": "col-4"}
    sources = client.get("/api/v1/sources").json()["items"]
    assert [s["id"] for s in sources] == ["s-pub", "s-pub2"]
    assert client.get("/api/v1/sources/s-pub").json()["source"]["publisher"] == "Example News"


def test_openapi_lists_every_api_route(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    documented = set(doc["paths"])
    api_paths = {r.path for r in ROUTES if r.path.startswith("/api/")}
    assert api_paths <= documented
    assert "/feed.atom" in documented and "/exports/khronika-public.ndjson" in documented
    assert not any(p.startswith("/console") for p in documented)


def test_ndjson_export_is_the_public_export(client: TestClient, web_db: Database) -> None:
    body = client.get("/exports/khronika-public.ndjson").content
    expected = b"".join(orjson.dumps(r) + b"\n" for r in export_records(web_db, scope="public"))
    assert body == expected
    assert b'"synthetic":true' in body.splitlines()[0]


def test_feed_is_atom_with_public_events(client: TestClient) -> None:
    r = client.get("/feed.atom?lang=en")
    assert r.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert titles[0] == "Ганна Кавалёва: Died (2025-03)"  # newest recorded first
    # Every current public event: none of w1, r1, the retracted e4, the restricted ehid1 or
    # e8 (known only from a restricted source).
    assert len(titles) == 12


def test_figures_count_withheld_people_and_suppress_small_cells(client: TestClient) -> None:
    f = client.get("/api/v1/figures?as_of=2025-05-01").json()
    # p1 (public) and w1 (withheld) are recognised and in custody: both count.
    assert f["political_prisoners"] == 2
    # Two women: a cell below 3 is never shown as a number.
    assert f["by_sex"]["f"] is None
    assert all(v is None or v == 0 or v >= 3 for v in f["by_region"].values())
    home = client.get("/.json").json()
    assert home["figures"]["political_prisoners"] == 2
    assert "Withheldname" not in client.get("/en/figures").text


def test_flows_and_series_are_suppressed(client: TestClient) -> None:
    flows = client.get("/api/v1/flows?from=2024-01-01&to=2024-12-31").json()
    assert flows["ok"] is True and flows["from"] == "2024-01-01"
    series = client.get("/api/v1/series?from=2021-01-01&to=2021-12-31&step=quarter").json()
    points = series["points"]
    assert len(points) == 4

    def counts(value: object) -> list[object]:
        if isinstance(value, dict):
            return [c for v in value.values() for c in counts(v)]
        return [value]

    for p in [flows, *points]:
        for key in ("recognised", "released", "died", "convicted_in_absentia"):
            assert all(
                c is None or c == 0 or c >= 3 for c in counts(p.get(key)) if not isinstance(c, str)
            )


@pytest.mark.parametrize("name", ["prisoners", "flows"])
def test_charts_are_svg(client: TestClient, name: str) -> None:
    r = client.get(f"/en/charts/{name}.svg")
    assert r.status_code == 200 and r.headers["content-type"] == "image/svg+xml"
    assert b"<svg" in r.content[:2000]


def test_openapi_describes_every_documented_response(client: TestClient) -> None:
    from khronika.web.schemas import RESPONSES

    documented = [r for r in ROUTES if r.documented]
    assert {r.name for r in documented} == set(RESPONSES)
    doc = client.get("/openapi.json").json()
    for r in documented:
        [op] = doc["paths"][r.path].values()
        ok = op["responses"]["200"]
        assert ok["content"], r.path
        if r.path.startswith("/api/"):
            assert "$ref" in ok["content"]["application/json"]["schema"], r.path


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("api_meta", "/api/v1/meta"),
        ("api_people", "/api/v1/people?size=2"),
        ("api_person", "/api/v1/people/p1"),
        ("api_search", "/api/v1/search?q=Verbitskaya"),
        ("api_events", "/api/v1/events?size=3"),
        ("api_event", "/api/v1/events/e1"),
        ("api_sources", "/api/v1/sources"),
        ("api_source", "/api/v1/sources/s-pub"),
        ("api_figures", "/api/v1/figures"),
        ("api_flows", "/api/v1/flows"),
        ("api_series", "/api/v1/series?from=2024-01-01&to=2024-03-31"),
        ("api_media_outlets", "/api/v1/media/outlets"),
    ],
)
def test_answers_match_their_documented_models(client: TestClient, name: str, path: str) -> None:
    from khronika.web.schemas import RESPONSES

    r = client.get(path)
    assert r.status_code == 200, r.text
    RESPONSES[name][200]["model"].model_validate(r.json())


def test_errors_match_the_error_model(client: TestClient) -> None:
    from khronika.web.schemas import ApiError

    r = client.get("/api/v1/people/w1")
    assert r.status_code == 404
    ApiError.model_validate(r.json())
