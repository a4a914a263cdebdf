"""Disinformation cases: reading, noise in outlet lists, all-or-nothing import, counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from khronika.errors import ImportRejected
from khronika.media.cases import case_counts, import_cases, normalise_outlet, read_cases_csv
from khronika.storage import Database
from khronika.storage import media as store

HEADER = "date,id,title,countries,keywords,languages,outlets\n"
ROWS = (
    "2021-01-05,https://example.org/case/1,Synthetic claim one,Belarus+Poland,"
    "Fugitives+Protest,Russian,State TV A - YouTube+Show more\n"
    "2021-01-20,https://example.org/case/2,Synthetic claim two,Belarus,Protest,Russian+Belarusian,"
    "State TV A - YouTube+  Agency B \n"
    "2021-02-02,https://example.org/case/3,Synthetic claim three,Russia,Elections,Russian,\n"
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("Show more", None), ("", None), ("  Agency  B ", "Agency B"), ("RT", "RT")],
)
def test_normalise_outlet(raw: str, clean: str | None) -> None:
    assert normalise_outlet(raw) == clean


def test_read_import_and_count(tmp_path: Path, db: Database) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(HEADER + ROWS, "utf-8")
    cases = read_cases_csv(path)
    assert [c["outlets"] for c in cases] == [
        ["State TV A - YouTube"],
        ["State TV A - YouTube", "Agency B"],
        [],
    ]
    assert import_cases(db, cases) == 3
    assert import_cases(db, cases) == 3  # again: replaced, not doubled
    with db.connect() as conn:
        stored = store.list_cases(conn)
    assert len(stored) == 3
    assert case_counts(stored, by="outlet", country="Belarus") == [
        ("State TV A - YouTube", 2),
        ("Agency B", 1),
    ]
    assert case_counts(stored, by="month") == [("2021-01", 2), ("2021-02", 1)]
    assert case_counts(stored, by="keyword")[0] == ("Protest", 2)


def test_bad_rows_reject_the_file_with_every_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + ROWS + "yesterday,https://x/4,T,,,,\n2021-01-01,,T,,,,\n", "utf-8")
    with pytest.raises(ImportRejected) as e:
        read_cases_csv(path)
    assert e.value.problems == [
        f"{path}:5: date: 'yesterday' is not YYYY-MM-DD",
        f"{path}:6: id: a case needs an id",
    ]


@pytest.mark.realdata
def test_the_euvsdisinfo_posts(shared_data: Path, db: Database) -> None:
    cases = read_cases_csv(shared_data / "media" / "euvsdisinfo" / "posts.csv")
    assert len(cases) == 10_892
    assert import_cases(db, cases) == 10_892
    with db.connect() as conn:
        stored = store.list_cases(conn)
    assert sum(1 for c in stored if "Belarus" in c["countries"]) == 584
    outlets = {o for c in stored for o in c["outlets"]}
    assert "Show more" not in outlets and "" not in outlets
    by_month = dict(case_counts(stored, by="month", country="Belarus"))
    assert sum(by_month.values()) == 584


def test_cases_link_items_and_keep_them_when_imported_again(tmp_path: Path, db: Database) -> None:
    from khronika.errors import NotFound
    from khronika.media import ItemIn, ingest_items
    from khronika.media.cases import link_items

    path = tmp_path / "cases.csv"
    path.write_text(HEADER + ROWS, "utf-8")
    import_cases(db, read_cases_csv(path))
    report = ingest_items(
        db,
        [ItemIn("<t>:1", "Так называемые змагары снова лгут.", external_id="sb-1", outlet="sb")],
    )
    [item] = report.items
    case = "https://example.org/case/1"
    assert link_items(db, case, ["sb-1"]) == [item]
    with pytest.raises(NotFound, match="no media item 'nope'"):
        link_items(db, case, [item, "nope"])
    import_cases(db, read_cases_csv(path))  # the catalogue again: the link stays
    with db.connect() as conn:
        assert next(c for c in store.list_cases(conn) if c["id"] == case)["items"] == [item]
    assert link_items(db, case, [item], unlink=True) == []
    with pytest.raises(NotFound, match="no case"):
        link_items(db, "https://example.org/case/404", [item])
