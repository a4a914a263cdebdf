"""Fetch the outlets' feeds and the articles they list, and ingest them as items.

    feeds ──PoliteClient──▶ entries ──PoliteClient──▶ pages ──extract──▶ ItemIn ──▶ ingest_items
      └───────────── per URL: validators, when, outcome (media_fetch_state) ◀──────────┘

Each article page becomes one item: its URL is its identity (and its `where`), its text the
article (the outlet's selectors, else trafilatura), its date the feed's (else the page's),
and the page's bytes are archived as the item's source file. The fetch state is written
after the items are in, and a URL keeps its validators only when what it gave is safely
stored: a page whose item was rejected, or a feed with a page that failed, is asked again
in full on the next run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from khronika.errors import InvalidValue
from khronika.media.extract import FeedEntry, decode_html, extract_article, page_date, parse_feed
from khronika.media.fetch import Fetched, FetchPolicy, PoliteClient
from khronika.media.ingest import IngestReport, ItemIn, ingest_items
from khronika.media.outlets import Outlet, resolve_outlet, starter_outlets
from khronika.model.dates import now_timestamp, storage_timestamp
from khronika.model.shapes import fields_json
from khronika.storage import Database
from khronika.storage import media as store

__all__ = ["FetchReport", "feed_targets", "fetch_feeds", "item_from_page"]

Progress = Callable[[str, int, int], None]


@dataclass
class FetchReport:
    """What a fetch did: feeds and pages asked, how each went, and the ingest."""

    feeds: int = 0  # feeds read (a 2xx that parsed)
    pages: int = 0  # article pages fetched (a 2xx)
    unchanged: int = 0  # feeds and pages answered 304 Not Modified
    robots: list[str] = field(default_factory=list)  # URLs robots.txt forbids: not fetched
    failed: list[str] = field(default_factory=list)  # `URL: reason`
    ingest: IngestReport = field(default_factory=IngestReport)

    @property
    def nothing_done(self) -> bool:
        """True when no feed could be read, not even as unchanged."""
        return self.feeds == 0 and self.unchanged == 0

    def to_json(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        # `added` repeats the ingest's count at the top, where callers look first.
        return {
            **fields_json(self, skip=("ingest",)),
            "added": self.ingest.added,
            "ingest": self.ingest.to_json(),
        }

    def summary(self) -> str:
        """One line for people."""
        return (
            f"{self.feeds} feed(s) read, {self.pages} page(s) fetched, {self.unchanged} "
            f"unchanged, {len(self.robots)} skipped by robots.txt, {len(self.failed)} failed; "
            f"{self.ingest.added} item(s) added, {self.ingest.new_versions} changed"
        )


def feed_targets(
    targets: Sequence[str], outlets: Sequence[Outlet]
) -> list[tuple[str, Outlet | None]]:
    """Return the (feed URL, outlet) pairs that `targets` (outlet ids or feed URLs) name.

    No targets: the feeds of every outlet that declares some. A feed URL's outlet is the
    one whose domain it is on (None when no outlet has it).

    Raises:
        InvalidValue: a target is neither a known outlet nor a URL, or names no feed.
    """
    by_id = {o.id: o for o in outlets}
    pairs: list[tuple[str, Outlet | None]]
    if not targets:
        pairs = [(f, o) for o in outlets for f in o.feeds]
        if not pairs:
            raise InvalidValue(
                "no outlet declares a feed (add one: khronika media add-outlet ID --name … --feed URL)"
            )
        return pairs
    pairs = []
    for t in targets:
        if t.startswith(("http://", "https://")):
            outlet_id = resolve_outlet(None, t, list(outlets))
            pairs.append((t, by_id.get(outlet_id or "")))
        elif t in by_id:
            if not by_id[t].feeds:
                raise InvalidValue(f"{t}: the outlet declares no feed")
            pairs += [(f, by_id[t]) for f in by_id[t].feeds]
        else:
            raise InvalidValue(
                f"{t}: not an outlet id (see `khronika media outlets`) nor a feed URL"
            )
    return list(dict.fromkeys(pairs))


def item_from_page(entry: FeedEntry, page: Fetched, outlet: Outlet | None) -> ItemIn | None:
    """Return the item an article page makes, or None when no article text is found.

    The title is the outlet's selector's, else the feed's, else the page's; the date is
    the feed's `published`, else the outlet's `published` selector's, else htmldate's,
    else the feed's `updated`.
    """
    html = decode_html(page.body, page.content_type)
    article = extract_article(html, url=entry.link, selectors=outlet.selectors if outlet else None)
    if article is None:
        return None
    title = (article.title if article.how == "selectors" else None) or entry.title or article.title
    published = entry.published or article.published or page_date(html, url=entry.link)
    return ItemIn(
        where=entry.link,
        text=article.text,
        url=entry.link,
        outlet=outlet.id if outlet else None,
        published=published or entry.updated,
        title=title,
        archive=page.body,
    )


def _validators(state: dict[str, Any] | None) -> dict[str, str | None]:
    state = state or {}
    return {"etag": state.get("etag"), "last_modified": state.get("last_modified")}


def _state(f: Fetched, when: str, *, keep: bool) -> dict[str, Any]:
    """The fetch-state row of `f`; its validators only when `keep`."""
    return {
        "url": f.url,
        "etag": f.etag if keep else None,
        "last_modified": f.last_modified if keep else None,
        "fetched": when,
        "status": f.status,
        "outcome": f.outcome,
        "reason": f.reason,
    }


def _note(report: FetchReport, f: Fetched) -> None:
    if f.outcome == "unchanged":
        report.unchanged += 1
    elif f.outcome == "robots":
        report.robots.append(f.url)
    elif f.outcome == "failed":
        report.failed.append(f"{f.url}: {f.reason}")


def fetch_feeds(
    db: Database,
    targets: Sequence[str] = (),
    *,
    policy: FetchPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    by: str | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> FetchReport:
    """Fetch feeds and their article pages politely, and ingest the articles as items.

    Args:
        db: the database (outlets, fetch state, items).
        targets: outlet ids or feed URLs; none: every outlet that declares feeds.
        policy: politeness limits (`FetchPolicy`: 1 s per host, 3 attempts …).
        sleep, clock: injectable waiting and monotonic time (tests).
        by: who is recording (stored with each version).
        now: the time recorded for the fetch state and the items (default: now).
        progress: called as (phase, done, total) for `feeds`, `pages` and `analyse`.

    Raises:
        InvalidValue: a target names no outlet or feed (nothing is fetched).
    """
    when = storage_timestamp(now or now_timestamp())
    tick = progress or (lambda phase, done, total: None)
    with db.connect() as conn:
        outlets = [Outlet.from_json(o) for o in store.list_outlets(conn)] or starter_outlets()
    pairs = feed_targets(targets, outlets)
    report = FetchReport()
    with PoliteClient(policy, sleep=sleep, clock=clock) as client:
        feeds, entries = _read_feeds(db, client, pairs, report, tick)
        pages = _read_pages(db, client, entries, report, tick)
    items = [item for _, _, item in pages if item is not None]
    if items:
        report.ingest = ingest_items(
            db, items, by=by, now=now, progress=lambda done, total: tick("analyse", done, total)
        )
    rejected = {p.split(": ", 1)[0] for p in report.ingest.problems}
    states, bad_feeds = [], set()
    for feed_url, page, item in pages:
        ok = page.outcome in ("unchanged", "robots") or (
            item is not None and page.url not in rejected
        )
        if not ok:
            bad_feeds.add(feed_url)
        states.append(_state(page, when, keep=ok))
    for f, parsed in feeds:
        states.append(_state(f, when, keep=parsed and f.url not in bad_feeds))
    with db.begin() as conn:
        store.put_fetch_states(conn, states)
    return report


def _read_feeds(
    db: Database,
    client: PoliteClient,
    pairs: list[tuple[str, Outlet | None]],
    report: FetchReport,
    tick: Progress,
) -> tuple[list[tuple[Fetched, bool]], dict[str, tuple[str, FeedEntry, Outlet | None]]]:
    """Fetch each feed; return (fetched, parsed) per feed, and entries by link (first wins)."""
    with db.connect() as conn:
        known = store.fetch_states(conn, [u for u, _ in pairs])
    feeds: list[tuple[Fetched, bool]] = []
    entries: dict[str, tuple[str, FeedEntry, Outlet | None]] = {}
    for i, (url, outlet) in enumerate(pairs, 1):
        f = client.get(url, **_validators(known.get(url)))
        parsed = False
        if f.outcome == "ok":
            try:
                for e in parse_feed(f.body, url=url):
                    entries.setdefault(e.link, (url, e, outlet))
                report.feeds += 1
                parsed = True
            except InvalidValue as e:
                report.failed.append(f"{url}: {e}")
        _note(report, f)
        feeds.append((f, parsed))
        tick("feeds", i, len(pairs))
    return feeds, entries


def _read_pages(
    db: Database,
    client: PoliteClient,
    entries: dict[str, tuple[str, FeedEntry, Outlet | None]],
    report: FetchReport,
    tick: Progress,
) -> list[tuple[str, Fetched, ItemIn | None]]:
    """Fetch each entry's page; return (feed URL, fetched, item or None) per page."""
    with db.connect() as conn:
        known = store.fetch_states(conn, entries)
    out: list[tuple[str, Fetched, ItemIn | None]] = []
    for i, (link, (feed_url, entry, outlet)) in enumerate(entries.items(), 1):
        f = client.get(link, **_validators(known.get(link)))
        item = None
        if f.outcome == "ok":
            report.pages += 1
            try:
                item = item_from_page(entry, f, outlet)
            except InvalidValue as e:  # the outlet's selectors are wrong: say so, go on
                report.failed.append(f"{link}: {e}")
            else:
                if item is None:
                    report.failed.append(f"{link}: no article text found on the page")
        _note(report, f)
        out.append((feed_url, f, item))
        tick("pages", i, len(entries))
    return out
