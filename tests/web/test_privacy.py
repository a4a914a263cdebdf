"""Nothing restricted or withheld reaches a public page, JSON, API, feed, export or search.

A crawler follows every link of the public site (in every language, HTML and JSON twins)
from a list of entry points and checks each answer for the fixture's forbidden strings;
withheld people still count in the totals.
"""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from khronika.privacy import Audience, PublicContext, redact
from khronika.registry import add_record, get_person
from khronika.storage import Database
from khronika.web.catalogue import CatalogueHolder
from tests.web.conftest import FIXTURE, FORBIDDEN, load_fixture, make_client

ENTRY = [
    "/",
    "/people",
    "/figures",
    "/feed.atom",
    "/feed.atom?lang=ru",
    "/openapi.json",
    "/api/v1/meta",
    "/api/v1/people?size=200",
    "/api/v1/events?size=200",
    "/api/v1/sources?size=200",
    "/exports/khronika-public.ndjson",
    # Searches that would find the hidden people if search leaked them.
    "/people?q=withheldname",
    "/people?q=утоенае",
    "/people?q=restrictedname",
    "/people?q=zzyzx",
    "/api/v1/search?q=withheldname",
    "/api/v1/search?q=утоенае",
    "/api/v1/people?q=restrictedname",
    "/people?region=BY-VI",
    "/people?region=BY-MA",
    "/api/v1/events?person=w1",
    "/api/v1/events?person=r1",
]
_HREF = re.compile(r'(?:href|src)="([^"#]+)"')


def crawl(client: TestClient) -> dict[str, str]:
    """Fetch every same-site URL reachable from ENTRY (plus each page's JSON twin)."""
    seen: dict[str, str] = {}
    todo = [p for lang in ("", "/ru", "/en") for p in (lang + e for e in ENTRY)]
    while todo:
        url = todo.pop()
        if url in seen or len(seen) > 2000:
            continue
        r = client.get(url)
        seen[url] = r.text
        if "html" not in r.headers.get("content-type", ""):
            continue
        for href in _HREF.findall(r.text):
            target = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc and parts.netloc != "testserver":
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path.startswith("/console") or parts.path.count(".json") > 1:
                continue  # an error page's JSON link of a JSON URL: nothing new
            todo.append(path)
            if (
                not path.startswith(("/static", "/exports", "/api", "/feed", "/openapi", "/charts"))
                and ".json" not in parts.path
            ):
                twin = parts.path.rstrip("/") + ".json" + (f"?{parts.query}" if parts.query else "")
                todo.append(twin)
    return seen


def test_crawl_finds_nothing_private(client: TestClient) -> None:
    pages = crawl(client)
    assert len(pages) > 40  # the crawl reached the people, their twins and the API
    assert any("/people/p1" in u for u in pages)
    leaks = [(url, word) for url, text in pages.items() for word in FORBIDDEN if word in text]
    assert leaks == []


def test_csv_export_has_nothing_private(client: TestClient) -> None:
    r = client.get("/exports/khronika-public-csv.zip")
    assert r.status_code == 200
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        text = "".join(z.read(n).decode() for n in z.namelist())
    assert "Алеся Вярбіцкая" in text
    assert [w for w in FORBIDDEN if w in text] == []


@pytest.mark.parametrize(
    "path",
    [
        "/people/w1",
        "/people/r1",
        "/people/w1/photo",
        "/api/v1/people/w1",
        "/api/v1/events/ew1",
        "/api/v1/events/ehid1",
        "/api/v1/events/e8",
    ],
)
def test_hidden_records_are_not_found_like_strangers(client: TestClient, path: str) -> None:
    hidden_id = path.removesuffix("/photo").rsplit("/", 1)[1]
    hidden = client.get(path)
    stranger = client.get(path.replace(hidden_id, "zz9"))
    assert hidden.status_code == stranger.status_code == 404
    assert hidden.text.replace(hidden_id, "zz9") == stranger.text


_PUB = {"p-pub"}
# (case, event, public sources, public facilities, what the public sees: None or details)
TIER_CASES = [
    ("by rule, a public source", {"sources": ["s-pub"]}, {"s-pub"}, set(), {}),
    ("by rule, only restricted sources", {"sources": ["s-x"]}, {"s-pub"}, set(), None),
    ("by rule, no source at all", {"sources": []}, {"s-pub"}, set(), None),
    (
        "explicit public, restricted source",
        {"sources": ["s-x"], "visibility": "public"},
        set(),
        set(),
        {},
    ),
    (
        "explicit restricted",
        {"sources": ["s-pub"], "visibility": "restricted"},
        {"s-pub"},
        set(),
        None,
    ),
    ("explicit withheld", {"sources": ["s-pub"], "visibility": "withheld"}, {"s-pub"}, set(), None),
    ("of a hidden person", {"person": "p-hid", "visibility": "public"}, set(), set(), None),
    (
        "free-form detail key",
        {"sources": ["s-pub"], "details": {"facility": "f1", "informant_note": "x"}},
        {"s-pub"},
        {"f1"},
        {"facility": "f1"},
    ),
    (
        "declared key, facility not public",
        {"sources": ["s-pub"], "details": {"facility": "f2"}},
        {"s-pub"},
        {"f1"},
        {},
    ),
]


@pytest.mark.parametrize(("case", "event", "sources", "facilities", "seen"), TIER_CASES)
def test_event_tier_and_public_details(
    case: str, event: dict[str, object], sources: set[str], facilities: set[str], seen: object
) -> None:
    record = {"type": "event", "id": "e", "person": "p-pub", "kind": "transferred", **event}
    ctx = PublicContext(persons=set(_PUB), sources=sources, facilities=facilities)
    out = redact("event", record, Audience.PUBLIC, ctx)
    assert (out if out is None else out["details"]) == seen, case
    assert redact("event", record, Audience.TEAM, None) == record  # the team sees everything


@pytest.mark.parametrize(
    ("kind", "details", "public"),
    [
        (
            "convicted",
            {"articles": ["342"], "court": "c", "lawyer_phone": "x"},
            {"articles", "court"},
        ),
        ("released", {"basis": "pardon", "who_paid": "x"}, {"basis"}),
        ("died", {"cause": "x"}, set()),
        ("designated", {"list": "l", "entry": "n", "tip": "x"}, {"list", "entry"}),
    ],
)
def test_only_declared_detail_keys_are_public(
    kind: str, details: dict[str, object], public: set[str]
) -> None:
    record = {"type": "event", "id": "e", "person": "p-pub", "kind": kind, "details": details}
    ctx = PublicContext(persons=set(_PUB), sources=set(), facilities=set())
    out = redact("event", {**record, "visibility": "public"}, Audience.PUBLIC, ctx)
    assert out is not None and set(out["details"]) == public


def test_withheld_people_count_in_totals(client: TestClient) -> None:
    home = client.get("/.json").json()
    assert home["registry"] == {"people": 6, "named": 4, "counted_not_named": 2}
    meta = client.get("/api/v1/meta").json()
    assert meta["people"] == {"total": 6, "named": 4}
    assert meta["synthetic"] is True
    assert client.get("/api/v1/people").json()["total"] == 4


def test_retracted_event_is_not_shown(client: TestClient) -> None:
    kinds = [e["kind"] for e in client.get("/people/p1.json").json()["events"]]
    assert "released" not in kinds


@pytest.mark.parametrize("q", ["withheldname", "утоенае імязззз", "restrictedname", "zzyzx"])
def test_search_never_finds_hidden_people(client: TestClient, q: str) -> None:
    assert client.get("/api/v1/search", params={"q": q}).json()["total"] == 0
    assert client.get("/people.json", params={"q": q}).json()["total"] == 0


def test_withholding_takes_effect_before_the_rebuild(db: Database) -> None:
    load_fixture(db)
    holder = CatalogueHolder(db, refresh=0, background=True)
    assert "p2" in holder.get().by_id
    person = get_person(db, "p2").person
    hidden = {k: v for k, v in person.items() if k not in ("recorded", "recorded_by")}
    add_record(db, {**hidden, "visibility": "withheld"})
    add_record(db, {**client_source("s-pub2"), "visibility": "restricted"})
    cat = holder.get()  # the stale catalogue, patched at once
    assert "p2" not in cat.by_id and all(e["person"] != "p2" for e in cat.events)
    assert "s-pub2" not in cat.sources
    assert all("s-pub2" not in e.get("sources", ()) for e in cat.events)
    while holder._building:  # let the background rebuild finish before the database goes
        time.sleep(0.01)


def test_restricting_an_event_takes_effect_before_the_rebuild(db: Database) -> None:
    load_fixture(db)
    holder = CatalogueHolder(db, refresh=0, background=True)
    cat = holder.get()
    assert {"e5", "e7"} <= {e["id"] for e in cat.events}
    assert cat.by_id["p2"].custody.status == "released"
    e7 = {k: v for k, v in get_person(db, "p2").events[-1].items() if k not in ("recorded",)}
    assert e7["id"] == "e7"
    add_record(db, {**e7, "visibility": "restricted"})  # the release, hidden
    s_pub = next(r for r in fixture_records() if r.get("id") == "s-pub")
    add_record(db, {**s_pub, "visibility": "restricted"})  # e5's only source
    cat = holder.get()  # the stale catalogue, patched at once
    shown = {e["id"] for e in cat.events}
    assert "e7" not in shown and "e5" not in shown and "e6" not in shown
    assert cat.events_by_person.get("p2", []) == []  # e13 cited s-pub too
    # The card no longer says what only the hidden events said.
    assert cat.by_id["p2"].custody.status != "released"
    while holder._building:
        time.sleep(0.01)
    rebuilt = CatalogueHolder(db, refresh=0, background=False).get()
    assert {e["id"] for e in rebuilt.events} == shown


#: Every public figure: its count of a group must not move when one person's tier does.
FIGURES = (
    "/api/v1/figures?as_of=2025-05-01",
    "/api/v1/figures?as_of=2025-05-01&known_on=2025-05-01",
    "/api/v1/flows?from=2020-01-01&to=2025-05-01",
    "/api/v1/series?from=2020-01-01&to=2025-03-31&step=quarter",
)


def public_figures(client: TestClient) -> dict[str, Any]:
    """Every public count of a group of people (the figures, the registry's total)."""
    home = client.get("/.json").json()
    out: dict[str, Any] = {url: client.get(url).json() for url in FIGURES}
    out["home figures"] = home["figures"]
    out["registry people"] = home["registry"]["people"]
    out["meta people"] = client.get("/api/v1/meta").json()["people"]["total"]
    return out


def test_no_public_figure_moves_with_one_persons_tier(db: Database, tmp_path: Any) -> None:
    # Figures count everyone whatever their tier; only the named list (and its length)
    # follows the tier, and that names nobody the gallery does not already name.
    load_fixture(db)
    client = make_client(db, tmp_path)
    before = public_figures(client)
    assert before["/api/v1/figures?as_of=2025-05-01"]["political_prisoners"] == 2
    person = {k: v for k, v in get_person(db, "p1").person.items() if k != "recorded"}
    for tier in ("withheld", "restricted", "public"):
        add_record(db, {**person, "visibility": tier})
        assert public_figures(client) == before, tier
    withheld = {k: v for k, v in get_person(db, "w1").person.items() if k != "recorded"}
    add_record(db, {**withheld, "visibility": "public"})
    assert public_figures(client) == before
    event = {k: v for k, v in get_person(db, "p2").events[-1].items() if k != "recorded"}
    add_record(db, {**event, "visibility": "restricted"})  # p2's release, hidden
    assert public_figures(client) == before
    named = client.get("/.json").json()["registry"]["named"]
    assert named == 5  # w1 is named now: the list moved, the figures did not


def fixture_records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line]


def client_source(sid: str) -> dict[str, object]:
    return {
        "type": "source",
        "id": sid,
        "url": "https://example.org/news/2",
        "title": "Released at last",
        "publisher": "Example Daily",
        "published": "2024-07-05",
    }
