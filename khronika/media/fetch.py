"""A polite HTTP fetcher for the outlets' feeds and pages (httpx, one client per run).

Polite means, for every request:

* **robots.txt** is read once per site (scheme, host and port) through the same client and
  obeyed for the product token `khronika`; a URL it disallows is not fetched. A robots.txt
  that cannot be read (a server error, no answer) disallows the whole site, as RFC 9309
  says; one that does not exist (404) allows it. A `Crawl-delay` longer than the interval
  is honoured.
* **one request at a time per host**, at least `FetchPolicy.interval` seconds apart.
* **conditional GET**: the caller passes the validators it kept (ETag, Last-Modified) and
  a 304 comes back as `unchanged`, with no body.
* **retries** with exponential backoff on connection errors, 429 and 5xx, a few at most;
  a `Retry-After` the server sends is waited instead (when it is not unreasonably long).
* a **User-Agent** naming khronika, **timeouts**, and a **size cap** on a body.
* redirects are followed by hand, so that each hop obeys the rules above.

`sleep` and `clock` are injectable so that tests wait for nothing and measure intervals on
a fake clock.
"""

from __future__ import annotations

import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib import metadata
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpx

__all__ = ["FetchPolicy", "Fetched", "PoliteClient", "ROBOTS_AGENT", "USER_AGENT"]

#: The product token robots.txt rules are matched against.
ROBOTS_AGENT = "khronika"


def _version() -> str:
    try:
        return metadata.version("khronika")
    except metadata.PackageNotFoundError:
        return "dev"


#: Says who is asking and why, so that a site's operator can tell (and block) us.
USER_AGENT = (
    f"khronika/{_version()} (archive of state media for human-rights documentation; "
    "obeys robots.txt, one request per host at a time)"
)

Outcome = Literal["ok", "unchanged", "robots", "failed"]


@dataclass(frozen=True)
class FetchPolicy:
    """How politely to fetch; every limit has a default fit for real sites."""

    #: Seconds at least between two requests to one host (tests set it to 0).
    interval: float = 1.0
    #: Attempts at most for one request (the first one included).
    attempts: int = 3
    #: Seconds before the first retry; doubled before each next one.
    backoff: float = 1.0
    #: The longest wait (Retry-After or backoff) accepted, in seconds; asked to wait
    #: longer, the fetcher gives up on that URL for this run.
    max_wait: float = 120.0
    #: Seconds to wait for a connection, and for each read.
    timeout: float = 20.0
    #: The largest body read, in bytes; a larger one fails the fetch.
    max_bytes: int = 10 * 2**20
    #: Redirects followed at most.
    max_redirects: int = 5
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Fetched:
    """What fetching one URL gave: the outcome, and the body when it is `ok`."""

    url: str  # as asked (the state and the item are kept under it, redirects or not)
    outcome: Outcome
    status: int | None = None  # HTTP status of the last answer; None: no answer
    body: bytes = field(default=b"", repr=False)
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    reason: str | None = None  # why, for `robots` and `failed`


class _TooLarge(Exception):
    pass


@dataclass
class _Answer:
    status: int
    headers: httpx.Headers
    body: bytes


def _retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (a number or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class PoliteClient:
    """Fetch URLs politely (see the module's docstring); use it as a context manager.

    Args:
        policy: the limits (interval, attempts, backoff, timeouts, size cap).
        sleep: how to wait (`time.sleep`); every wait goes through it.
        clock: a monotonic clock in seconds (`time.monotonic`), for the intervals.
    """

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._sleep = sleep
        self._clock = clock
        self._client = httpx.Client(
            headers={"User-Agent": self.policy.user_agent},
            timeout=httpx.Timeout(self.policy.timeout),
            follow_redirects=False,
        )
        self._last: dict[str, float] = {}
        # Per site: its rules, None (no rules), or why the whole site is off limits.
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str | None] = {}
        #: (clock time, URL) of every request sent, robots.txt included, in order.
        self.sent: list[tuple[float, str]] = []

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        """Fetch `url`, conditionally when validators are given; never raises for HTTP.

        Returns `ok` with the body for a 2xx, `unchanged` for a 304, `robots` when
        robots.txt disallows the URL (or a redirect's target), `failed` with the reason
        otherwise (4xx, retries exhausted, too large, too many redirects).
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        target = url
        for _ in range(self.policy.max_redirects + 1):
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                return Fetched(url, "failed", reason=f"{target}: not an http(s) URL")
            refusal = self.disallowed(target)
            if refusal is not None:
                return Fetched(url, "robots", reason=refusal)
            answer = self._send(target, headers)
            if isinstance(answer, Fetched):
                return Fetched(url, answer.outcome, answer.status, reason=answer.reason)
            location = answer.headers.get("location")
            if answer.status in (301, 302, 303, 307, 308) and location:
                # The validators go along: they came from the end of this chain last time.
                target = urljoin(target, location)
                continue
            return self._result(url, answer, etag, last_modified)
        return Fetched(url, "failed", reason=f"more than {self.policy.max_redirects} redirects")

    def _result(
        self, url: str, answer: _Answer, etag: str | None, last_modified: str | None
    ) -> Fetched:
        h = answer.headers
        if answer.status == 304:
            # A 304 may refresh the validators; when it does not, the old ones still hold.
            return Fetched(
                url,
                "unchanged",
                304,
                etag=h.get("etag") or etag,
                last_modified=h.get("last-modified") or last_modified,
            )
        if not 200 <= answer.status < 300:
            return Fetched(url, "failed", answer.status, reason=f"HTTP {answer.status}")
        return Fetched(
            url,
            "ok",
            answer.status,
            body=answer.body,
            content_type=h.get("content-type"),
            etag=h.get("etag"),
            last_modified=h.get("last-modified"),
        )

    def disallowed(self, url: str) -> str | None:
        """Why robots.txt forbids fetching `url`, or None when it may be fetched."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self._robots:
            self._robots[site] = self._read_robots(site)
        rules = self._robots[site]
        if rules is None or isinstance(rules, str):
            return rules
        return None if rules.can_fetch(ROBOTS_AGENT, url) else f"disallowed by {site}/robots.txt"

    def _read_robots(self, site: str) -> urllib.robotparser.RobotFileParser | str | None:
        """The site's robots.txt rules; None: no rules; text: why the whole site is off limits."""
        url = f"{site}/robots.txt"
        answer: _Answer | Fetched = Fetched(url, "failed", reason="no request")
        for _ in range(self.policy.max_redirects + 1):
            answer = self._send(url, {})
            location = answer.headers.get("location") if isinstance(answer, _Answer) else None
            if not (location and answer.status in (301, 302, 303, 307, 308)):
                break
            url = urljoin(url, location)
        if isinstance(answer, Fetched) or answer.status >= 500 or 300 <= answer.status < 400:
            # Unreachable (RFC 9309 §2.3.1.4): assume that everything is disallowed.
            why = answer.reason if isinstance(answer, Fetched) else f"HTTP {answer.status}"
            return f"{site}/robots.txt could not be read ({why})"
        if answer.status in (401, 403):
            # As urllib.robotparser does: a site that forbids its robots.txt forbids all.
            return f"{site}/robots.txt is forbidden (HTTP {answer.status})"
        if answer.status >= 400:
            return None  # no robots.txt: no rules
        rules = urllib.robotparser.RobotFileParser(url)
        rules.parse(answer.body.decode("utf-8", errors="replace").splitlines())
        return rules

    def _wait_turn(self, url: str) -> None:
        """Sleep until this URL's host may be asked again."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        gap = self.policy.interval
        rules = self._robots.get(f"{parts.scheme}://{parts.netloc}")
        if isinstance(rules, urllib.robotparser.RobotFileParser):
            delay = rules.crawl_delay(ROBOTS_AGENT)
            gap = max(gap, float(delay)) if delay is not None else gap
        if host in self._last:
            wait = self._last[host] + gap - self._clock()
            if wait > 0:
                self._sleep(wait)

    def _send(self, url: str, headers: dict[str, str]) -> _Answer | Fetched:
        """GET one URL with retries; the answer, or a `failed` Fetched."""
        p = self.policy
        problem = ""
        status: int | None = None  # of the last answer
        for attempt in range(1, p.attempts + 1):
            self._wait_turn(url)
            wait: float | None = None
            try:
                answer = self._request(url, headers)
            except _TooLarge:
                return Fetched(url, "failed", reason=f"larger than {p.max_bytes} bytes")
            except httpx.HTTPError as e:
                problem = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
                status = None
            else:
                if answer.status != 429 and answer.status < 500:
                    return answer
                problem, status = f"HTTP {answer.status}", answer.status
                wait = _retry_after(answer.headers.get("retry-after"))
            if attempt == p.attempts:
                break
            wait = p.backoff * 2 ** (attempt - 1) if wait is None else wait
            if wait > p.max_wait:
                return Fetched(
                    url, "failed", status, reason=f"{problem}; asked to wait {wait:.0f} s"
                )
            self._sleep(wait)
        return Fetched(url, "failed", status, reason=f"{problem} (after {p.attempts} attempts)")

    def _request(self, url: str, headers: dict[str, str]) -> _Answer:
        """Send one GET and read its body, at most `max_bytes` of it."""
        self.sent.append((self._clock(), url))
        try:
            with self._client.stream("GET", url, headers=headers) as r:
                size = r.headers.get("content-length")
                if size and size.isdigit() and int(size) > self.policy.max_bytes:
                    raise _TooLarge
                chunks, total = [], 0
                for chunk in r.iter_bytes():
                    total += len(chunk)
                    if total > self.policy.max_bytes:
                        raise _TooLarge
                    chunks.append(chunk)
                return _Answer(r.status_code, r.headers, b"".join(chunks))
        finally:
            # The interval runs from the end of one request to the start of the next.
            self._last[(urlsplit(url).hostname or "").lower()] = self._clock()
