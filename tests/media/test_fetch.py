"""Fetching: politeness (robots.txt, intervals, conditional GET, retries), feeds, articles.

Everything runs against a local HTTP server started in the test (127.0.0.1, a free port),
serving an invented outlet ("Вестник-Тест"): every page, name and event is synthetic.
Waiting goes through a fake clock, so no test sleeps and intervals are measured exactly.
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from khronika.cli import cli
from khronika.media import item_report, list_item_reports
from khronika.media.extract import FeedEntry, extract_article, page_date, parse_feed
from khronika.media.feeds import feed_targets, fetch_feeds, item_from_page
from khronika.media.fetch import USER_AGENT, Fetched, FetchPolicy, PoliteClient
from khronika.media.outlets import Outlet
from khronika.registry import archived_path
from khronika.storage import Database
from khronika.storage import media as store
from khronika.storage.versions import current_version
from tests.conftest import ENGINES, drop_database, make_database

# ---- a synthetic site ----------------------------------------------------------------------


@dataclass
class Reply:
    """One canned answer; with an `ETag` or `Last-Modified`, matching validators get a 304."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class Site:
    """A local HTTP server: path → replies (each request takes the next; the last repeats)."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                site.log.append((self.path, dict(self.headers)))
                replies = site.routes.get(self.path) or [Reply(404, b"not found")]
                reply = replies.pop(0) if len(replies) > 1 else replies[0]
                etag, modified = reply.headers.get("ETag"), reply.headers.get("Last-Modified")
                fresh = (etag and self.headers.get("If-None-Match") == etag) or (
                    modified and self.headers.get("If-Modified-Since") == modified
                )
                status, body = (304, b"") if fresh else (reply.status, reply.body)
                self.send_response(status)
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"

    def serve(self, path: str, *replies: Reply) -> str:
        """Answer `path` with these replies; return its URL."""
        self.routes[path] = list(replies)
        return self.base + path

    def paths(self) -> list[str]:
        """The paths asked, in order."""
        return [p for p, _ in self.log]


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    thread = threading.Thread(target=s.server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield s
    s.server.shutdown()
    s.server.server_close()


class FakeTime:
    """A clock that moves only when something sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def page(title: str, paragraphs: list[str], *, published: str | None = None) -> bytes:
    """A synthetic article page: a menu, the article, a "read also" box, a footer."""
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html><html lang="ru"><head><meta charset="utf-8">
<title>ВЕСТНИК-ТЕСТ | {title}</title>{meta}</head><body>
<nav><a href="/">Главная</a> <a href="/news">Новости</a> <a href="/sport">Спорт</a></nav>
<h1 class="headline">{title}</h1>
<div class="article-body">{body}</div>
<aside class="related"><p>Читайте также: погода на выходные</p></aside>
<footer>© Вестник-Тест (вымышленное издание)</footer><script>var x = 1;</script>
</body></html>""".encode()


ARTICLE_1 = [
    "Генеральная прокуратура начала специальное производство в отношении Алеся Буравчика. "
    "По данным следствия, Буравчик находится в Литве и скрывается от правосудия.",
    "Министр внутренних дел Игорь Кравцевич заявил, что так называемые змагары боятся "
    "вернуться на родину и ответить перед законом.",
    "Это вымышленный текст, написанный для проверки программы; ни одно событие не настоящее.",
]
ARTICLE_2 = [
    "В Минске прошло совещание, на котором выступил Николай Лазаревич. Обсуждались итоги "
    "года и планы на следующий, участники говорили долго и подробно о всяком.",
    "Синтетическая заметка: никакого совещания не было, это проверочный текст программы.",
]


def rss(items: list[tuple[str, str, str | None]]) -> bytes:
    """An RSS 2.0 feed of (link, title, pubDate or None)."""
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link>"
        + (f"<pubDate>{d}</pubDate>" if d else "")
        + "<description>Кратко: синтетика.</description></item>"
        for link, t, d in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Вестник-Тест</title><link>http://example.invalid/</link>{entries}"
        "</channel></rss>"
    ).encode()


def atom(items: list[tuple[str, str, str]]) -> bytes:
    """An Atom feed of (relative link, title, published)."""
    entries = "".join(
        f'<entry><title>{t}</title><link href="{link}"/><id>urn:test:{i}</id>'
        f"<published>{d}</published><updated>2025-02-01T00:00:00Z</updated>"
        "<summary>Синтетика.</summary></entry>"
        for i, (link, t, d) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Вестник-Тест</title><id>urn:test</id><updated>2025-02-01T00:00:00Z</updated>"
        f"{entries}</feed>"
    ).encode()


HTML = {"Content-Type": "text/html; charset=utf-8"}


def outlet(site: Site, *feeds: str, selectors: dict[str, str] | None = None) -> Outlet:
    return Outlet(
        id="vestnik-test",
        name="Вестник-Тест",
        country="BY",
        state_owned=True,
        domains=("127.0.0.1",),
        feeds=feeds,
        selectors=selectors or {},
    )


def put(db: Database, *outlets: Outlet) -> None:
    with db.begin() as conn:
        store.put_outlets(conn, [o.to_json() for o in outlets])


NO_WAIT = FetchPolicy(interval=0)


# ---- parsing (pure) ------------------------------------------------------------------------


def test_rss_and_atom_entries_with_absolute_links_and_utc_dates() -> None:
    r = parse_feed(
        rss([("http://x.invalid/1", "Первая", "Tue, 14 Jan 2025 09:30:00 +0300")]),
        url="http://x.invalid/rss",
    )
    assert r == [
        FeedEntry(
            "http://x.invalid/1", "Первая", "2025-01-14T06:30:00Z", None, "Кратко: синтетика."
        )
    ]
    a = parse_feed(atom([("/news/2", "Вторая", "2025-01-15T08:00:00Z")]), url="http://x.invalid/a")
    assert [(e.link, e.title, e.published, e.updated) for e in a] == [
        ("http://x.invalid/news/2", "Вторая", "2025-01-15T08:00:00Z", "2025-02-01T00:00:00Z")
    ]
    with pytest.raises(ValueError, match="not an RSS or Atom feed"):
        parse_feed(b"<html><body>not a feed</body></html>", url="http://x.invalid/")


@pytest.mark.parametrize(
    ("selectors", "how", "title"),
    [
        ({"title": "h1.headline", "text": "div.article-body"}, "selectors", "Спецпроизводство"),
        ({}, "trafilatura", "ВЕСТНИК-ТЕСТ | Спецпроизводство"),  # no og:title: <h1> … <title>
        ({"text": "div.no-such-block"}, "trafilatura", "ВЕСТНИК-ТЕСТ | Спецпроизводство"),
    ],
)
def test_selectors_when_declared_and_matching_else_trafilatura(
    selectors: dict[str, str], how: str, title: str
) -> None:
    html = page("Спецпроизводство", ARTICLE_1).decode()
    # Without <h1>, the two ways name the page differently: the selector finds nothing for
    # the title, trafilatura's way falls back to <title>.
    if how == "trafilatura":
        html = html.replace('<h1 class="headline">Спецпроизводство</h1>', "")
    a = extract_article(html, url="http://127.0.0.1/news/1", selectors=selectors)
    assert a is not None and a.how == how and a.title == title
    assert a.text.splitlines()[0] == ARTICLE_1[0]
    assert "Главная" not in a.text and "Читайте также" not in a.text and "var x" not in a.text


def test_the_selected_block_is_taken_exactly() -> None:
    html = page("Заголовок", ARTICLE_1).decode()
    a = extract_article(html, url="http://x.invalid/", selectors={"text": "aside.related"})
    assert a is not None and (a.how, a.text) == ("selectors", "Читайте также: погода на выходные")


def test_a_selector_that_is_not_css_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"selectors: .*Can't parse CSS selector"):
        extract_article("<p>x</p>", url="http://x.invalid/", selectors={"text": "div[["})


def test_page_date_from_the_page_markup() -> None:
    dated = page("Т", ARTICLE_1, published="2025-01-14T10:00:00+03:00").decode()
    assert page_date(dated, url="http://x.invalid/news/1") == "2025-01-14"
    assert page_date(page("Т", ARTICLE_1).decode(), url="http://x.invalid/news/1") is None


def test_the_item_takes_the_feed_date_else_the_page_date() -> None:
    body = page("Т", ARTICLE_2, published="2025-01-14T10:00:00+03:00")
    fetched = Fetched("http://x.invalid/n", "ok", 200, body=body, content_type="text/html")
    dated = item_from_page(
        FeedEntry("http://x.invalid/n", "Т", "2025-01-20T07:00:00Z"), fetched, None
    )
    assert dated is not None and dated.published == "2025-01-20T07:00:00Z"
    item = item_from_page(FeedEntry("http://x.invalid/n", "Из ленты"), fetched, None)
    assert item is not None and item.published == "2025-01-14" and item.title == "Из ленты"
    assert item.archive == body and item.where == item.url == "http://x.invalid/n"


def test_targets_outlet_ids_or_feed_urls() -> None:
    o = Outlet("vt", "Вестник-Тест", domains=("vt.invalid",), feeds=("http://vt.invalid/rss",))
    bare = Outlet("bare", "Без ленты")
    assert feed_targets([], [o, bare]) == [("http://vt.invalid/rss", o)]
    assert feed_targets(["vt"], [o]) == [("http://vt.invalid/rss", o)]
    assert feed_targets(["https://vt.invalid/other"], [o]) == [("https://vt.invalid/other", o)]
    assert feed_targets(["https://elsewhere.invalid/f"], [o]) == [
        ("https://elsewhere.invalid/f", None)
    ]
    with pytest.raises(ValueError, match="nowhere: not an outlet id"):
        feed_targets(["nowhere"], [o])
    with pytest.raises(ValueError, match="bare: the outlet declares no feed"):
        feed_targets(["bare"], [o, bare])
    with pytest.raises(ValueError, match="no outlet declares a feed"):
        feed_targets([], [bare])


def test_outlet_selectors_round_trip_and_unknown_fields_are_refused() -> None:
    o = Outlet("vt", "Вестник-Тест", selectors={"title": "h1", "text": "div.article-body"})
    assert Outlet.from_json(o.to_json()) == o
    assert Outlet.from_json({"id": "x", "name": "X"}).selectors == {}
    with pytest.raises(ValueError, match="selectors: body: unknown field"):
        Outlet("vt", "V", selectors={"body": "div"})


# ---- the polite client ---------------------------------------------------------------------


def test_user_agent_names_khronika_and_robots_txt_is_read_once(site: Site) -> None:
    site.serve("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /private/\n"))
    a, b = site.serve("/a", Reply(body=b"a")), site.serve("/b", Reply(body=b"b"))
    secret = site.serve("/private/x", Reply(body=b"secret"))
    with PoliteClient(NO_WAIT) as client:
        assert [client.get(u).outcome for u in (a, secret, b)] == ["ok", "robots", "ok"]
        assert client.get(secret).reason == f"disallowed by {site.base}/robots.txt"
    assert site.paths() == ["/robots.txt", "/a", "/b"]
    assert {h["User-Agent"] for _, h in site.log} == {USER_AGENT}
    assert USER_AGENT.startswith("khronika/")


@pytest.mark.parametrize(
    ("robots", "outcome"),
    [
        (Reply(404), "ok"),  # no robots.txt: no rules
        (Reply(403), "robots"),  # robots.txt forbidden: the site is
        (Reply(503), "robots"),  # unreachable (after retries): assume all is disallowed
        (Reply(body=b"User-agent: khronika\nDisallow: /\n\nUser-agent: *\nAllow: /\n"), "robots"),
        (Reply(body=b"User-agent: otherbot\nDisallow: /\n"), "ok"),
    ],
)
def test_robots_txt_answers(site: Site, fake: FakeTime, robots: Reply, outcome: str) -> None:
    site.serve("/robots.txt", robots)
    url = site.serve("/news/1", Reply(body=b"ok"))
    with PoliteClient(NO_WAIT, sleep=fake.sleep, clock=fake.clock) as client:
        assert client.get(url).outcome == outcome
    assert ("/news/1" in site.paths()) == (outcome == "ok")


def test_a_redirect_into_a_disallowed_path_is_not_followed(site: Site) -> None:
    site.serve("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /private/\n"))
    url = site.serve("/moved", Reply(301, headers={"Location": "/private/x"}))
    site.serve("/private/x", Reply(body=b"secret"))
    with PoliteClient(NO_WAIT) as client:
        assert client.get(url).outcome == "robots"
    assert site.paths() == ["/robots.txt", "/moved"]


def test_503_then_200_is_retried_with_backoff(site: Site, fake: FakeTime) -> None:
    url = site.serve("/flaky", Reply(503), Reply(503), Reply(body=b"finally"))
    with PoliteClient(NO_WAIT, sleep=fake.sleep, clock=fake.clock) as client:
        got = client.get(url)
    assert (got.outcome, got.body) == ("ok", b"finally")
    assert fake.sleeps == [1.0, 2.0]  # exponential: 1 s, then 2 s
    assert site.paths().count("/flaky") == 3


def test_retries_stop_after_the_last_attempt(site: Site, fake: FakeTime) -> None:
    url = site.serve("/down", Reply(500))
    policy = FetchPolicy(interval=0, attempts=2, backoff=0.5)
    with PoliteClient(policy, sleep=fake.sleep, clock=fake.clock) as client:
        got = client.get(url)
    assert (got.outcome, got.status) == ("failed", 500)
    assert got.reason == "HTTP 500 (after 2 attempts)"
    assert fake.sleeps == [0.5] and site.paths().count("/down") == 2


def test_a_connection_error_is_retried(fake: FakeTime) -> None:
    with socket.socket() as s:  # a port nothing listens on: the connection is refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with PoliteClient(NO_WAIT, sleep=fake.sleep, clock=fake.clock) as client:
        got = client.get(f"http://127.0.0.1:{port}/feed")
    assert got.outcome == "robots" and "could not be read (ConnectError" in (got.reason or "")
    assert fake.sleeps == [1.0, 2.0]


def test_retry_after_is_honoured(site: Site, fake: FakeTime) -> None:
    url = site.serve("/busy", Reply(429, headers={"Retry-After": "7"}), Reply(body=b"ok"))
    with PoliteClient(NO_WAIT, sleep=fake.sleep, clock=fake.clock) as client:
        assert client.get(url).outcome == "ok"
    assert fake.sleeps == [7.0]


def test_a_retry_after_too_long_is_a_failure_not_a_wait(site: Site, fake: FakeTime) -> None:
    url = site.serve("/later", Reply(503, headers={"Retry-After": "3600"}))
    with PoliteClient(NO_WAIT, sleep=fake.sleep, clock=fake.clock) as client:
        got = client.get(url)
    assert (got.outcome, got.reason) == ("failed", "HTTP 503; asked to wait 3600 s")
    assert fake.sleeps == [] and site.paths().count("/later") == 1


def test_one_request_per_host_per_interval(site: Site, fake: FakeTime) -> None:
    a, b = site.serve("/a", Reply(body=b"a")), site.serve("/b", Reply(body=b"b"))
    other = f"http://localhost:{site.port}/c"  # another host name, the same server
    site.serve("/c", Reply(body=b"c"))
    with PoliteClient(FetchPolicy(interval=1.5), sleep=fake.sleep, clock=fake.clock) as client:
        for url in (a, b, other):
            assert client.get(url).outcome == "ok"
        sent = client.sent
    assert sent == [
        (0.0, f"{site.base}/robots.txt"),
        (1.5, a),
        (3.0, b),
        (3.0, f"http://localhost:{site.port}/robots.txt"),  # another host: no wait
        (4.5, other),
    ]
    assert fake.sleeps == [1.5, 1.5, 1.5]


def test_crawl_delay_longer_than_the_interval_is_honoured(site: Site, fake: FakeTime) -> None:
    site.serve("/robots.txt", Reply(body=b"User-agent: *\nCrawl-delay: 5\n"))
    url = site.serve("/a", Reply(body=b"a"))
    with PoliteClient(FetchPolicy(interval=1), sleep=fake.sleep, clock=fake.clock) as client:
        client.get(url)
        client.get(url)
    assert fake.sleeps == [5.0, 5.0]


def test_conditional_get_sends_the_validators(site: Site) -> None:
    url = site.serve("/p", Reply(body=b"x", headers={"ETag": '"v1"', "Last-Modified": "Mon"}))
    with PoliteClient(NO_WAIT) as client:
        first = client.get(url)
        again = client.get(url, etag=first.etag, last_modified=first.last_modified)
    assert (first.outcome, first.etag, first.last_modified) == ("ok", '"v1"', "Mon")
    assert (again.outcome, again.status, again.body, again.etag) == ("unchanged", 304, b"", '"v1"')
    headers = site.log[-1][1]
    assert (headers["If-None-Match"], headers["If-Modified-Since"]) == ('"v1"', "Mon")


def test_a_body_over_the_cap_is_refused(site: Site) -> None:
    url = site.serve("/big", Reply(body=b"x" * 1000))
    with PoliteClient(FetchPolicy(interval=0, max_bytes=100)) as client:
        got = client.get(url)
    assert (got.outcome, got.reason, got.body) == ("failed", "larger than 100 bytes", b"")


# ---- feeds to items ------------------------------------------------------------------------


def _serve_outlet(site: Site) -> tuple[str, str]:
    """An RSS feed (one dated entry, one undated) and an Atom feed (one entry, relative)."""
    site.serve("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /private/\n"))
    site.serve(
        "/news/1.html",
        Reply(body=page("Спецпроизводство", ARTICLE_1), headers={**HTML, "ETag": '"p1"'}),
    )
    site.serve(
        "/news/2.html",
        Reply(
            body=page("Совещание", ARTICLE_2, published="2025-01-16T12:00:00+03:00"),
            headers={**HTML, "Last-Modified": "Thu, 16 Jan 2025 09:00:00 GMT"},
        ),
    )
    site.serve("/private/3.html", Reply(body=page("Закрыто", ARTICLE_2), headers=HTML))
    feed = site.serve(
        "/rss.xml",
        Reply(
            body=rss(
                [
                    (
                        f"{site.base}/news/1.html",
                        "Из ленты: спецпроизводство",
                        "Tue, 14 Jan 2025 09:30:00 +0300",
                    ),
                    (f"{site.base}/news/2.html", "Из ленты: совещание", None),
                    (f"{site.base}/private/3.html", "Закрыто", None),
                ]
            ),
            headers={"ETag": '"feed-1"'},
        ),
    )
    atom_feed = site.serve(
        "/atom.xml",
        Reply(body=atom([("/news/1.html", "Та же статья", "2025-01-14T06:30:00Z")])),
    )
    return feed, atom_feed


def test_fetch_feeds_into_items_and_nothing_again_when_unchanged(
    db: Database, site: Site, fake: FakeTime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KHRONIKA_DATA_DIR", str(tmp_path / "data"))
    feed, atom_feed = _serve_outlet(site)
    put(
        db,
        outlet(
            site, feed, atom_feed, selectors={"title": "h1.headline", "text": "div.article-body"}
        ),
    )
    run = fetch_feeds(db, policy=NO_WAIT, sleep=fake.sleep, clock=fake.clock)
    assert (run.feeds, run.pages, run.unchanged, run.failed) == (2, 2, 0, [])
    assert run.robots == [f"{site.base}/private/3.html"]  # reported, never asked
    assert "/private/3.html" not in site.paths()
    assert run.ingest.added == 2 and site.paths().count("/news/1.html") == 1  # Atom's twin
    items = {i["url"]: i for i in list_item_reports(db)}
    one, two = items[f"{site.base}/news/1.html"], items[f"{site.base}/news/2.html"]
    assert (one["outlet"], one["title"]) == ("vestnik-test", "Спецпроизводство")  # selector
    assert one["published"] == "2025-01-14T06:30:00Z"  # the feed's date
    assert two["published"] == "2025-01-16"  # the feed gave none: htmldate, from the page
    assert item_report(db, one["id"])["text"].splitlines() == ARTICLE_1
    assert {n["tag"] for n in one["narratives"]} >= {"in_absentia"}  # analysed like any item
    # The page is evidence: archived byte for byte, and the source names it.
    body = page("Спецпроизводство", ARTICLE_1)
    sha = hashlib.sha256(body).hexdigest()
    assert archived_path(sha, data_dir=tmp_path / "data").read_bytes() == body
    with db.connect() as conn:
        source = current_version(conn, "source", one["source"])
        states = store.fetch_states(conn, [feed, f"{site.base}/news/1.html"])
    assert source is not None and (source.sha256, source.file) == (sha, "1.html")
    assert states[feed]["etag"] == '"feed-1"' and states[feed]["outcome"] == "ok"
    assert states[f"{site.base}/news/1.html"]["etag"] == '"p1"'

    # The second run: the RSS feed answers 304 and no page of it is asked again.
    asked = len(site.log)
    again = fetch_feeds(db, policy=NO_WAIT, sleep=fake.sleep, clock=fake.clock)
    # robots.txt once per run; the RSS feed is asked conditionally, none of its pages is.
    assert site.paths()[asked:] == ["/robots.txt", "/rss.xml", "/atom.xml", "/news/1.html"]
    assert site.log[asked + 1][1]["If-None-Match"] == '"feed-1"'
    # The Atom feed has no validators: read again, its entry's page answers 304.
    assert (again.feeds, again.pages, again.unchanged) == (1, 0, 2)
    assert again.ingest.added == 0 and again.ingest.new_versions == 0
    assert len(list_item_reports(db)) == 2


def test_old_pages_answer_304_when_the_feed_changes(
    db: Database, site: Site, fake: FakeTime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KHRONIKA_DATA_DIR", str(tmp_path / "data"))
    feed, _ = _serve_outlet(site)
    put(db, outlet(site, feed))
    first = fetch_feeds(db, policy=NO_WAIT, sleep=fake.sleep, clock=fake.clock)
    assert first.ingest.added == 2
    one = next(i for i in list_item_reports(db) if i["url"].endswith("/1.html"))
    assert one["title"] == "Из ленты: спецпроизводство"  # no selectors: the feed's title
    site.serve("/news/4.html", Reply(body=page("Новое", ARTICLE_2[:1]), headers=HTML))
    site.serve(
        "/rss.xml",
        Reply(
            body=rss(
                [
                    (f"{site.base}/news/4.html", "Новое", "Fri, 17 Jan 2025 10:00:00 +0300"),
                    (f"{site.base}/news/1.html", "Из ленты: спецпроизводство", None),
                    (f"{site.base}/news/2.html", "Из ленты: совещание", None),
                ]
            ),
            headers={"ETag": '"feed-2"'},
        ),
    )
    asked = len(site.log)
    second = fetch_feeds(db, policy=NO_WAIT, sleep=fake.sleep, clock=fake.clock)
    assert (second.feeds, second.pages, second.unchanged) == (1, 1, 2)
    assert (second.ingest.added, second.ingest.new_versions, second.ingest.unchanged) == (1, 0, 0)
    sent = dict(site.log[asked:])
    assert sent["/news/1.html"]["If-None-Match"] == '"p1"'
    assert sent["/news/2.html"]["If-Modified-Since"] == "Thu, 16 Jan 2025 09:00:00 GMT"


def test_a_failed_page_keeps_its_feed_asked_in_full(
    db: Database, site: Site, fake: FakeTime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KHRONIKA_DATA_DIR", str(tmp_path / "data"))
    feed, _ = _serve_outlet(site)
    site.serve("/news/2.html", Reply(404))
    put(db, outlet(site, feed))
    run = fetch_feeds(db, policy=NO_WAIT, sleep=fake.sleep, clock=fake.clock)
    assert run.failed == [f"{site.base}/news/2.html: HTTP 404"] and run.ingest.added == 1
    with db.connect() as conn:
        states = store.fetch_states(conn, [feed, f"{site.base}/news/2.html"])
    # No validators for the feed: the next run reads it again and retries the page.
    assert states[feed]["etag"] is None and states[feed]["outcome"] == "ok"
    assert (
        states[f"{site.base}/news/2.html"]["status"],
        states[f"{site.base}/news/2.html"]["outcome"],
    ) == (404, "failed")


# ---- the command, on both engines ----------------------------------------------------------


def _media_cli(db: Database, url: str, tmp_path: Path) -> Callable[..., tuple[int, str]]:
    """`khronika --db URL media ARGS…` in-process: (exit code, output); never a traceback."""
    env = {"KHRONIKA_DATA_DIR": str(tmp_path / "data")}
    if db.schema:  # PostgreSQL tests live in a schema of their own
        env["PGOPTIONS"] = f"-csearch_path={db.schema}"
    runner = CliRunner(env=env)

    def khronika(*args: str) -> tuple[int, str]:
        res = runner.invoke(cli, ["--db", url, "media", *args])
        assert res.exception is None or isinstance(res.exception, SystemExit), res.output
        return res.exit_code, res.output

    return khronika


@pytest.mark.parametrize("engine", ENGINES)
def test_cli_fetch(engine: str, tmp_path: Path, site: Site) -> None:
    db, url = make_database(engine, tmp_path)
    try:
        feed, atom_feed = _serve_outlet(site)
        khronika = _media_cli(db, url, tmp_path)
        code, out = khronika("fetch", "--json")
        assert code == 1 and "no outlet declares a feed" in out and "Traceback" not in out
        code, out = khronika("fetch", "nowhere")
        assert code == 1 and "nowhere: not an outlet id" in out
        code, _ = khronika(
            "add-outlet", "vestnik-test", "--name", "Вестник-Тест", "--domain", "127.0.0.1",
            "--feed", feed, "--feed", atom_feed,
        )  # fmt: skip
        assert code == 0
        code, out = khronika("fetch", "--interval", "0", "--json")
        assert code == 0, out
        report = json.loads(out)
        assert {k: report[k] for k in ("feeds", "pages", "unchanged", "failed", "added")} == {
            "feeds": 2,
            "pages": 2,
            "unchanged": 0,
            "failed": [],
            "added": 2,
        }
        assert report["robots"] == [f"{site.base}/private/3.html"]
        code, out = khronika("items", "--json")
        assert sorted(i["title"] for i in json.loads(out)) == [
            "Из ленты: совещание",
            "Из ленты: спецпроизводство",
        ]
        code, out = khronika("fetch", "vestnik-test", "--interval", "0")
        assert code == 0
        assert "0 page(s) fetched, 2 unchanged" in out and "0 item(s) added" in out
        site.serve("/gone.xml", Reply(404))
        code, out = khronika("fetch", f"{site.base}/gone.xml", "--interval", "0")
        assert code == 1 and f"{site.base}/gone.xml: HTTP 404" in out
        assert "nothing fetched: no feed could be read" in out
    finally:
        drop_database(db)


@pytest.mark.parametrize("engine", ENGINES)
def test_cli_add_outlet_with_selectors_that_fetch_uses(
    engine: str, tmp_path: Path, site: Site
) -> None:
    db, url = make_database(engine, tmp_path)
    try:
        feed, _ = _serve_outlet(site)
        khronika = _media_cli(db, url, tmp_path)
        base = ["add-outlet", "vestnik-test", "--name", "Вестник-Тест", "--domain", "127.0.0.1"]
        for bad, said in [
            ("text=div[[", "'div[[' is not a CSS selector"),
            ("body=div", "body: unknown field (one of title, text, published)"),
            ("div.article-body", "FIELD=CSS"),
            ("title=h1", "`text` is missing"),
        ]:
            code, out = khronika(*base, "--selector", bad)
            assert code == 1 and said in out and "Traceback" not in out, out
        code, out = khronika("outlets", "--json")
        assert "vestnik-test" not in out  # nothing was added by a refused command
        code, _ = khronika(
            *base, "--feed", feed, "--selector", "text=aside.related", "--selector", "title=h1"
        )
        assert code == 0
        [added] = [
            o for o in json.loads(khronika("outlets", "--json")[1]) if o["id"] == "vestnik-test"
        ]
        assert added["selectors"] == {"text": "aside.related", "title": "h1"}
        code, out = khronika("fetch", "--interval", "0", "--json")
        assert code == 0, out
        items = json.loads(khronika("items", "--json")[1])
        texts = {json.loads(khronika("show", i["id"], "--json")[1])["text"] for i in items}
        # The outlet's selector picked the block it names, not the article trafilatura finds.
        assert texts == {"Читайте также: погода на выходные"}
    finally:
        drop_database(db)
