"""The demo data has the shape of Belarus since 2020, is reproducible and says it is synthetic."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest

from khronika.demo import (
    RECOGNISER,
    DemoConfig,
    build_demo,
    database_state,
    planted_pairs,
    write_demo,
)
from khronika.demo.generate import generate
from khronika.errors import ConfigurationError
from khronika.interchange import export_records
from khronika.storage import Database
from tests.demo import oracle


@pytest.fixture(scope="module")
def belarus_scale() -> list[dict]:
    """The default demo dataset, exported from a database it was built into."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'demo.db'}")
        db.migrate()
        build_demo(db, DemoConfig())
        records = list(export_records(db, history=True))
        db.dispose()
    return records


def test_prosecuted_recognised_and_prisoner_bands(belarus_scale: list[dict]) -> None:
    people, by_person = oracle.current(belarus_scale)
    assert 8_000 <= len(oracle.prosecuted(by_person)) <= 9_000
    recognised = {
        pid
        for pid, evs in by_person.items()
        if any(e["kind"] == "recognised" and e.get("by") == RECOGNISER for e in evs)
    }
    assert 4_000 <= len(recognised) <= 4_500
    prisoners = oracle.political_prisoners(by_person, "2025-05-01", RECOGNISER)
    assert 1_100 <= len(prisoners) <= 1_400
    women = sum(1 for pid in prisoners if people[pid]["sex"] == "f")
    assert 0.11 <= women / len(prisoners) <= 0.15


def test_recognitions_per_month_after_the_wave(belarus_scale: list[dict]) -> None:
    _, by_person = oracle.current(belarus_scale)
    months = oracle.recognitions_per_month(by_person, RECOGNISER)
    for year in ("2023", "2024", "2025"):
        values = [n for m, n in months.items() if m.startswith(year)]
        assert len(values) == 12
        assert 30 <= sum(values) / 12 <= 50, (year, values)
        assert all(15 <= n <= 75 for n in values), (year, values)
    wave = [months[m] for m in ("2020-10", "2020-11", "2020-12", "2021-01")]
    assert min(wave) > 2 * 50, wave  # the 2020–21 wave: far more than later


def test_the_variety_the_figures_need(belarus_scale: list[dict]) -> None:
    _, by_person = oracle.current(belarus_scale)
    events = [e for evs in by_person.values() for e in evs]
    kinds = Counter(e["kind"] for e in events)
    for kind in (
        "detained",
        "charged",
        "convicted",
        "convicted_in_absentia",
        "transferred",
        "released",
        "died",
        "recognised",
        "recognition_withdrawn",
        "designated",
        "emigrated",
        "media_appearance",
        "return_commission",
    ):
        assert kinds[kind] > 0, kind
    bases = Counter(e["details"]["basis"] for e in events if e["kind"] == "released")
    assert {"pardon", "end_of_term", "parole", "amnesty", "deportation"} <= set(bases)
    pardons = [e for e in events if e["kind"] == "released" and e["details"]["basis"] == "pardon"]
    assert min(oracle.effective(e) for e in pardons) >= "2024-07-01"
    articles = Counter(
        a for e in events if e["kind"] == "convicted" for a in e["details"].get("articles", [])
    )
    assert {"342", "293", "130", "367", "368", "369", "188", "361-1", "361-4"} <= set(articles)
    copies = {c for _, c in planted_pairs(DemoConfig())}  # a peer's copy may lack the region
    regions = Counter(
        r["region"] for r in belarus_scale if r["type"] == "person" and r["id"] not in copies
    )
    assert len(regions) == 7
    deaths = [e for e in events if e["kind"] == "died"]
    assert {e["details"]["place"] for e in deaths} == {"in custody", "after release"}
    history = Counter((r["type"], r["id"]) for r in belarus_scale)
    assert any(n > 1 for (t, _), n in history.items() if t == "event"), "no corrected event"
    assert any(n > 1 for (t, _), n in history.items() if t == "person"), "no corrected person"


def test_names_in_three_spellings_from_a_large_stock() -> None:
    cfg = DemoConfig(people=20_000, seed=5)
    copies = {c for _, c in planted_pairs(cfg)}  # a peer's copy has one spelling of its own
    records = [r for r in generate(cfg) if r["type"] == "person" and r["id"] not in copies]
    langs = {tuple(n["lang"] for n in r["names"]) for r in records}
    assert langs == {("be", "be-Latn", "ru")} or langs == {("be", "ru", "be-Latn")}
    surnames = Counter(r["names"][0]["name"].split()[-1] for r in records)
    assert len(surnames) > 2_500
    top, tenth = surnames.most_common(10)[0][1], surnames.most_common(10)[9][1]
    assert top > 3 * tenth  # Zipf: the most common surname is far more common than the tenth


def test_large_scale_has_many_distinct_surnames() -> None:
    from khronika.demo.generate import _Builder

    builder = _Builder(DemoConfig(people=1_000_000))
    assert len(builder.names.surnames) >= 20_000


def test_same_seed_same_bytes() -> None:
    a, b, c = io.BytesIO(), io.BytesIO(), io.BytesIO()
    write_demo(DemoConfig(people=300, seed=3), a)
    write_demo(DemoConfig(people=300, seed=3), b)
    write_demo(DemoConfig(people=300, seed=4), c)
    assert a.getvalue() == b.getvalue() != c.getvalue()


def test_demo_says_it_is_synthetic_and_refuses_real_databases(db: Database) -> None:
    build_demo(db, DemoConfig(people=200, seed=2))
    assert database_state(db) == "synthetic"
    records = list(export_records(db, scope="public"))
    assert records[0]["type"] == "meta" and records[0]["synthetic"] is True
    assert all("(synthetic)" in r["name"] for r in records if r["type"] == "organisation")
    with pytest.raises(ConfigurationError):
        build_demo(db, DemoConfig(people=10))


def test_a_late_sex_correction_never_repeats_a_version() -> None:
    """A person first recorded on the horizon gets no correction 200 days later (which would
    have to be recorded on the horizon too: two versions with one (id, recorded))."""
    from khronika.demo.generate import HORIZON, DemoConfig, _Builder

    builder = _Builder(DemoConfig(people=1, seed=1))
    late = f"{HORIZON.isoformat()}T12:00:00Z"
    for story in ("custody_story", "absentia_story", "no_custody_story", "administrative_story"):
        setattr(builder, story, lambda pid: [_late_event(pid, late)])
    builder.rng.random = lambda: 0.0  # type: ignore[method-assign]  # always draw the correction
    versions = [r for r in builder.person(1) if r["type"] == "person"]
    assert len({r["recorded"] for r in versions}) == len(versions) == 1


def _late_event(pid: str, recorded: str) -> dict:
    return {
        "type": "event",
        "id": "late",
        "person": pid,
        "kind": "detained",
        "date": recorded[:10],
        "recorded": recorded,
    }


def test_belarusian_names_follow_the_letter_rules() -> None:
    """Invented Belarusian names keep цеканне/дзеканне (ці, дзе; never ті, де) and write ы/э
    after the hard ж ч ш р (never і/е)."""
    import random
    import re

    from khronika.demo.stock import NameStock

    stock = NameStock(random.Random(5), surnames=3_000)
    names = [stock.draw("m" if i % 2 else "f").be.lower() for i in range(5_000)]
    assert not [n for n in names if re.search(r"[тд][іеяю]|[жчшр][іе]", n)]


def test_demo_media_publishes_only_items_naming_public_people(db: Database) -> None:
    from khronika.demo.media import build_demo_media
    from khronika.media import list_item_reports
    from khronika.storage.reads import current_rows, public_ids

    build_demo(db, DemoConfig(people=300, seed=3))
    report = build_demo_media(db, people=12)
    assert report.added >= 8 and report.linked > 0
    reports = list_item_reports(db)
    with db.connect() as conn:
        people = public_ids(conn, "person")
        tiers = {r.id: r.visibility for r in current_rows(conn, "source")}
    published = [r for r in reports if tiers[r["source"]] == "public"]
    assert published, "the demo site should show some item pages"
    for r in reports:
        named = {p for m in r["mentions"] for p in (m["person"], m["candidate"]) if p}
        assert (tiers[r["source"]] == "public") == named.issubset(people)
        assert r["title"].startswith("SYNTHETIC")
