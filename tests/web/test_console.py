"""The analyst console: login, CSRF, edits that reach the public pages, conflicts, uploads."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from PIL import Image

from khronika.accounts import create_user, hash_password, verify_password
from khronika.cli import cli
from khronika.registry import archived_path, get_person
from khronika.storage import Database
from tests.web.conftest import load_fixture, make_client

PASSWORD = "correct horse battery"


@pytest.fixture
def editor(db: Database, tmp_path: Path) -> TestClient:
    """A client logged in as `anna` over a fresh copy of the fixture."""
    load_fixture(db)
    create_user(db, "anna", PASSWORD)
    c = make_client(db, tmp_path / "data")
    login(c, "anna", PASSWORD)
    return c


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "form without a CSRF token"
    return m.group(1)


def version_of(html: str) -> str:
    m = re.search(r'name="version" value="([^"]*)"', html)
    assert m
    return m.group(1)


def login(c: TestClient, user: str, password: str) -> None:
    token = csrf_of(c.get("/en/console/login").text)
    r = c.post(
        "/en/console/login",
        data={"csrf": token, "username": user, "password": password},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def test_passwords_are_argon2id_hashes() -> None:
    h = hash_password(PASSWORD)
    assert h.startswith("$argon2id$") and PASSWORD not in h
    assert verify_password(PASSWORD, h)
    assert not verify_password(PASSWORD + "x", h)
    assert hash_password(PASSWORD) != h  # salted


@pytest.mark.parametrize(
    "path",
    [
        "/en/console",
        "/en/console/people/p1",
        "/en/console/events/new",
        "/en/console/sources/s-secret",
    ],
)
def test_console_needs_login(db: Database, tmp_path: Path, path: str) -> None:
    load_fixture(db)
    r = make_client(db, tmp_path).get(path, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/en/console/login"


def test_wrong_password_and_forged_login(db: Database, tmp_path: Path) -> None:
    load_fixture(db)
    create_user(db, "anna", PASSWORD)
    c = make_client(db, tmp_path)
    token = csrf_of(c.get("/en/console/login").text)
    bad = c.post("/en/console/login", data={"csrf": token, "username": "anna", "password": "nope"})
    assert bad.status_code == 401 and "Wrong name or password" in bad.text
    forged = c.post(
        "/en/console/login", data={"csrf": "other", "username": "anna", "password": PASSWORD}
    )
    assert forged.status_code == 403
    assert "khronika_session" not in c.cookies


def test_post_without_csrf_is_refused(editor: TestClient, db: Database) -> None:
    r = editor.post("/en/console/events/e2/retract", data={"reason": "x", "version": "x"})
    assert r.status_code == 403
    assert get_person(db, "p1").events[2]["id"] == "e2"  # still there


def test_console_shows_what_the_public_does_not(editor: TestClient) -> None:
    html = editor.get("/en/console?q=withheldname").text
    assert "Withheldname Zzyzx" in html
    assert "PRIVATENOTE" in editor.get("/en/console/people/p1").text


def test_add_event_with_new_source_reaches_public_page(editor: TestClient, db: Database) -> None:
    page = editor.get("/en/console/events/new?person=p2").text
    r = editor.post(
        "/en/console/events/new",
        data={
            "csrf": csrf_of(page),
            "version": "",
            "person": "p2",
            "kind": "detained",
            "date": "2025-04-20",
            "new_source_url": "https://example.org/news/again",
            "new_source_title": "Detained again",
            "new_source_publisher": "Example Weekly",
            "new_source_visibility": "public",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    public = editor.get("/en/people/p2.json").json()
    last = public["events"][-1]
    assert last["kind"] == "detained" and last["date"] == "2025-04-20"
    assert last["sources_detail"][0]["publisher"] == "Example Weekly"
    assert public["status"] == "in_custody"
    assert get_person(db, "p2").events[-1]["recorded_by"] == "anna"


def test_edit_conflict_second_editor_is_told(
    editor: TestClient, db: Database, tmp_path: Path
) -> None:
    create_user(db, "boris", PASSWORD)
    other = make_client(db, tmp_path / "data")
    login(other, "boris", PASSWORD)
    form_a = editor.get("/en/console/events/e2").text
    form_b = other.get("/en/console/events/e2").text
    base = {
        "person": "p1",
        "kind": "convicted",
        "date": "2021-11-20",
        "sources": "s-pub",
        "sentence_type": "colony",
        "articles": "342, 361-1",
    }
    first = editor.post(
        "/en/console/events/e2",
        data={
            **base,
            "csrf": csrf_of(form_a),
            "version": version_of(form_a),
            "sentence_months": "48",
        },
        follow_redirects=False,
    )
    assert first.status_code == 303
    second = other.post(
        "/en/console/events/e2",
        data={
            **base,
            "csrf": csrf_of(form_b),
            "version": version_of(form_b),
            "sentence_months": "30",
        },
    )
    assert second.status_code == 409
    assert "Edit conflict" in second.text and "changed by anna" in second.text
    assert 'value="30"' in second.text  # the second editor's input is kept
    e2 = next(e for e in get_person(db, "p1").events if e["id"] == "e2")
    assert e2["details"]["sentence_months"] == 48  # nothing overwritten


def test_retract_with_reason(editor: TestClient, db: Database) -> None:
    page = editor.get("/en/console/people/p2").text
    token = csrf_of(page)
    stale = editor.post(
        "/en/console/events/e7/retract",
        data={"csrf": token, "version": "2020-01-01T00:00:00Z", "reason": "dup"},
    )
    assert stale.status_code == 409
    empty = editor.post(
        "/en/console/events/e7/retract",
        data={"csrf": token, "version": "2024-07-05T00:00:00Z", "reason": " "},
    )
    assert empty.status_code == 400
    ok = editor.post(
        "/en/console/events/e7/retract",
        data={"csrf": token, "version": "2024-07-05T00:00:00Z", "reason": "wrong date"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert "e7" not in [e["id"] for e in get_person(db, "p2").events]
    assert editor.get("/people/p2.json").json()["status"] == "in_custody"


def test_create_person_with_photo_without_exif(
    editor: TestClient, db: Database, tmp_path: Path
) -> None:
    img = Image.new("RGB", (40, 50), (120, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SECRETCAMERA"  # Make
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif.tobytes())
    assert b"SECRETCAMERA" in buf.getvalue()
    page = editor.get("/en/console/people/new").text
    r = editor.post(
        "/en/console/people/new",
        data={
            "csrf": csrf_of(page),
            "version": "",
            "names": "be: Ян Новы\nbe-Latn/passport: Yan Novy",
            "sex": "m",
            "visibility": "public",
            "story_en": "A new story.",
        },
        files={"photo": ("me.jpg", buf.getvalue(), "image/jpeg")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    pid = r.headers["location"].split("/")[-1].split("?")[0]
    person = get_person(db, pid).person
    assert person["photo"].startswith("sha256:")
    stored = archived_path(person["photo"][7:], data_dir=tmp_path / "data").read_bytes()
    assert b"SECRETCAMERA" not in stored and not Image.open(io.BytesIO(stored)).getexif()
    served = editor.get(f"/people/{pid}/photo")
    assert served.status_code == 200 and served.content == stored
    assert editor.get(f"/en/people/{pid}").text.count(f"/people/{pid}/photo") == 1


def test_source_upload_is_archived_by_hash(
    editor: TestClient, db: Database, tmp_path: Path
) -> None:
    page = editor.get("/en/console/sources/new").text
    r = editor.post(
        "/en/console/sources/new",
        data={
            "csrf": csrf_of(page),
            "version": "",
            "title": "Court record",
            "visibility": "restricted",
        },
        files={"file": ("record.pdf", b"%PDF-1.4 evidence", "application/pdf")},
        follow_redirects=False,
    )
    assert r.status_code == 303
    sid = r.headers["location"].split("/")[-1].split("?")[0]
    html = editor.get(f"/en/console/sources/{sid}").text
    assert "record.pdf" in html
    import hashlib

    sha = hashlib.sha256(b"%PDF-1.4 evidence").hexdigest()
    assert archived_path(sha, data_dir=tmp_path / "data").read_bytes() == b"%PDF-1.4 evidence"


def test_invalid_input_is_reported_not_saved(editor: TestClient) -> None:
    page = editor.get("/en/console/events/new?person=p1").text
    r = editor.post(
        "/en/console/events/new",
        data={
            "csrf": csrf_of(page),
            "version": "",
            "person": "p1",
            "kind": "released",
            "date": "2021-13",
        },
    )
    assert r.status_code == 400 and "Not saved" in r.text and "2021-13" in r.text


def test_logout_ends_the_session(editor: TestClient) -> None:
    token = csrf_of(editor.get("/en/console").text)
    editor.post("/en/console/logout", data={"csrf": token})
    assert editor.get("/en/console", follow_redirects=False).status_code == 303


def test_user_add_cli(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", url, "init"]).exit_code == 0
    r = runner.invoke(
        cli, ["--db", url, "user", "add", "vera", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert r.exit_code == 0 and "created user vera" in r.output
    short = runner.invoke(
        cli, ["--db", url, "user", "add", "vera", "--password-stdin"], input="short\n"
    )
    assert short.exit_code != 0 and "at least" in short.output
