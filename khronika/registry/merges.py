"""The `person-person` proposal kind: two registry people who may be one.

Accepting the pair is the merge (`khronika.identity` reads merges from the standing
positive judgements); nothing is rewritten, and undoing the judgement splits them again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from khronika.errors import Conflict, NotFound
from khronika.identity import resolve_merges
from khronika.model.judgements import Judgement, PairKind, current_decision
from khronika.registry.lookup import get_person
from khronika.review import ProposalKind, by_candidate, register_kind
from khronika.review.kinds import Accepted, Describe, Undone
from khronika.storage import Database
from khronika.storage import review as store

__all__ = ["PERSON_PERSON", "describe_person", "register_person_kind"]


def describe_person(db: Database, person_id: str) -> dict[str, Any]:
    """What a reviewer needs to see of a person: names, sex, birth date, region."""
    try:
        p = get_person(db, person_id).person
    except NotFound:
        return {"person": person_id, "missing": True}
    return {
        "person": person_id,
        "names": [n["name"] for n in p.get("names", [])],
        "sex": p.get("sex"),
        "birth_date": p.get("birth_date"),
        "region": p.get("region"),
    }


def _check_merge(conn: Connection, a: str, b: str) -> None:
    """Refuse a merge that would put two people judged different into one cluster."""
    rows = store.judgements(conn, kind=PairKind.PERSON_PERSON.value)
    current = [d for d in (current_decision(h) for h in by_candidate(rows).values()) if d]
    canon = resolve_merges([(j.a, j.b) for j in current if j.decision == Judgement.POSITIVE])
    cluster = {canon.get(a, a), canon.get(b, b)}
    for j in current:
        if (
            j.decision == Judgement.NEGATIVE
            and {canon.get(j.a, j.a), canon.get(j.b, j.b)} == cluster
            and len(cluster) == 2
        ):
            raise Conflict(
                f"merging {a} and {b} would join {j.a} and {j.b}, judged different "
                f"(judgement {j.id}: {j.reason}); undo that judgement first"
            )


def _merge_changed(conn: Connection, a: str, b: str) -> None:
    # A merge changes who counts as one person: the figures cache follows, in the same
    # transaction as the judgement. Imported here: the package imports this module to
    # declare the kind, and a read (`khronika person show`) must not load the write path.
    from khronika.registry.writes import touch_people

    touch_people(conn, [a, b])


PERSON_PERSON = register_kind(
    ProposalKind(
        name=PairKind.PERSON_PERSON.value,
        describe_a=describe_person,
        describe_b=describe_person,
        symmetric=True,
        check_accept=_check_merge,
        in_transaction=_merge_changed,
    )
)


def register_person_kind(
    kind: PairKind, *, describe: Describe, accepted: Accepted, undone: Undone
) -> ProposalKind:
    """Declare a kind that pairs a thing (a list entry, a mention, a claim) with a person.

    The person side is shown by `describe_person`; what accepting and undoing do is the
    declaring area's.
    """
    return register_kind(
        ProposalKind(
            name=kind.value,
            describe_a=describe,
            describe_b=describe_person,
            accepted=accepted,
            undone=undone,
        )
    )
