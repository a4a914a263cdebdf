"""Blocking work never runs on the event loop: while one request waits in the lists
check's index build or in the catalogue's change check, other requests of the same app
are answered.

Each test drives the app on one event loop (httpx's ASGITransport, as a server worker
would) and stalls the blocking step on a `threading.Event` the test sets only after the
other request was answered. Were that step run on the loop, nothing else could be
answered: the stalled step gives up after `STALL` seconds, says so (`stuck`), and the test
fails instead of hanging. The timeouts are guards against a hang, not time budgets.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from khronika.storage import Database
from khronika.web import create_app
from khronika.web.catalogue import Catalogue
from khronika.web.views import check as check_views
from tests.listwatch.test_check import mininform
from tests.web.conftest import TODAY, load_fixture

#: Seconds a stalled step waits to be let go before it gives up (a guard, not a budget).
STALL = 10.0


class Stall:
    """A blocking step held until `release`: `entered` once a request is in it, `stuck`
    when nobody released it in time (the event loop could not answer anything else)."""

    def __init__(self, real: Callable[..., Any]) -> None:
        self.real = real
        self.entered, self.released, self.stuck = (threading.Event() for _ in range(3))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.entered.set()
        if not self.released.wait(STALL):
            self.stuck.set()
        return self.real(*args, **kwargs)


@pytest.fixture
def lists_db(db: Database, tmp_path: Path) -> Iterator[Database]:
    """The web fixture and an official list with two snapshots."""
    load_fixture(db)
    mininform(db, tmp_path / "data")
    yield db


def _app(db: Database, tmp_path: Path, *, refresh: float) -> Any:
    # No lifespan (ASGITransport sends none): the first request builds the check index
    # itself, the worst case (a worker whose start-up thread has not built it yet).
    return create_app(
        db, data_dir=tmp_path / "data", clock=lambda: TODAY, refresh=refresh, background=False
    )


async def _while_stalled(
    app: Any, stall: Stall, blocked: tuple[str, str, dict[str, str] | None], others: list[str]
) -> tuple[httpx.Response, list[httpx.Response], bool]:
    """Send the `blocked` request; once it is in the stalled step, send each of `others`;
    then release the step. Returns the blocked request's answer, the others' answers, and
    whether the step was still stalled when the last of them was answered."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        method, path, data = blocked
        first = asyncio.ensure_future(client.request(method, path, data=data))
        try:
            assert await asyncio.to_thread(stall.entered.wait, STALL), "never reached the step"
            answers = [await asyncio.wait_for(client.get(p), STALL) for p in others]
            still_stalled = not stall.released.is_set() and not stall.stuck.is_set()
        finally:
            stall.released.set()
        return await asyncio.wait_for(first, STALL), answers, still_stalled


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("GET", "/en/check", None),
        ("POST", "/en/check", {"q": "@vymysel_news"}),
        ("GET", "/en/lists/by-mininform", None),
        ("GET", "/lists/by-mininform/figures.svg", None),
    ],
)
def test_pages_answer_while_a_request_builds_the_check_index(
    lists_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    path: str,
    data: dict[str, str] | None,
) -> None:
    stall = Stall(check_views.build_index)
    monkeypatch.setattr(check_views, "build_index", stall)
    app = _app(lists_db, tmp_path, refresh=0)
    blocked, answers, still_stalled = asyncio.run(
        _while_stalled(app, stall, (method, path, data), ["/api/v1/meta", "/en/people/p1"])
    )
    assert [r.status_code for r in answers] == [200, 200]
    assert answers[0].json()["people"]["named"] > 0
    assert "Тарас" in answers[1].text or "p1" in answers[1].text
    assert still_stalled, "the other requests were answered only after the build"
    assert blocked.status_code == 200 and not stall.stuck.is_set()


def test_a_static_file_answers_while_a_request_checks_the_catalogue_for_changes(
    lists_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change check reads the database (seconds after a large import): it runs in a
    worker thread, and a request that needs no catalogue is answered meanwhile."""
    app = _app(lists_db, tmp_path, refresh=0)  # a check at every use
    app.state.catalogue.get()  # built: what comes next is a change check
    stall = Stall(Catalogue.updated)
    monkeypatch.setattr(Catalogue, "updated", lambda cat, db: stall(cat, db))
    blocked, answers, still_stalled = asyncio.run(
        _while_stalled(app, stall, ("GET", "/en/people", None), ["/static/site.css"])
    )
    assert answers[0].status_code == 200 and answers[0].content
    assert still_stalled, "the static file was answered only after the change check"
    assert blocked.status_code == 200 and 'href="/en/people/p1"' in blocked.text


#: The views that run on the event loop, and why that is safe: each reads memory only, or
#: awaits the request's body and hands the rest to a worker thread. Every other view is a
#: plain `def` (FastAPI runs it in its thread pool); a cached page's wrapper is async, the
#: page itself a `def`.
ON_THE_LOOP = {
    "export_ndjson": "Starlette iterates its generator in a worker thread",
    "feed": "fifty events from the catalogue in memory",
    "api_person": "awaits the person page, which is rendered in a worker thread",
    "api_source": "one dictionary lookup",
    "api_meta": "the catalogue's counts",
    "api_import": "awaits the body; the token, the import in a worker thread",
    "check_answer": "awaits the form; the check in a worker thread",
    "console_login_submit": "awaits the form; the password check in a worker thread",
    "console_logout": "awaits the form; the session's end in a worker thread",
    "console_logout_everywhere": "awaits the form; the sessions' end in a worker thread",
    "console_person_save": "awaits the form; the write in a worker thread",
    "console_event_save": "awaits the form; the write in a worker thread",
    "console_retract": "awaits the form; the retraction in a worker thread",
    "console_source_save": "awaits the form; the write in a worker thread",
    "console_review_decide": "awaits the form; the judgement in a worker thread",
}


def test_every_view_on_the_event_loop_is_one_known_to_block_nothing() -> None:
    """A new async view must be added to ON_THE_LOOP with its reason, or be a plain `def`."""
    import inspect

    from khronika.web.routes import ROUTES

    on_loop = {r.name for r in ROUTES if inspect.iscoroutinefunction(inspect.unwrap(r.endpoint))}
    assert on_loop == set(ON_THE_LOOP)


def test_many_requests_for_one_uncached_page_render_it_once(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a change every client misses the same popular page at once: the first
    request renders it, the others wait for that render and get the same bytes."""
    from khronika.web.views import people as people_views

    load_fixture(db)
    app = _app(db, tmp_path, refresh=60)
    app.state.catalogue.get()  # built, so the page may be kept
    renders: list[int] = []
    real = people_views.select_cards

    def slow_select(*args: Any, **kwargs: Any) -> Any:
        renders.append(1)
        threading.Event().wait(0.3)  # long enough for every request to arrive meanwhile
        return real(*args, **kwargs)

    monkeypatch.setattr(people_views, "select_cards", slow_select)

    async def many() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return list(await asyncio.gather(*(client.get("/en/people") for _ in range(6))))

    answers = asyncio.run(many())
    assert [r.status_code for r in answers] == [200] * 6
    assert len({r.content for r in answers}) == 1 and 'href="/en/people/p1"' in answers[0].text
    assert renders == [1]
