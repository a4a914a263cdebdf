"""Merges are judgements: the resolver maps ids as known on any date, and undo splits."""

from __future__ import annotations

import pytest

from khronika.identity import OPEN, IdentityMap, Merge, identity_map, merge_history, resolve_merges
from khronika.model.judgements import PairKind
from khronika.review import Proposal, judge, list_queue, propose, undo
from khronika.storage import Database

from .helpers import T, add_people, person

RESOLVE = [
    ([], {}),
    ([("p2", "p1")], {"p1": "p1", "p2": "p1"}),
    ([("p3", "p2"), ("p2", "p9")], {"p2": "p2", "p3": "p2", "p9": "p2"}),
    ([("b", "c"), ("a", "d"), ("d", "c")], {"a": "a", "b": "a", "c": "a", "d": "a"}),
    ([("x", "y"), ("u", "v")], {"u": "u", "v": "u", "x": "x", "y": "x"}),
]


@pytest.mark.parametrize(("pairs", "expected"), RESOLVE)
def test_resolve_merges(pairs: list, expected: dict) -> None:
    assert resolve_merges(pairs) == expected
    assert resolve_merges(reversed(pairs)) == expected  # order of judgements does not matter


def test_identity_map_helpers() -> None:
    m = IdentityMap(None, resolve_merges([("p2", "p1"), ("p3", "p2")]))
    assert (m.canonical("p3"), m.canonical("p7")) == ("p1", "p7")
    assert m.members("p2") == ["p1", "p2", "p3"] and m.members("p7") == ["p7"]
    assert sorted(m.rows()) == [("p2", "p1"), ("p3", "p1")] and len(m) == 2


# A merge recorded on 3 January, undone on 5 January; as known on each day:
KNOWN_ON = [
    ("2025-01-02", {}),
    ("2025-01-03", {"p1": "p1", "p2": "p1"}),
    ("2025-01-04", {"p1": "p1", "p2": "p1"}),
    ("2025-01-05", {}),
    (None, {}),
]


@pytest.mark.parametrize(("known_on", "expected"), KNOWN_ON)
def test_merges_follow_known_on(db: Database, known_on: str | None, expected: dict) -> None:
    add_people(db, person("p1", "Выдумкина Алеся"), person("p2", "Алеся Выдумкина"))
    propose(db, [Proposal(PairKind.PERSON_PERSON, "p1", "p2", 1.0)], proposed_by="t", now=T(2))
    cid = list_queue(db)[0]["id"]
    judge(db, cid, "positive", reason="same", now=T(3))
    assert identity_map(db).canonical("p2") == "p1"  # standing now, before the undo
    undo(db, cid, reason="twins", now=T(5))
    assert identity_map(db, known_on=known_on).canonical_of == expected


def test_a_chain_of_merges_and_a_partial_undo(db: Database) -> None:
    add_people(db, *(person(p, "Выдумкина Алеся") for p in ("p1", "p2", "p3")))
    propose(
        db,
        [
            Proposal(PairKind.PERSON_PERSON, "p3", "p2", 1.0),
            Proposal(PairKind.PERSON_PERSON, "p1", "p2", 1.0),
        ],
        proposed_by="t",
        now=T(2),
    )
    ids = {(c["a"], c["b"]): c["id"] for c in list_queue(db)}
    judge(db, ids[("p2", "p3")], "positive", reason="same", now=T(3))
    judge(db, ids[("p1", "p2")], "positive", reason="same", now=T(4))
    assert identity_map(db).members("p3") == ["p1", "p2", "p3"]
    undo(db, ids[("p1", "p2")], reason="not p1", now=T(6))
    now = identity_map(db)
    assert (now.canonical("p3"), now.canonical("p1")) == ("p2", "p1")
    assert identity_map(db, known_on="2025-01-05").canonical("p3") == "p1"


def test_merge_history() -> None:
    """When a pair stood merged, from every judgement: the latest standing one decides."""
    t = "2025-01-0{}T12:00:00.000000Z".format
    judgements = [
        # candidate, id, a, b, decision, recorded, retracted
        (1, 1, "p1", "p2", "unsure", t(1), None),
        (1, 2, "p1", "p2", "positive", t(2), t(4)),  # accepted, undone on the 4th
        (1, 3, "p1", "p2", "positive", t(6), None),  # accepted again
        (2, 4, "p3", "p4", "negative", t(3), None),  # judged different: never merged
        (3, 5, "p5", "p6", "positive", t(5), None),
    ]
    assert merge_history(judgements) == [
        Merge("p1", "p2", t(2), t(4)),
        Merge("p1", "p2", t(6), OPEN),
        Merge("p5", "p6", t(5), OPEN),
    ]
