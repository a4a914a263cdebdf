"""Rate limits per client address: a scraper gets 429 with Retry-After, a reader never."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from khronika.storage import Database
from khronika.web.app import create_app
from khronika.web.ratelimit import Buckets


def test_a_bucket_allows_its_burst_then_its_rate() -> None:
    now = [0.0]
    b = Buckets(rate=2.0, capacity=3, clock=lambda: now[0])
    assert [b.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert b.take("a") == pytest.approx(0.5)  # one token back in half a second
    assert b.take("b") == 0.0  # another address has its own bucket
    now[0] = 0.5
    assert b.take("a") == 0.0 and b.take("a") > 0
    now[0] = 100.0
    assert [b.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]  # never more than the burst
    assert b.take("a") > 0


def _client(db: Database, tmp_path: Path, address: str) -> TestClient:
    app = create_app(
        db, data_dir=tmp_path, clock=lambda: date(2025, 5, 1), refresh=0, background=False
    )
    return TestClient(app, client=(address, 40000))


def test_the_site_answers_429_over_the_limit(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KHRONIKA_WEB_RATE", "6")  # one request every 10 s
    monkeypatch.setenv("KHRONIKA_WEB_RATE_BURST", "4")
    app = create_app(
        db, data_dir=tmp_path, clock=lambda: date(2025, 5, 1), refresh=0, background=False
    )
    scraper = TestClient(app, client=("10.0.0.7", 40000))
    reader = TestClient(app, client=("10.0.0.8", 40000))
    paths = ["/en/", "/api/v1/people", "/en/people/zz9", "/api/v1/meta"]
    assert [scraper.get(p).status_code for p in paths] == [200, 200, 404, 200]
    over = scraper.get("/api/v1/people/p1")
    assert over.status_code == 429
    assert 1 <= int(over.headers["retry-after"]) <= 10
    body = over.json()
    assert body["ok"] is False and body["status"] == 429 and body["errors"]
    assert scraper.get("/en/people").status_code == 429  # pages as well as the API
    # Another address is not affected, nor is the console (it throttles logins itself).
    assert reader.get("/en/").status_code == 200
    assert scraper.get("/en/console/login").status_code == 200


def test_zero_turns_it_off(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHRONIKA_WEB_RATE", "0")
    c = _client(db, tmp_path, "10.0.0.9")
    assert {c.get("/api/v1/meta").status_code for _ in range(200)} == {200}
