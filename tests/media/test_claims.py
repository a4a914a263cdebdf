"""The campaign's own facts: claims found in items, proposed for review, written on accept."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from khronika.interchange import export_records
from khronika.media import ItemIn, ingest_items
from khronika.media.claims import claim_ref, find_claims, parse_claim_ref
from khronika.media.people import sentences
from khronika.registry import get_person
from khronika.review import judge, list_queue, undo
from khronika.storage import Database
from tests.conftest import ENGINES, drop_database, make_database
from tests.media.conftest import load_registry


def T(day: int) -> datetime:  # noqa: N802 - a short name for a time
    return datetime(2025, 3, day, 12, tzinfo=UTC)


@pytest.fixture(params=ENGINES)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    database, _ = make_database(request.param, tmp_path)
    load_registry(database)
    yield database  # type: ignore[misc]
    drop_database(database)


def item(text: str, n: int) -> ItemIn:
    return ItemIn(
        where=f"<test>:{n}",
        text=text,
        outlet="belta",
        published="2025-03-01",
        url=f"https://belta.by/claims/{n}",
    )


def _mention(text: str, surface: str, person: str, **kw: str) -> dict[str, object]:
    start = text.index(surface)
    return {
        "start": start,
        "end": start + len(surface),
        "text": surface,
        "person": person,
        "link": kw.get("link", "auto"),
        "role": kw.get("role"),
    }


def _hit(text: str, words: str, tag: str) -> dict[str, object]:
    start = text.index(words)
    return {"tag": tag, "evidence": words, "start": start, "end": start + len(words)}


def test_special_proceedings_with_body_and_articles() -> None:
    text = (
        "Генеральная прокуратура начала специальное производство в отношении Алеся Буравчика "
        "по части 3 статьи 361-1 и статьи 342 УК. Погода в Минске солнечная."
    )
    [claim] = find_claims(
        text,
        sentences(text),
        [_mention(text, "Алеся Буравчика", "p-m01")],
        [_hit(text, "специальное производство", "in_absentia")],
    )
    assert claim.kind == "in_absentia_proceedings"
    assert claim.details == {"articles": ["361-1", "342"], "body": "prosecutor_general"}
    assert claim.person == "p-m01" and claim.evidence == "специальное производство"
    assert "Погода" not in claim.sentence


def test_a_verdict_in_absentia_is_a_conviction_not_proceedings() -> None:
    text = "Суд завочна асудзіў Вольгу Шэметаву па артыкуле 130."
    [claim] = find_claims(
        text,
        sentences(text),
        [_mention(text, "Вольгу Шэметаву", "p-f02")],
        [_hit(text, "завочна", "in_absentia")],
    )
    assert (claim.kind, claim.details) == ("convicted_in_absentia", {"articles": ["130"]})


def test_return_stages_and_property() -> None:
    text = (
        "Через комиссию по возвращению на родину вернулся Семён Коваленок. "
        "Татьяна Жданович раскаялась в эфире. "
        "У Ирины Верещаки арестовано имущество: квартира в Минске."
    )
    claims = find_claims(
        text,
        sentences(text),
        [
            _mention(text, "Семён Коваленок", "p-m03"),
            _mention(text, "Татьяна Жданович", "p-f04"),
            _mention(text, "Ирины Верещаки", "p-f06"),
        ],
        [
            _hit(text, "комиссию по возвращению", "return_commission"),
            _hit(text, "раскаялась", "repentance"),
            _hit(text, "арестовано имущество", "property_seizure"),
        ],
    )
    got = {(c.person, c.kind): c.details for c in claims}
    assert got[("p-m03", "return_commission")] == {"stage": "returned"}
    assert got[("p-f04", "return_commission")] == {"stage": "shown_on_tv"}
    assert got[("p-f06", "property_seized")] == {"what": "квартира"}
    # Each person's claim comes from their own sentence or the one before it, never later.
    assert ("p-m03", "property_seized") not in got


def test_officials_unlinked_and_review_mentions_claim_nothing() -> None:
    text = "Прокурор Андрей Логутич заявил, что заочный процесс над Дмитрием Хвостовичем начат."
    claims = find_claims(
        text,
        sentences(text),
        [
            _mention(text, "Андрей Логутич", "p-m05", role="official"),
            _mention(text, "Дмитрием Хвостовичем", "p-m07", link="review"),
        ],
        [_hit(text, "заочный", "in_absentia")],
    )
    assert claims == []


def test_claim_refs_round_trip_and_refuse_garbage() -> None:
    ref = claim_ref("mi-1#x", "property_seized", 3, 9)
    assert parse_claim_ref(ref) == ("mi-1#x", "property_seized", 3, 9)
    with pytest.raises(ValueError, match="not a claim reference"):
        parse_claim_ref("mi-1#detained@3-9")


def test_claims_are_proposed_and_accepting_writes_a_restricted_event(db: Database) -> None:
    text = (
        "Следственный комитет возбудил уголовное дело в отношении беглого Алеся Буравчика "
        "по статье 361-1, оно будет рассмотрено в порядке специального производства."
    )
    report = ingest_items(db, [item(text, 1)], now=T(1))
    assert report.proposed >= 1
    [cand] = list_queue(db, kind="claim-person")
    assert cand["b"] == "p-m01"
    assert parse_claim_ref(cand["a"])[1] == "in_absentia_proceedings"
    judged = judge(db, cand["id"], "positive", reason="the report names him", by="ed", now=T(2))
    [eid] = judged["effects"]["events_added"]
    [event] = [e for e in get_person(db, "p-m01").events if e["id"] == eid]
    assert event["kind"] == "in_absentia_proceedings" and event["date"] == "2025-03-01"
    assert event["details"]["body"] == "investigative_committee"
    assert event["details"]["articles"] == ["361-1"]
    # The event cites the item's source only (restricted): it stays with the team.
    public = [r for r in export_records(db, scope="public") if r.get("id") == eid]
    assert public == []
    undone = undo(db, cand["id"], reason="wrong man", by="ed", now=T(3))
    assert undone["effects"]["events_retracted"] == [eid]
    assert all(e["id"] != eid for e in get_person(db, "p-m01").events)


def test_a_claim_about_a_person_in_review_follows_the_link(db: Database) -> None:
    # A lone feminine surname: the link waits for a reviewer, and so does the claim.
    text = "Спецпроизводство начато против беглой Шеметовой."
    ingest_items(db, [item(text, 2)], now=T(1))
    assert list_queue(db, kind="claim-person") == []
    [link] = list_queue(db, kind="mention-person")
    judge(db, link["id"], "positive", reason="the only one", by="ed", now=T(2))
    [cand] = list_queue(db, kind="claim-person")
    assert cand["b"] == "p-f02"
    assert parse_claim_ref(cand["a"])[1] == "in_absentia_proceedings"


def test_campaign_as_of_counts_people_by_day_and_side() -> None:
    from khronika.media.figures import campaign_as_of

    events = [
        {"person": "p1", "kind": "in_absentia_proceedings", "date": "2025-01", "details": {}},
        {"person": "p1", "kind": "convicted_in_absentia", "date": "2025-06-02", "details": {}},
        {"person": "p2", "kind": "in_absentia_proceedings", "date": "2025-01-20", "details": {}},
        {"person": "p3", "kind": "in_absentia_proceedings", "date": "2025-02-01", "details": {}},
        {
            "person": "p4",
            "kind": "return_commission",
            "date": "2024-11-05",
            "details": {"stage": "returned", "item": "mi-1"},
        },
        {"person": "p5", "kind": "return_commission", "date": "2024", "details": {}},
        {"person": "p6", "kind": "detained", "date": "2024-01-01", "details": {}},
    ]
    jan = campaign_as_of(events, "2025-01-31")
    assert jan["in_absentia"] == {"people": 2, "proceedings": 2, "convicted": 0}
    assert jan["returns"] == {"claimed": {"returned": 1}, "documented": {"unknown": 1}}
    june = campaign_as_of(events, "2025-06-30")
    # One person both in proceedings and convicted counts once.
    assert june["in_absentia"] == {"people": 3, "proceedings": 3, "convicted": 1}
    assert campaign_as_of(events, "2024-12-31")["in_absentia"]["people"] == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_campaign_cli_counts_accepted_claims_as_known_on(engine: str, tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from khronika.cli import cli

    db, url = make_database(engine, tmp_path)
    try:
        load_registry(db)
        text = "Генпрокуратура начала спецпроизводство в отношении беглого Алеся Буравчика."
        ingest_items(db, [item(text, 3)], now=T(1))
        [cand] = list_queue(db, kind="claim-person")
        judge(db, cand["id"], "positive", reason="named", by="ed", now=T(2))
        runner = CliRunner(env={"PGOPTIONS": f"-csearch_path={db.schema}"} if db.schema else {})

        def people(*extra: str) -> int:
            res = runner.invoke(
                cli, ["--db", url, "media", "campaign", "--as-of", "2025-03-31", "--json", *extra]
            )
            assert res.exit_code == 0, res.output
            return int(json.loads(res.output)["in_absentia"]["people"])

        assert people() == 1
        # Before the reviewer accepted the claim, nobody was known to be in proceedings.
        assert people("--known-on", "2025-03-01T13:00Z") == 0
        bad = runner.invoke(cli, ["--db", url, "media", "campaign", "--as-of", "2025-13"])
        assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output
        named = runner.invoke(
            cli,
            [
                "--db", url, "media", "narratives", "--from", "2025-03-01", "--to",
                "2025-03-31", "--targeted", "--narrative", "in_absentia", "--json",
            ],
        )  # fmt: skip
        assert named.exit_code == 0, named.output
        assert json.loads(named.output)["rows"] == [{"period": "2025-03", "people": 1}]
    finally:
        drop_database(db)
