"""Officials' totals in items: found in the text, the latest as of a day, beside the registry."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from khronika.cli import cli
from khronika.media import ItemIn, ingest_items
from khronika.media.figures import officials_as_of
from khronika.media.reports import list_tallies
from khronika.media.tallies import find_tallies
from tests.conftest import ENGINES, drop_database, make_database

RETURN = [{"tag": "return_commission"}]
ABSENTIA = [{"tag": "in_absentia"}]


def found(text: str, narratives: list[dict[str, str]]) -> list[tuple[str, int, str, str]]:
    return [(t.measure, t.number, t.bound, t.evidence) for t in find_tallies(text, narratives)]


def test_applications_and_returns_in_russian() -> None:
    text = (
        "СИНТЕТИЧЕСКИЙ ТЕКСТ. С февраля 2023 года в комиссию поступило около 300 обращений. "
        "Более 1 500 граждан обратились в комиссию, свыше 1,5 тыс. человек уже вернулись."
    )
    assert found(text, RETURN) == [
        ("applied", 300, "about", "около 300 обращений"),
        ("applied", 1500, "at_least", "Более 1 500 граждан"),
        ("returned", 1500, "at_least", "свыше 1,5 тыс. человек"),
    ]


def test_belarusian_totals_with_words_between_number_and_unit() -> None:
    text = (
        "СІНТЭТЫЧНЫ ТЭКСТ. Каля 200 чалавек звярнуліся ў камісію па вяртанні. "
        "Больш за 80 нашых суайчыннікаў вярнуліся."
    )
    assert found(text, RETURN) == [
        ("applied", 200, "about", "Каля 200 чалавек"),
        ("returned", 80, "at_least", "Больш за 80 нашых суайчыннікаў"),
    ]


def test_each_number_takes_the_nearest_cue() -> None:
    text = "Обратились 300 человек, а вернулись на родину 120 человек."
    assert [(t.measure, t.number) for t in find_tallies(text, RETURN)] == [
        ("applied", 300),
        ("returned", 120),
    ]


def test_proceedings_and_convictions_in_absentia() -> None:
    text = (
        "В отношении 365 беглых начато специальное производство по ст. 361-1. "
        "Ещё 40 человек осуждены заочно. Спецвытворчасць распачата ў дачыненні да 12 асоб."
    )
    assert found(text, ABSENTIA) == [
        ("in_absentia_proceedings", 365, "exact", "365 беглых"),
        ("convicted_in_absentia", 40, "exact", "40 человек"),
        ("in_absentia_proceedings", 12, "exact", "12 асоб"),
    ]


@pytest.mark.parametrize(
    ("text", "narratives"),
    [
        # Years, articles and ages are not counts of people.
        ("В 2023 году комиссия по возвращению начала работу по ст. 361.", RETURN),
        ("Ему 35 лет, он вернулся на родину.", RETURN),
        # A count without a cue of what was counted.
        ("На встрече были 300 человек.", RETURN),
        # The item does not carry the measure's narrative.
        ("Вернулись 100 человек, обратились 300 граждан.", ABSENTIA),
        ("В отношении 365 человек начато специальное производство.", RETURN),
        # A fraction is not a count of people, nor is zero.
        ("Вернулись 2,5 человека, обратились 0 граждан.", RETURN),
    ],
)
def test_what_is_not_a_tally(text: str, narratives: list[dict[str, str]]) -> None:
    assert find_tallies(text, narratives) == []


def test_offsets_point_at_the_evidence() -> None:
    text = "Первое предложение. В комиссию поступило около 300 обращений."
    [t] = find_tallies(text, RETURN)
    assert text[t.start : t.end] == t.evidence == "около 300 обращений"
    assert t.sentence == "В комиссию поступило около 300 обращений."


def _t(measure: str, number: int, published: str | None, item: str = "mi-1") -> dict[str, object]:
    return {
        "measure": measure,
        "number": number,
        "bound": "about",
        "published": published,
        "item": item,
        "outlet": "sb",
        "evidence": f"около {number}",
    }


def test_officials_as_of_takes_the_latest_total_stated_by_the_day() -> None:
    tallies = [
        _t("applied", 200, "2024-06-01"),
        _t("applied", 300, "2025-06-26T10:00:00Z", "mi-2"),
        _t("applied", 280, "2025-06-26", "mi-3"),
        _t("returned", 100, "2025-01"),
        _t("returned", 999, None),
    ]
    early = officials_as_of(tallies, "2025-01-31")
    assert early["applied"] is not None and early["applied"]["number"] == 200
    assert early["returned"] is not None and early["returned"]["number"] == 100
    assert early["in_absentia_proceedings"] is None
    late = officials_as_of(tallies, "2025-12-31")
    # Two totals the same day: the larger; an undated item is never the latest.
    assert late["applied"] == {
        "number": 300,
        "bound": "about",
        "published": "2025-06-26T10:00:00Z",
        "item": "mi-2",
        "outlet": "sb",
        "evidence": "около 300",
        "stated": 3,
    }
    assert late["returned"] is not None and late["returned"]["number"] == 100
    assert officials_as_of(tallies, "2024-01-01")["applied"] is None


def _item(n: int, text: str, published: str) -> ItemIn:
    return ItemIn(
        where=f"<test>:{n}",
        text=text,
        external_id=f"t-{n}",
        outlet="sb",
        published=published,
        url=f"https://sb.by/synthetic/{n}",
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_tallies_and_campaign_cli_as_known_on(engine: str, tmp_path: Path) -> None:
    db, url = make_database(engine, tmp_path)
    try:
        first = (
            "СИНТЕТИЧЕСКИЙ ТЕКСТ. В комиссию по вопросам возвращения обратились около 200 человек."
        )
        later = (
            "СИНТЕТИЧЕСКИЙ ТЕКСТ. Комиссия по вопросам возвращения: обратились уже более 300 "
            "человек, вернулись на родину 120 человек."
        )
        ingest_items(db, [_item(1, first, "2025-02-01")], now=datetime(2025, 2, 2, tzinfo=UTC))
        ingest_items(db, [_item(2, later, "2025-06-01")], now=datetime(2025, 6, 2, tzinfo=UTC))
        assert [(t["id"], t["measure"], t["number"]) for t in list_tallies(db)] == [
            ("t-1", "applied", 200),
            ("t-2", "applied", 300),
            ("t-2", "returned", 120),
        ]
        runner = CliRunner(env={"PGOPTIONS": f"-csearch_path={db.schema}"} if db.schema else {})

        def run(*args: str) -> object:
            res = runner.invoke(cli, ["--db", url, "media", *args, "--json"])
            assert res.exit_code == 0, res.output
            return json.loads(res.output)

        assert len(run("tallies")) == 3  # type: ignore[arg-type]
        assert len(run("tallies", "--known-on", "2025-03-01")) == 1  # type: ignore[arg-type]
        officials = run("campaign", "--as-of", "2025-12-31")["officials"]  # type: ignore[index]
        assert officials["applied"]["number"] == 300
        assert officials["applied"]["bound"] == "at_least"
        assert officials["returned"]["number"] == 120
        # As known before the later item was ingested, the total was the earlier one.
        before = run("campaign", "--as-of", "2025-12-31", "--known-on", "2025-03-01")
        assert before["officials"]["applied"]["number"] == 200  # type: ignore[index]
        assert before["officials"]["returned"] is None  # type: ignore[index]
        text = runner.invoke(cli, ["--db", url, "media", "campaign", "--as-of", "2025-12-31"])
        assert "officials' latest total, applied: at least 300" in text.output
    finally:
        drop_database(db)
