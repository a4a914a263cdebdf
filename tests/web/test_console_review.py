"""The console's review queue: proposed pairs with the matcher's reasons, decided with a reason."""

from __future__ import annotations

from pathlib import Path

from khronika.accounts import create_user
from khronika.model.judgements import PairKind
from khronika.review import Proposal, list_queue, propose
from khronika.storage import Database
from tests.web.conftest import load_fixture, make_client
from tests.web.test_console import PASSWORD, csrf_of, login


def test_review_page_lists_and_decides(db: Database, tmp_path: Path) -> None:
    load_fixture(db)
    create_user(db, "anna", PASSWORD)
    explanation = {"parts": [{"part": "surname", "a": "X", "b": "Y", "rule": "transliteration"}]}
    propose(
        db,
        [Proposal(PairKind("person-person"), "p1", "p2", 0.91, explanation)],
        proposed_by="test",
    )
    (cand,) = list_queue(db)
    c = make_client(db, tmp_path / "data")
    assert c.get("/en/console/review", follow_redirects=False).status_code == 303  # login first
    login(c, "anna", PASSWORD)
    page = c.get("/en/console/review")
    assert page.status_code == 200
    assert "transliteration" in page.text and "0.91" in page.text
    token = csrf_of(page.text)
    refused = c.post(
        f"/en/console/review/{cand['id']}", data={"csrf": token, "decision": "negative"}
    )
    assert refused.status_code == 400  # a decision needs a reason
    forged = c.post(
        f"/en/console/review/{cand['id']}",
        data={"csrf": "forged", "decision": "negative", "reason": "x"},
    )
    assert forged.status_code == 403
    ok = c.post(
        f"/en/console/review/{cand['id']}",
        data={"csrf": token, "decision": "negative", "reason": "different birth years"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert list_queue(db) == []
    (decided,) = list_queue(db, status=["rejected"])
    assert decided["judgement"]["recorded_by"] == "anna"
    assert decided["judgement"]["reason"] == "different birth years"


def test_review_page_pages_through_a_long_queue(db: Database, tmp_path: Path) -> None:
    from khronika.web.views.console import REVIEW_PAGE_SIZE

    load_fixture(db)
    create_user(db, "anna", PASSWORD)
    n = REVIEW_PAGE_SIZE + 3
    pairs = [
        Proposal(PairKind("person-person"), f"q{i:03d}", f"r{i:03d}", 0.99 - i / 1000, {})
        for i in range(n)
    ]
    propose(db, pairs, proposed_by="test")
    c = make_client(db, tmp_path / "data")
    login(c, "anna", PASSWORD)
    first = c.get("/en/console/review")
    assert "q000" in first.text and f"q{REVIEW_PAGE_SIZE - 1:03d}" in first.text
    assert f"q{REVIEW_PAGE_SIZE:03d}" not in first.text and 'href="?page=2"' in first.text
    second = c.get("/en/console/review?page=2")
    assert f"q{REVIEW_PAGE_SIZE:03d}" in second.text and f"q{n - 1:03d}" in second.text
    assert "q000" not in second.text and 'rel="next"' not in second.text
    assert "q000" in c.get("/en/console/review?page=x").text  # a bad page is the first
    assert f"q{n - 1:03d}" in c.get("/en/console/review?page=99").text  # past the end: the last
