"""Browser tests: the real pages in headless Chromium (Debian's package, Playwright's API).

A uvicorn server runs in a thread over a SQLite copy of the web fixture; every test drives
it like a person would, and screenshots at phone and desktop widths land in
`test-artifacts/screenshots/` (git-ignored). Skipped, saying why, when Chromium or
Playwright is missing.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from khronika.accounts import create_user
from khronika.storage import Database
from khronika.web import create_app
from tests.listwatch.test_check import mininform
from tests.web.conftest import TODAY, load_fixture

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "correct horse battery"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"Chromium not found at {CHROMIUM} (apt-get install chromium)",
    ),
    pytest.mark.browser,
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(build: Callable[[Database, Path], None], tmp: Path) -> Iterator[str]:
    """Serve the app over a SQLite database made by `build(db, data_dir)`; yield its URL."""
    import uvicorn

    db = Database(f"sqlite:///{tmp / 'site.db'}")
    db.migrate()
    build(db, tmp / "data")
    app = create_app(db, data_dir=tmp / "data", clock=lambda: TODAY, refresh=0, background=False)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        db.dispose()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served over HTTP on localhost; yields its base URL."""

    def build(db: Database, data: Path) -> None:
        load_fixture(db)
        mininform(db, data)  # a list for /check
        create_user(db, "anna", PASSWORD)
        create_user(db, "boris", PASSWORD)

    with serve(build, tmp_path_factory.mktemp("browser")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium."""
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser page (its own cookies) at desktop width."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    yield p
    context.close()


def shoot(browser: Any, url: str, name: str) -> None:
    """Save full-page screenshots of `url` at phone and desktop widths."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, (w, h) in WIDTHS.items():
        context = browser.new_context(viewport={"width": w, "height": h})
        p = context.new_page()
        p.goto(url)
        p.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
        context.close()


def cards(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("li.card .name").all_inner_texts()]


def test_search_finds_latin_spelling_of_a_stored_name(page: Any, site: str) -> None:
    page.goto(f"{site}/en/people")
    page.fill("#q", "Viarbitskaya")
    page.click("form.filters button[type=submit]")
    assert cards(page) == ["Alesia Viarbitskaya"]


def test_search_by_latin_finds_a_name_stored_only_in_cyrillic(page: Any, site: str) -> None:
    page.goto(f"{site}/be/people")
    page.fill("#q", "Hanna Kavaliova")
    page.click("form.filters button[type=submit]")
    assert cards(page) == ["Ганна Кавалёва"]


def test_filters(page: Any, site: str, browser: Any) -> None:
    page.goto(f"{site}/en/people")
    assert len(cards(page)) == 4
    page.select_option("#status", "died")
    page.click("form.filters button[type=submit]")
    assert cards(page) == ["Ганна Кавалёва"]
    assert "status=died" in page.url
    page.select_option("#status", "")
    page.select_option("#sex", "m")
    page.select_option("#article", "361-1")
    page.click("form.filters button[type=submit]")
    assert cards(page) == ["Пётр Сідарэнка"]
    shoot(browser, f"{site}/en/people", "gallery-en")


def test_language_switch_keeps_the_page(page: Any, site: str) -> None:
    page.goto(f"{site}/be/people/p1")
    assert page.locator("h1").inner_text() == "Алеся Вярбіцкая"
    page.click("nav.langs a[hreflang=en]")
    assert page.url == f"{site}/en/people/p1"
    assert page.locator("h1").inner_text() == "Alesia Viarbitskaya"
    page.click("nav.langs a[hreflang=ru]")
    assert page.locator("h1").inner_text() == "Олеся Вербицкая"
    assert page.locator("html").get_attribute("lang") == "ru"


def test_person_timeline(page: Any, site: str, browser: Any) -> None:
    page.goto(f"{site}/en/people/p1")
    items = page.locator(".timeline li.k-detained, .timeline li[class^=k-]")
    kinds = [
        c.split("k-")[1]
        for c in page.locator(".timeline > ol > li").evaluate_all(
            "els => els.map(e => e.className)"
        )
    ]
    assert kinds == ["detained", "recognised", "convicted", "transferred"]
    assert items.count() >= 4
    assert "Verdict reported" in page.locator(".timeline").inner_text()
    assert "Colony No. 4" in page.locator(".letter").inner_text()
    assert "SECRETFACILITY" not in page.content()
    shoot(browser, f"{site}/en/people/p1", "person-en")
    shoot(browser, f"{site}/ru/", "home-ru")


def login(page: Any, site: str, user: str) -> None:
    page.goto(f"{site}/en/console/login")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.click("form.edit button[type=submit]")
    page.wait_for_url(f"{site}/en/console")


def test_analyst_adds_event_with_source_and_sees_it_public(
    page: Any, site: str, browser: Any
) -> None:
    login(page, site, "anna")
    page.goto(f"{site}/en/console/people/p4")
    page.click("text=Add an event")
    page.select_option("#kind", "detained")
    page.fill("#date", "2025-04-28")
    page.fill("#new_source_url", "https://example.org/news/p4-detained")
    page.fill("#new_source_title", "Detained on return")
    page.fill("#new_source_publisher", "Example Weekly")
    page.select_option("#new_source_visibility", "public")
    page.click("form.edit button[type=submit]")
    assert "Saved." in page.locator(".notice.ok").inner_text()
    shoot(browser, page.url, "console-person")  # logged out in the new contexts: login page
    page.goto(f"{site}/en/people/p4")
    timeline = page.locator(".timeline").inner_text()
    assert (
        "Detained" in timeline and "Detained on return" in timeline and "Example Weekly" in timeline
    )
    assert page.locator(".status").first.inner_text() == "In custody"


def test_edit_conflict(browser: Any, site: str) -> None:
    first = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    second = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(first, site, "anna")
    login(second, site, "boris")
    first.goto(f"{site}/en/console/events/e9")
    second.goto(f"{site}/en/console/events/e9")
    first.fill("#sentence_months", "30")
    first.click("form.edit button[type=submit]")
    assert "Saved." in first.locator(".notice.ok").inner_text()
    second.fill("#sentence_months", "18")
    second.click("form.edit button[type=submit]")
    notice = second.locator(".notice.conflict").inner_text()
    assert "Edit conflict" in notice and "anna" in notice
    assert second.input_value("#sentence_months") == "18"  # the second editor keeps their input
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    second.screenshot(path=str(ARTIFACTS / "console-conflict-desktop.png"), full_page=True)
    first.goto(f"{site}/en/people/p3.json")
    assert '"sentence_months":30' in first.content()


@pytest.fixture(scope="module", autouse=True)
def _clean_artifacts() -> None:
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)


def test_check_on_a_phone(browser: Any, site: str) -> None:
    # Tried as a reader would: a phone, the Belarusian page, a channel's link pasted; once
    # without JavaScript (the form must work), once with it (to measure the page's width).
    for scripts in (False, True):
        viewport = {"width": 390, "height": 844}
        context = browser.new_context(viewport=viewport, java_script_enabled=scripts)
        p = context.new_page()
        p.goto(f"{site}/be/check")
        p.fill("#q", "https://t.me/s/vymysel_news\nnothing.example")
        p.click("form.check button[type=submit]")
        hits = p.locator("article.hit").all_inner_texts()
        assert len(hits) == 1 and "Новости Выдумска" in hits[0] and "2025-10-01" in hits[0]
        assert "Не знойдзена" in p.locator("section.answers").inner_text()
        assert context.cookies() == []
        if scripts:
            assert p.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            p.screenshot(path=str(ARTIFACTS / "check-phone.png"), full_page=True)
        context.close()
