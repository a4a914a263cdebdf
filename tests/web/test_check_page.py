"""`/check`: answers from the official lists, in three languages, and keeps no trace.

The trace test posts a unique query and then looks for it everywhere khronika could have
put it: every log record of every logger, every file under the data directory and the
database's folder, every text cell of every table, the page cache.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import String, Text, select

from khronika.registry import add_record
from khronika.storage import Database
from khronika.storage.schema import metadata
from tests.listwatch.test_check import mininform, persons
from tests.web.conftest import make_client


def test_the_form_works_without_javascript(db: Database, tmp_path: Path) -> None:
    mininform(db, tmp_path / "data")
    c = make_client(db, tmp_path / "data")
    form = c.get("/en/check")
    assert form.status_code == 200 and 'method="post"' in form.text
    assert "<script" not in form.text
    assert "Mininform: republican list of extremist materials" in form.text
    assert form.headers["cache-control"] == "no-store"
    r = c.post("/en/check", data={"q": "@vymysel_news\nnothing.example"})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert "Новости Выдумска" in r.text and "2025-10-01" in r.text and "2022-04-25" in r.text
    assert "A court declared this material extremist" in r.text
    assert "Not found on any list" in r.text
    assert "set-cookie" not in r.headers


@pytest.mark.parametrize(
    ("lang", "words"),
    [("be", "Не знойдзена"), ("ru", "Не найдено"), ("en", "Not found")],
)
def test_three_languages(db: Database, tmp_path: Path, lang: str, words: str) -> None:
    c = make_client(db, tmp_path / "data")
    assert words in c.post(f"/{lang}/check", data={"q": "nothing.example"}).text


def test_json_twin_and_the_registry_is_never_searched(db: Database, tmp_path: Path) -> None:
    persons(db, tmp_path / "data")
    name = {"name": "Рыгор Невядомы", "lang": "be", "primary": True}
    add_record(db, {"type": "person", "id": "p1", "names": [name], "visibility": "public"})
    c = make_client(db, tmp_path / "data")
    r = c.post("/check.json", data={"q": "Vydumkin Ales\nРыгор Невядомы"})
    answers = r.json()["answers"]
    assert [a["query"] for a in answers] == ["Vydumkin Ales", "Рыгор Невядомы"]
    assert answers[0]["hits"][0]["list"] == "by-mvd" and answers[0]["hits"][0]["match"] == "name"
    assert answers[1]["hits"] == []


def test_the_indexes_are_built_before_the_first_request(db: Database, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from khronika.web.app import create_app

    mininform(db, tmp_path / "data")
    app = create_app(db, data_dir=tmp_path / "data", refresh=0, background=False)
    assert app.state.check_index._index is None
    with TestClient(app):  # runs the start-up, answers nothing yet
        assert app.state.check_index._index is not None
        names = app.state.catalogue._catalogue.names
        assert names is not None and names._index is not None


def test_a_new_snapshot_is_seen_at_once(db: Database, tmp_path: Path) -> None:
    c = make_client(db, tmp_path / "data")
    assert c.post("/check.json", data={"q": "@vymysel_news"}).json()["answers"][0]["hits"] == []
    mininform(db, tmp_path / "data")
    assert c.post("/check.json", data={"q": "@vymysel_news"}).json()["answers"][0]["hits"]


def test_the_query_leaves_no_trace(
    db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    mininform(db, tmp_path / "data")
    c = make_client(db, tmp_path / "data")
    secret = "Zqxj Trace Wvk7 Nobody"
    handle = "@zqxj_trace_wvk7"
    caplog.set_level(logging.DEBUG)
    for q in (secret, handle, "@vymysel_news\n" + handle):
        for path in ("/check", "/ru/check", "/check.json"):
            assert c.post(path, data={"q": q}).status_code == 200
    logged = "\n".join(r.getMessage() + " " + str(r.args) for r in caplog.records)
    for needle in (secret, handle, "zqxj"):
        assert needle.lower() not in logged.lower()
    # Files: the data directory and the database's folder (SQLite file, WAL).
    roots = [tmp_path]
    for root in roots:
        for f in root.rglob("*"):
            if f.is_file():
                assert b"zqxj" not in f.read_bytes().lower(), f
    # Tables: every text column of every table.
    with db.connect() as conn:
        for table in metadata.sorted_tables:
            cols = [col for col in table.columns if isinstance(col.type, String | Text)]
            for row in conn.execute(select(*cols)) if cols else ():
                assert not any("zqxj" in str(v).lower() for v in row), table.name
    cache = c.app.state.page_cache  # type: ignore[attr-defined]
    assert "zqxj" not in repr(vars(cache)).lower()


def test_a_feed_per_list(db: Database, tmp_path: Path) -> None:
    mininform(db, tmp_path / "data")
    c = make_client(db, tmp_path / "data")
    r = c.get("/lists/by-mininform/feed.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    assert "+1 −0" in r.text and "2026-03-20" in r.text
    assert 'href="/lists/by-mininform/feed.atom"' in c.get("/en/check").text
    assert c.get("/lists/nope/feed.atom").status_code == 404


def test_in_background_a_new_snapshot_is_built_while_the_old_index_answers(
    db: Database, tmp_path: Path
) -> None:
    from khronika.web.views.check import CheckHolder

    holder = CheckHolder(db, background=True)
    empty = holder.get()  # the first index is built in the caller
    assert empty.version == ()
    mininform(db, tmp_path / "data")
    # The request that sees the new snapshot is answered at once, from the old index …
    assert holder.get() is empty
    holder.settle(timeout=60)
    # … and the next one from the new.
    fresh = holder.get()
    assert fresh is not empty and [v[0] for v in fresh.version] == ["by-mininform"]


def test_a_lists_page_has_its_figures_by_medium_and_a_chart(db: Database, tmp_path: Path) -> None:
    mininform(db, tmp_path / "data")
    c = make_client(db, tmp_path / "data")
    assert 'href="/en/lists/by-mininform"' in c.get("/en/check").text
    page = c.get("/en/lists/by-mininform")
    assert page.status_code == 200
    assert "Mininform: republican list of extremist materials" in page.text
    copies = page.text[page.text.index("Copies of the list") :]
    # Newest copy first: 4 entries, then the first copy's 3.
    assert copies.index("2026-03-20") < copies.index("2025-10-01")
    assert "<td>2026-03-20</td><td>4</td>" in copies and "<td>2025-10-01</td><td>3</td>" in copies
    assert "<th>Telegram</th>" in page.text and "<th>Sites</th>" in page.text
    data = c.get("/en/lists/by-mininform.json").json()
    assert [(s["entries"], s["by_medium"]) for s in data["snapshots"]] == [
        (3, {"telegram": 1, "vk": 1, "other_networks": 1}),
        (4, {"telegram": 1, "vk": 1, "other_networks": 1, "site": 1}),
    ]
    assert data["added_by_month"] == [{"month": "2026-03", "added": 1, "by_medium": {"site": 1}}]
    ru = c.get("/ru/lists/by-mininform")
    assert "Сайты" in ru.text
    chart = c.get("/lists/by-mininform/figures.svg?lang=be")
    assert chart.status_code == 200 and chart.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in chart.content
    for path in ("/en/lists/nothing", "/lists/nothing/figures.svg"):
        assert c.get(path).status_code == 404
