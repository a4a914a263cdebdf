"""Browser tests at a phone's width (390 px, issue 13): every chart's labels are readable,
and the search box finds a person by each spelling of the search table.

Charts are SVG shown by `<img>` (in a `<picture>` whose phone source is `?size=phone`). A
label's size is measured in the browser: the SVG the image shows (its `currentSrc`) is
placed inline at the image's displayed width, and the rendered size of each label's font
is read from the screen matrix of its glyphs (matplotlib draws a label as glyph paths at
`scale(size / 100)`, so the font's rendered px are 100 × that matrix's scale). Uses the
Chromium and fixtures of `test_browser.py`; skipped the same way when they are missing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from khronika.media import ItemIn, ingest_items
from khronika.storage import Database
from tests.listwatch.test_check import mininform
from tests.web import test_search_spellings as spellings
from tests.web.conftest import load_fixture
from tests.web.test_browser import ARTIFACTS, CHROMIUM, browser, serve

__all__ = ["browser"]  # the fixture, shared with test_browser.py

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium not found at {CHROMIUM}"),
    pytest.mark.browser,
]

PHONE = {"width": 390, "height": 844}
#: The smallest label a phone reader is asked to read, in CSS px (issue 13).
MIN_LABEL_PX = 11.0
#: Every public page that shows a chart, and how many it shows.
CHART_PAGES = {
    "/en/": 2,
    "/be/figures": 2,
    "/ru/media": 1,
    "/en/lists/by-mininform": 1,
}

#: Rendered font size (CSS px) of every label of the chart `img`, with its text.
MEASURE = """async (img) => {
  const width = img.getBoundingClientRect().width;
  const svgText = await (await fetch(img.currentSrc)).text();
  const doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
  const svg = document.importNode(doc.documentElement, true);
  const box = document.createElement("div");
  box.style.cssText = `position:absolute;left:0;top:0;width:${width}px`;
  svg.setAttribute("width", "100%");
  svg.removeAttribute("height");
  box.appendChild(svg);
  document.body.appendChild(box);
  const labels = [];
  for (const g of svg.querySelectorAll('g[id^="text_"]')) {
    const glyph = g.querySelector("use");
    if (!glyph) continue;  // an empty label draws nothing
    const m = glyph.getScreenCTM();
    const note = [...g.childNodes].find((n) => n.nodeType === Node.COMMENT_NODE);
    labels.push({text: note ? note.data.trim() : g.id, px: 100 * Math.hypot(m.a, m.b)});
  }
  box.remove();
  return {src: img.currentSrc, width: width, labels: labels};
}"""


def _with_charts(db: Database, data_dir: Path) -> None:
    """The web fixture, a list with two copies, and state-media items over three months."""
    load_fixture(db)
    mininform(db, data_dir)
    texts = [
        ("2025-01-10", "Генпрокуратура начала специальное производство в отношении беглого."),
        ("2025-02-28", "Спецпроизводство начато против беглой."),
        ("2025-03-03", "Экстремистские материалы признаны судом."),
    ]
    for i, (day, text) in enumerate(texts):
        item = ItemIn(f"<t>:{i}", text, url=f"https://belta.by/{i}", outlet="belta", published=day)
        ingest_items(db, [item], now=datetime(2025, 3, 10, tzinfo=UTC))


def _spelling_people(db: Database, data_dir: Path) -> None:
    path = data_dir.parent / "people.ndjson"
    lines = [json.dumps(r, ensure_ascii=False) for r in spellings.RECORDS]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    load_fixture(db, path)


@pytest.fixture(scope="module")
def chart_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(_with_charts, tmp_path_factory.mktemp("charts")) as url:
        yield url


@pytest.fixture(scope="module")
def spelling_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(_spelling_people, tmp_path_factory.mktemp("spellings")) as url:
        yield url


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A fresh page at a phone's width."""
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def _shown_charts(page: Any) -> list[Any]:
    """The page's chart images, each scrolled to (they load lazily) and loaded."""
    images = page.locator("figure.chart img").all()
    for img in images:
        img.scroll_into_view_if_needed()
        img.evaluate("i => i.decode()")  # waits for the image; fails if it cannot be shown
    return images


@pytest.mark.parametrize(("path", "count"), CHART_PAGES.items())
def test_every_chart_label_is_at_least_11_px_on_a_phone(
    phone: Any, chart_site: str, path: str, count: int
) -> None:
    phone.goto(chart_site + path)
    images = _shown_charts(phone)
    assert len(images) == count
    for img in images:
        drawn = img.evaluate(MEASURE)
        assert "size=phone" in drawn["src"], "a phone is served the phone-sized chart"
        assert len(drawn["labels"]) >= 8, drawn  # title, axis, ticks, legend: all measured
        small = [(t["text"], round(t["px"], 1)) for t in drawn["labels"] if t["px"] < 11]
        assert not small, f"{drawn['src']} at {drawn['width']:.0f} px: labels under 11 px {small}"
        assert img.evaluate("i => i.getBoundingClientRect().right") <= PHONE["width"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = "charts" + path.replace("/", "-").rstrip("-")
    phone.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)


def test_the_desktop_keeps_the_desktop_chart(browser: Any, chart_site: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(chart_site + "/en/figures")
    sources = [img.evaluate("i => i.currentSrc") for img in _shown_charts(page)]
    context.close()
    assert sources == [f"{chart_site}/en/charts/prisoners.svg", f"{chart_site}/en/charts/flows.svg"]


@pytest.mark.parametrize("spelling", spellings.FOUND)
def test_the_search_box_on_a_phone_finds_each_spelling(
    phone: Any, spelling_site: str, spelling: str
) -> None:
    phone.goto(f"{spelling_site}/be/")
    phone.fill("#q", spelling)
    phone.click("form.search button[type=submit]")
    phone.wait_for_url("**/be/people?q=*")
    found = phone.locator("li.card a").evaluate_all("els => els.map(e => e.pathname)")
    assert "/be/people/k1" in found
