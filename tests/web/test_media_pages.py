"""State-media pages: public items only when nobody they name is hidden; the console sees all."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from khronika.accounts import create_user
from khronika.media import ItemIn, ingest_items, list_item_reports
from khronika.registry import RawRecord, write_versions
from khronika.storage import Database
from khronika.storage.rows import content_from_row
from khronika.storage.versions import current_version
from khronika.web.schemas import MediaItemAnswer
from khronika.web.views.media import segments
from tests.web.conftest import FORBIDDEN, load_fixture, make_client
from tests.web.test_console import PASSWORD, login

T = datetime(2025, 3, 1, 12, tzinfo=UTC)
PUBLIC_TEXT = (
    "Генпрокуратура начала специальное производство в отношении беглого Тараса Мельника. "
    "Комментарий дал эксперт."
)
HIDDEN_TEXT = "Спецпроизводство начато против беглой Restrictedname Qwxy."


def _ingest(db: Database) -> dict[str, dict[str, object]]:
    load_fixture(db)
    items = [
        ItemIn("<t>:1", PUBLIC_TEXT, url="https://belta.by/a", outlet="belta", title="About M"),
        ItemIn("<t>:2", HIDDEN_TEXT, url="https://belta.by/b", outlet="belta", title="About Q"),
    ]
    for i in items:
        ingest_items(db, [ItemIn(**{**i.__dict__, "published": "2025-02-28"})], now=T)
    return {str(r["url"]): r for r in list_item_reports(db)}


def _publish(db: Database, source_id: str) -> None:
    """What a team does on purpose: make an item's source public."""
    with db.connect() as conn:
        row = current_version(conn, "source", source_id)
    assert row is not None
    record = {**content_from_row("source", row), "visibility": "public"}
    write_versions(db, [RawRecord("<test>", record)], recorded_by="ed", now=T.replace(day=2))


def test_segments_cut_at_every_span_and_keep_overlaps() -> None:
    text = "abc def ghi"
    cut = segments(
        text,
        [{"tag": "t", "start": 0, "end": 7}],
        [{"start": 4, "end": 11, "person": "p"}],
    )
    assert [(s.text, s.tags, bool(s.mention)) for s in cut] == [
        ("abc ", ("t",), False),
        ("def", ("t",), True),
        (" ghi", (), True),
    ]
    assert "".join(s.text for s in cut) == text


def test_public_item_pages_show_only_published_items_naming_public_people(
    db: Database, tmp_path: Path
) -> None:
    reports = _ingest(db)
    public, hidden = reports["https://belta.by/a"], reports["https://belta.by/b"]
    assert [m["person"] for m in public["mentions"]] == ["p2"]
    assert {m["person"] or m["candidate"] for m in hidden["mentions"]} == {"r1"}
    c = make_client(db, tmp_path / "data")
    missing = c.get("/en/media/items/mi-nothing-here")
    assert missing.status_code == 404
    # Not published yet: answered exactly like a missing item (but for the path itself).
    before = c.get(f"/en/media/items/{public['item']}")
    assert before.status_code == 404
    assert before.text.replace(str(public["item"]), "ID") == missing.text.replace(
        "mi-nothing-here", "ID"
    )

    _publish(db, str(public["source"]))
    _publish(db, str(hidden["source"]))
    page = c.get(f"/en/media/items/{public['item']}")
    assert page.status_code == 200
    assert "Тараса Мельника" in page.text and 'href="/en/people/p2"' in page.text
    assert "<mark" in page.text
    data = c.get(f"/api/v1/media/items/{public['item']}").json()
    MediaItemAnswer.model_validate(data)  # the shape /openapi.json documents
    assert data["item"]["mentions"][0]["person"] == "p2"
    assert "candidate" not in data["item"]["mentions"][0]
    assert {n["tag"] for n in data["item"]["narratives"]} >= {"in_absentia", "fugitives"}
    # Its source is public too, but it names a restricted person: the whole item stays hidden.
    for path in (f"/en/media/items/{hidden['item']}", f"/api/v1/media/items/{hidden['item']}"):
        r = c.get(path)
        other = c.get(path.replace(str(hidden["item"]), "mi-x"))
        assert r.status_code == 404
        assert r.text.replace(str(hidden["item"]), "ID") == other.text.replace("mi-x", "ID")

    outlet = c.get("/en/media/outlets/belta.json").json()
    assert [i["item"] for i in outlet["items"]] == [public["item"]]
    assert outlet["narratives"]["in_absentia"] == 1
    outlets = {o["id"]: o for o in c.get("/api/v1/media/outlets").json()["outlets"]}
    assert outlets["belta"]["items"] == 1 and outlets["tass"]["items"] == 0
    # The outlets table counts public items (a dict's key, not its .items method).
    row = re.search(
        r'outlets/belta">BelTA</a></td>\s*<td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>',
        c.get("/en/media").text,
    )
    assert row is not None and row.group(1) == "1"
    assert c.get("/en/media/outlets/nowhere").status_code == 404
    for path in ("/en/media", "/en/media/outlets/belta", "/en/media/outlets/belta.json"):
        body = c.get(path).text
        assert "About Q" not in body and "Restrictedname" not in body
        assert not [s for s in FORBIDDEN if s in body]


def test_the_console_sees_every_item_and_a_persons_appearances(
    db: Database, tmp_path: Path
) -> None:
    reports = _ingest(db)
    hidden = reports["https://belta.by/b"]
    create_user(db, "anna", PASSWORD)
    c = make_client(db, tmp_path / "data")
    assert c.get("/en/console/media", follow_redirects=False).status_code == 303
    login(c, "anna", PASSWORD)
    listing = c.get("/en/console/media")
    assert listing.status_code == 200
    assert "About M" in listing.text and "About Q" in listing.text
    assert "2025-02" in listing.text  # the narratives-per-month table
    item = c.get(f"/en/console/media/items/{hidden['item']}")
    assert item.status_code == 200 and "Restrictedname Qwxy" in item.text
    assert c.get("/en/console/media/items/mi-none").status_code == 404
    person = c.get("/en/console/people/p2")
    assert "In state media" in person.text and "About M" in person.text


def test_the_narrative_timeline_is_drawn_from_every_item(db: Database, tmp_path: Path) -> None:
    c = make_client(db, tmp_path / "data")
    assert c.get("/en/media/narratives.svg").status_code == 404  # nothing to draw yet
    _ingest(db)
    c = make_client(db, tmp_path / "data2")
    r = c.get("/ru/media/narratives.svg")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert r.content.lstrip().startswith(b"<?xml") and b"<svg" in r.content
    assert 'src="/media/narratives.svg?lang=en"' in c.get("/en/media").text


def test_the_console_shows_the_states_totals_beside_the_registry(
    db: Database, tmp_path: Path
) -> None:
    _ingest(db)
    text = "Генпрокуратура сообщила: в отношении 365 беглых начато специальное производство."
    ingest_items(
        db,
        [ItemIn("<t>:3", text, url="https://belta.by/c", outlet="belta", published="2025-01-20")],
        now=T,
    )
    create_user(db, "anna", PASSWORD)
    c = make_client(db, tmp_path / "data")
    login(c, "anna", PASSWORD)
    page = c.get("/en/console/media").text
    row = page[page.index("In special proceedings") :].split("</tr>")[0]
    assert "365 <q>365 беглых</q>" in row and "2025-01-20" in row
    # The registry holds nobody in proceedings yet: the state's number is not added to it.
    assert row.rstrip().endswith("<td>0</td><td>—</td>")
    assert "Returned through the commission</td>\n<td>—</td>" in page
