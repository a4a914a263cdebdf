"""The review queue: proposals are idempotent, judgements append-only, undo restores."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from khronika.errors import Conflict, InvalidValue, NotFound
from khronika.model.judgements import Judgement, JudgementRow, PairKind, current_decision
from khronika.review import Proposal, judge, list_queue, propose, show_candidate, undo
from khronika.storage import Database
from khronika.storage.schema.review import review_candidate, review_judgement

from .helpers import T, add_people, person


@pytest.fixture
def queued(db: Database) -> Database:
    add_people(
        db,
        person("p1", "Выдумкина Алеся Петровна", born="1990-03-12"),
        person("p2", "Алеся Петровна Выдумкина", born="1990-03-12"),
        person("p3", "Придумович Янка"),
    )
    propose(
        db,
        [
            Proposal(PairKind.PERSON_PERSON, "p2", "p1", 1.0, {"rule": "same-tokens"}),
            Proposal(PairKind.PERSON_PERSON, "p1", "p3", 0.5, {"rule": "similarity"}),
        ],
        proposed_by="test",
        now=T(2),
    )
    return db


def test_pairs_are_stored_in_order_and_proposed_once(queued: Database) -> None:
    again = propose(
        queued, [Proposal(PairKind.PERSON_PERSON, "p1", "p2", 0.7)], proposed_by="again", now=T(3)
    )
    assert (again.new, again.known) == (0, 1)
    rows = list_queue(queued)
    assert [(c["a"], c["b"], c["score"], c["proposed_by"]) for c in rows] == [
        ("p1", "p2", 1.0, "test"),
        ("p1", "p3", 0.5, "test"),
    ]
    assert again.ids == [rows[0]["id"]]


FLOWS = [
    # steps (verb, decision), expected status after each
    ([("judge", "positive")], ["accepted"]),
    ([("judge", "negative")], ["rejected"]),
    ([("judge", "unsure")], ["unsure"]),
    ([("judge", "positive"), ("undo", None)], ["accepted", "open"]),
    (
        [("judge", "unsure"), ("judge", "positive"), ("undo", None)],
        ["unsure", "accepted", "unsure"],
    ),
    (
        [("judge", "negative"), ("undo", None), ("judge", "positive")],
        ["rejected", "open", "accepted"],
    ),
]


@pytest.mark.parametrize(("steps", "statuses"), FLOWS)
def test_accept_reject_unsure_undo(queued: Database, steps: list, statuses: list) -> None:
    cid = list_queue(queued)[0]["id"]
    seen = []
    for day, (verb, decision) in enumerate(steps, start=3):
        if verb == "judge":
            out = judge(queued, cid, decision, reason=f"step {day}", by="ann", now=T(day))
        else:
            out = undo(queued, cid, reason=f"step {day}", by="bob", now=T(day))
        seen.append(out["status"])
    assert seen == statuses
    shown = show_candidate(queued, cid)
    assert len(shown["judgements"]) == sum(1 for v, _ in steps if v == "judge")
    assert shown["sides"]["a"]["names"] == ["Выдумкина Алеся Петровна"]


ERRORS = [
    # first decision, second action, error
    ("positive", ("judge", "negative"), Conflict),
    ("negative", ("judge", "negative"), Conflict),
    (None, ("undo", None), NotFound),
    (None, ("judge", "maybe"), ValueError),
]


@pytest.mark.parametrize(("first", "action", "error"), ERRORS)
def test_refusals(queued: Database, first: str | None, action: tuple, error: type) -> None:
    cid = list_queue(queued)[0]["id"]
    if first:
        judge(queued, cid, first, reason="first", now=T(3))
    with pytest.raises(error):
        if action[0] == "judge":
            judge(queued, cid, action[1], reason="second", now=T(4))
        else:
            undo(queued, cid, reason="second", now=T(4))


def test_reasons_and_candidates_are_required(queued: Database) -> None:
    cid = list_queue(queued)[0]["id"]
    with pytest.raises(InvalidValue):
        judge(queued, cid, "positive", reason="  ")
    with pytest.raises(NotFound):
        judge(queued, 999, "positive", reason="x")


def test_only_retraction_ever_updates(queued: Database) -> None:
    """Append-only: judgements are inserted; the one UPDATE sets retracted (who, why).

    (The figures cache, derived from merges, is rewritten meanwhile: not a review table.)
    """
    statements: list[str] = []

    def watch(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        if (
            statement.lstrip().upper().startswith(("UPDATE", "DELETE"))
            and "stats_" not in (statement.split("WHERE")[0])
        ):
            statements.append(statement)

    cid = list_queue(queued)[0]["id"]
    event.listen(queued.engine, "before_cursor_execute", watch)
    try:
        judge(queued, cid, "unsure", reason="look later", by="ann", now=T(3))
        judge(queued, cid, "positive", reason="same", by="ann", now=T(4))
        undo(queued, cid, reason="wrong", by="bob", now=T(5))
    finally:
        event.remove(queued.engine, "before_cursor_execute", watch)
    assert len(statements) == 1
    assert "review_judgement" in statements[0] and "retracted" in statements[0]
    with queued.connect() as conn:
        rows = conn.execute(select(review_judgement).order_by(review_judgement.c.id)).all()
        assert conn.execute(select(review_candidate)).all()  # candidates stay
    assert [(r.decision, r.recorded_by, r.retracted_by, r.retraction_reason) for r in rows] == [
        ("unsure", "ann", None, None),
        ("positive", "ann", "bob", "wrong"),
    ]
    assert rows[1].explanation == '{"rule":"same-tokens"}'  # what the reviewer saw


def test_merge_refused_across_a_negative_judgement(queued: Database) -> None:
    add_people(queued, person("p4", "Выдумкина Алеся"), now=T(2, 0))
    propose(
        queued,
        [
            Proposal(PairKind.PERSON_PERSON, "p2", "p4", 0.9),
            Proposal(PairKind.PERSON_PERSON, "p1", "p4", 0.9),
        ],
        proposed_by="test",
        now=T(2),
    )
    ids = {(c["a"], c["b"]): c["id"] for c in list_queue(queued)}
    judge(queued, ids[("p1", "p4")], "negative", reason="different people", now=T(3))
    judge(queued, ids[("p1", "p2")], "positive", reason="same", now=T(4))
    with pytest.raises(Conflict, match="judged different"):
        judge(queued, ids[("p2", "p4")], "positive", reason="same?", now=T(5))


def _j(jid: int, decision: str, recorded: str, retracted: str | None = None) -> JudgementRow:
    return JudgementRow(
        jid, 1, "person-person", "a", "b", Judgement(decision), "r", recorded, retracted=retracted
    )


CURRENT = [
    # judgements, known_on, expected decision id
    ([_j(1, "unsure", "2025-01-02"), _j(2, "positive", "2025-01-03")], None, 2),
    ([_j(1, "unsure", "2025-01-02"), _j(2, "positive", "2025-01-03")], "2025-01-02x", 1),
    ([_j(1, "unsure", "2025-01-02"), _j(2, "positive", "2025-01-03", "2025-01-04")], None, 1),
    ([_j(2, "positive", "2025-01-03", "2025-01-04")], "2025-01-03x", 2),
    ([_j(2, "positive", "2025-01-03", "2025-01-04")], "2025-01-04x", None),
    ([], None, None),
]


@pytest.mark.parametrize(("rows", "known_on", "expected"), CURRENT)
def test_current_decision(rows: list, known_on: str | None, expected: int | None) -> None:
    found = current_decision(rows, known_on=known_on)
    assert (found.id if found else None) == expected
