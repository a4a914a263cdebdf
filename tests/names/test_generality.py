"""Generality, not memory: no surname of the development pairs is written into the package.

The matcher's rules must carry to names nobody wrote down, so the package's code and data
files must not know the surnames it is measured on.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from khronika.names.given import given_names, spelling_key

PACKAGE = Path(__file__).resolve().parents[2] / "khronika"
_PATRONYMIC = re.compile(r"(вич|вна|віч|ўна|ична|ich|vna|ovna|evna)$", re.IGNORECASE)


def dev_surnames(path: Path) -> set[str]:
    """Every word of the pairs that is neither a given name of the table nor a patronymic."""
    table = given_names()
    literal = {spelling_key(f) for row in table.rows for f in row.full_forms + row.short}
    out: set[str] = set()
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for name in (row["a"], row["b"]):
                words = re.findall(r"[\w'’-]+", name)
                for i, w in enumerate(words):
                    if len(words) >= 3 and i > 0 and _PATRONYMIC.search(w):
                        continue
                    if spelling_key(w) in literal:
                        continue
                    out.add(w.lower())
    return out


@pytest.mark.realdata
def test_no_dev_surname_in_package(names_data: Path) -> None:
    surnames = dev_surnames(names_data / "dev_pairs.csv")
    assert len(surnames) > 80  # the pairs name well over 80 different surnames
    offenders = []
    for file in sorted(PACKAGE.rglob("*")):
        if not file.is_file() or file.suffix not in {".py", ".csv", ".json", ".txt", ".md", ".tsv"}:
            continue
        text = file.read_text(encoding="utf-8").lower()
        for s in surnames:
            if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text):
                offenders.append(f"{file.relative_to(PACKAGE)}: {s}")
    assert not offenders, "dev_pairs surnames found in the package:\n" + "\n".join(offenders)


def test_surname_extraction_skips_given_names_and_patronymics(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "a,b,same_person,mention,note\nГанна Кандыбовіч,Кандыбович Анна Петровна,1,,x: y\n",
        encoding="utf-8",
    )
    assert dev_surnames(pairs) == {"кандыбовіч", "кандыбович"}
