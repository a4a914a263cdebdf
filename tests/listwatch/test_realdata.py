"""The issue's 'done when' figures, on the real lists in ../shared/data/lists (never copied).

Skipped with the reason when the folder is absent. Expected figures come from the issue
and the data README; consistency checks (added − removed = change in size; exclusion
dates) are recomputed here from the raw files, independently of the parsers.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from khronika.listwatch.entries import Entry
from khronika.listwatch.formats import fedsfm
from khronika.listwatch.reports import diff_snapshots
from khronika.listwatch.snapshots import add_list, import_snapshot
from khronika.storage import Database

pytestmark = pytest.mark.realdata

LISTS = (Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "lists").resolve()


def data_file(*parts: str) -> Path:
    path = LISTS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not found: {path} (../shared/data beside the repository)")
    return path


@pytest.fixture(scope="module")
def fedsfm_full() -> list[Entry]:
    """The full Rosfinmonitoring page, parsed once for the module."""
    return list(
        fedsfm.parse(data_file("ru-fedsfm", "fedsfm_full_2024-12-05.html").read_bytes()).entries
    )


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'real.db'}")
    db.migrate()
    return db


def test_fedsfm_full_figures(fedsfm_full: list[Entry]) -> None:
    persons = [e for e in fedsfm_full if e.kind == "person"]
    orgs = [e for e in fedsfm_full if e.kind == "organisation"]
    assert (len(persons), len(orgs)) == (16_056, 619)
    assert sum(bool(e.fields["terrorist_flag"]) for e in persons) == 13_129
    assert sum(e.birth_date is not None for e in persons) == 16_045
    # The README's 767 counts person items with a parenthesis: 745 carry aliases; in 22
    # the parenthesis is part of the place (`РЕСПУБЛИКИ САХА (ЯКУТИЯ)`), not an alias.
    with_aliases = [e for e in persons if e.aliases]
    place_parens = [e for e in persons if not e.aliases and "(" in (e.fields["place"] or "")]
    assert (len(with_aliases), len(place_parens)) == (745, 22)
    assert len(with_aliases) + len(place_parens) == 767


def import_files(
    db: Database, list_id: str, fmt: str, files: list[Path], dates: list[str | None] | None = None
) -> None:
    add_list(db, list_id, title=list_id, issuer="issuer", country="RU", fmt=fmt)
    for path, when in zip(files, dates or [None] * len(files), strict=True):
        import_snapshot(
            db, list_id, path.read_bytes(), filename=path.name, taken=when, data_dir=db_dir(db)
        )


def db_dir(db: Database) -> Path:
    return Path(db.engine.url.database).parent / "archive"


def test_fedsfm_extract_before_after(sqlite_db: Database) -> None:
    files = [data_file("ru-fedsfm", f"extract_{n}.html") for n in ("before", "after")]
    import_files(sqlite_db, "fedsfm", "ru-fedsfm-html", files, ["2024-01-01", "2024-01-02"])
    _, _, diff = diff_snapshots(sqlite_db, "fedsfm")
    surname = lambda e: e.name.split()[0]  # noqa: E731
    assert sorted(surname(e) for _, e in diff.removed) == ["АНТОНОВА", "КОЛОБОВ", "МАРАГИН"]
    assert sorted(surname(e) for _, e in diff.added) == ["ВЕРЕМЕЕВ", "ИВАНОВ", "КУРБАНОВ"]
    assert {surname(c.new): c.changes for c in diff.changed} == {
        "МИРЗОЕВ": {
            "aliases": (("МИРЗОЕВ ЗАУР ИСА",), ("МИРЗОЕВ ЗАУР ИСА", "МИРЗОЕВ ЗАУР ИСАЕВИЧ")),
            "place": ("ТУЛЬСКАЯ ОБЛАСТЬ", "Г. ТУЛА ТУЛЬСКОЙ ОБЛАСТИ"),
        },
        "АНТИПОВА": {"terrorist_flag": (True, False), "birth_date": (None, "1957-05-12")},
        "ВЛАСКИН": {
            "terrorist_flag": (False, True),
            "place": ("Г. УСТИНОВ", "Г. УСТИНОВ УДМУРТСКОЙ РЕСПУБЛИКИ"),
        },
    }


def test_fedsfm_typo_keeps_entry_one() -> None:
    before = fedsfm.parse(data_file("ru-fedsfm", "extract_before.html").read_bytes()).entries
    typo = fedsfm.parse(data_file("ru-fedsfm", "extract_before_typo.html").read_bytes()).entries
    assert typo[0].name == "КОЛОБОВ ИВАН АНДРЕЕВИЧ"
    assert typo[0].birth_date == "1998-05-16"
    assert typo == before


def raw_register(path: Path, fmt: str) -> dict[str, tuple[int, str]]:
    """Register number -> (1, exclusion date text), read with the csv/json modules only."""
    if fmt == "ru-foreign-agents-csv":
        rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
        col = next(i for i, t in enumerate(rows[0]) if "исключении" in t)
        return {r[0].strip(): (1, r[col].strip()) for r in rows[1:] if r and r[0].strip()}
    return {
        str(x["id"]).strip(): (1, str(x["dateOut"] or "").strip())
        for x in json.loads(path.read_text(encoding="utf-8"))
    }


@pytest.mark.parametrize(
    ("folder", "pattern", "fmt", "snapshots"),
    [
        ("ru-foreign-agents", "the-registry.*.csv", "ru-foreign-agents-csv", 21),
        ("ru-undesirable", "registry.*.json", "ru-undesirable-json", 12),
    ],
)
def test_registers_import_in_order_and_stay_consistent(
    sqlite_db: Database, folder: str, pattern: str, fmt: str, snapshots: int
) -> None:
    files = sorted(data_file(folder).glob(pattern))
    # Two copies share 2022-12-01; their import order (name order) breaks the tie.
    files = [f for f in files if f.suffix != ".pdf"]
    import_files(sqlite_db, folder, fmt, files)
    with sqlite_db.connect() as conn:
        from khronika.storage.lists import snapshots as snaps_of

        snaps = snaps_of(conn, folder)
    # Files with identical bytes are one snapshot; these registers have none.
    assert len(snaps) == snapshots
    for (a, path_a), (b, path_b) in zip(
        zip(snaps, files, strict=True), zip(snaps[1:], files[1:], strict=True), strict=False
    ):
        _, _, diff = diff_snapshots(sqlite_db, folder, from_ref=a["id"], to_ref=b["id"])
        assert len(diff.added) - len(diff.removed) == b["entry_count"] - a["entry_count"]
        old, new = raw_register(path_a, fmt), raw_register(path_b, fmt)
        expected = {n for n in old.keys() & new.keys() if old[n][1] != new[n][1]}
        shown = {c.new.source_id for c in diff.changed if "excluded_on" in c.changes}
        assert shown == expected, (path_a.name, path_b.name)


def test_extremist_materials_copies(sqlite_db: Database) -> None:
    files = [
        data_file("ru-extremist-materials", f"exportfsm.2025-0{d}.csv") for d in ("7-22", "8-05")
    ]
    import_files(sqlite_db, "materials", "ru-minjust-materials-csv", files)
    _, _, diff = diff_snapshots(sqlite_db, "materials")
    assert diff.counts() == {"added": 3, "removed": 0, "changed": 0}


def test_ofac_belarus_evening(sqlite_db: Database) -> None:
    files = [
        data_file("us-ofac-sdn", name)
        for name in ("sdn.2021-12-02T0141.5e6db9d.csv", "sdn.2021-12-02T1850.731c13c.csv")
    ]
    import_files(
        sqlite_db, "sdn", "us-ofac-sdn-csv", files, ["2021-12-02T01:41", "2021-12-02T18:50"]
    )
    _, _, diff = diff_snapshots(
        sqlite_db, "sdn", from_ref="2021-12-02T01:41", to_ref="2021-12-02T18:50"
    )
    assert diff.counts() == {"added": 35, "removed": 0, "changed": 0}
    assert all(any(p.startswith("BELARUS") for p in e.fields["programs"]) for _, e in diff.added)
