"""Read feeds and article pages: RSS/Atom entries, and an article's title, text and date.

Pure functions of bytes already fetched (no network here). A page's article is picked out
by the outlet's CSS selectors when it declares them (selectolax's lexbor parser), else by
trafilatura; its published date comes from the feed, else from the page (the outlet's
`published` selector, else htmldate). trafilatura and htmldate are imported where they are
used: they take most of a second to import, and `khronika --help` must stay fast.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from time import struct_time
from typing import Any
from urllib.parse import urljoin

import feedparser
from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from khronika.errors import InvalidValue

__all__ = ["Article", "FeedEntry", "decode_html", "extract_article", "page_date", "parse_feed"]


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed: where its article is, and what the feed says of it."""

    link: str
    title: str | None = None
    #: When the entry was published (UTC, `2025-01-14T09:30:00Z`); None when the feed
    #: does not say (an Atom entry's `updated` is not its publication: see `updated`).
    published: str | None = None
    #: When the entry last changed (Atom `updated`), the last resort for a date.
    updated: str | None = None
    #: The entry's content (or summary) as plain text, when the feed carries it.
    content: str | None = None


@dataclass(frozen=True)
class Article:
    """What a page's article says: title, text (a paragraph a line, as trafilatura gives
    it and as the analysis splits it), date."""

    title: str | None
    text: str
    published: str | None
    #: How the text was found: `selectors` (the outlet's) or `trafilatura`.
    how: str


def _timestamp(value: Any) -> str | None:
    if not isinstance(value, struct_time):
        return None
    return datetime(*value[:6], tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _plain(html: str | None) -> str | None:
    """The text of an HTML fragment, whitespace collapsed; None when there is none."""
    if not html or not html.strip():
        return None
    text = " ".join(LexborHTMLParser(html).text(separator=" ").split())
    return text or None


def parse_feed(data: bytes, *, url: str) -> list[FeedEntry]:
    """Return the entries of an RSS or Atom feed, in the feed's order, with absolute links.

    Entries without a link are left out (there is no page to fetch).

    Raises:
        InvalidValue: the bytes are not a feed feedparser can read.
    """
    parsed = feedparser.parse(data, response_headers={"content-location": url})
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise InvalidValue(f"not an RSS or Atom feed{f' ({reason})' if reason else ''}")
    entries = []
    for e in parsed.entries:
        link = e.get("link")
        if not link:
            continue
        content = e.get("content")
        body = content[0].get("value") if content else e.get("summary")
        entries.append(
            FeedEntry(
                link=urljoin(url, link),
                title=_plain(e.get("title")),
                published=_timestamp(e.get("published_parsed")),
                # Read as stored: feedparser's `get` would answer `published` for a missing
                # `updated` (its issue 310).
                updated=_timestamp(dict.get(e, "updated_parsed")),
                content=_plain(body),
            )
        )
    return entries


_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """Decode a page: the charset of the Content-Type header, else of its `<meta>`, else
    UTF-8, else windows-1251 (the other encoding Belarusian and Russian sites still use)."""
    found = re.search(r"charset=([\w-]+)", content_type or "", re.I)
    charset = found.group(1) if found else None
    if charset is None and (meta := _META_CHARSET.search(data[:4096])):
        charset = meta.group(1).decode("ascii")
    for encoding in filter(None, (charset, "utf-8")):
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1251", errors="replace")


def _node_text(node: LexborNode) -> str:
    """A node's text, a paragraph per `<p>` (or the whole node when it has none)."""
    paragraphs = [" ".join(p.text(separator=" ").split()) for p in node.css("p")]
    paragraphs = [p for p in paragraphs if p] or [" ".join(node.text(separator=" ").split())]
    return "\n".join(p for p in paragraphs if p)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DOTTED_DAY = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


def _day(value: str | None) -> str | None:
    """The day a date text names (`2025-01-14…`, `14.01.2025`), as YYYY-MM-DD, or None."""
    if not value:
        return None
    if m := _ISO_DAY.search(value):
        return m.group(0)
    if m := _DOTTED_DAY.search(value):
        return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    return None


def _by_selectors(tree: LexborHTMLParser, selectors: Mapping[str, str]) -> Article | None:
    """The article the outlet's selectors pick out, or None when the text selector finds none."""
    nodes = tree.css(selectors["text"])
    text = "\n".join(t for t in (_node_text(n) for n in nodes) if t)
    if not text:
        return None
    title = tree.css_first(selectors["title"]) if "title" in selectors else None
    when = tree.css_first(selectors["published"]) if "published" in selectors else None
    published = None
    if when is not None:
        published = _day(when.attributes.get("datetime") or when.attributes.get("content"))
        published = published or _day(when.text())
    heading = " ".join(title.text(separator=" ").split()) if title is not None else ""
    return Article(
        title=heading or None,
        text=text,
        published=published,
        how="selectors",
    )


def _page_title(tree: LexborHTMLParser) -> str | None:
    meta = tree.css_first('meta[property="og:title"]')
    if meta is not None and (content := meta.attributes.get("content")):
        return " ".join(content.split()) or None
    for selector in ("h1", "title"):
        node = tree.css_first(selector)
        if node is not None and (text := " ".join(node.text(separator=" ").split())):
            return text
    return None


def extract_article(
    html: str, *, url: str, selectors: Mapping[str, str] | None = None
) -> Article | None:
    """Return the article of a page, or None when neither way finds any text.

    The outlet's `selectors` (`text`, and optionally `title` and `published`) are tried
    first; when they are not declared or the text selector matches nothing, trafilatura
    extracts the main text (comments and tables left out) and the title is the page's
    (`og:title`, else `<h1>`, else `<title>`). `published` is a day from the `published`
    selector, or None: `page_date` is the fallback, for when the feed gives no date.

    Raises:
        InvalidValue: one of the outlet's selectors is not CSS selectolax can read.
    """
    tree = LexborHTMLParser(html)
    for node in tree.css("script, style, noscript"):
        node.decompose()
    if selectors and "text" in selectors:
        try:
            found = _by_selectors(tree, selectors)
        except SelectolaxError as e:
            raise InvalidValue(f"selectors: {dict(selectors)}: {e}") from None
        if found is not None:
            return found
    import trafilatura  # slow to import: only when a page needs it

    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False)
    if not text or not text.strip():
        return None
    return Article(title=_page_title(tree), text=text.strip(), published=None, how="trafilatura")


def page_date(html: str, *, url: str) -> str | None:
    """Return the day a page says it was first published (htmldate), or None.

    Only the page's own markup and URL are read (no guessing from dates in the text): a
    wrong date on evidence is worse than none.
    """
    import htmldate  # slow to import: only when the feed gave no date

    found = htmldate.find_date(
        html, url=url, original_date=True, extensive_search=False, outputformat="%Y-%m-%d"
    )
    return found or None
