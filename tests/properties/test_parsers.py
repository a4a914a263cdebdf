"""Property-based tests of every parser of outside input: whatever bytes arrive, each one
answers with a result or a clear, typed error (never a crash), and what it accepts it
reads right. Fixed seed (`derandomize`) and bounded examples keep the suite's time; the
unbounded coverage-guided run is `make fuzz` (bench/fuzz.py)."""

from __future__ import annotations

import calendar
import csv
import io
import json
import zipfile
from datetime import date
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from khronika.errors import InvalidValue, KhronikaError
from khronika.interchange import read_ndjson
from khronika.interchange.csvzip import read_csv_zip
from khronika.listwatch.entries import KINDS
from khronika.listwatch.formats import FORMATS
from khronika.model.dates import PartialDate
from khronika.names.parse import parse_name
from khronika.registry.validate import BrokenLine, Checked, RawRecord, check_record

FAST = settings(
    derandomize=True,
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Text as the field writes it: Cyrillic (Russian, Belarusian), Latin with diacritics,
# digits, punctuation of lists and names, and the odd control character.
FIELD_TEXT = st.text(
    alphabet=st.sampled_from(
        "АБВГДЕЁЖЗІЙКЛМНОПРСТУЎФХЦЧШЫЬЭЮЯабвгдеёжзійклмнопрстуўфхцчшыьэюяʼ'’"
        'ABCDEHIKLMNOPRSTUVZabcdehiklmnoprstuvzłśćźżčšžėū0123456789 .,;:()-–—/"«»\t\n\x00'
    ),
    max_size=120,
)


@FAST
@given(st.dates(min_value=date(1800, 1, 1), max_value=date(9999, 12, 31)))
def test_a_full_date_reads_as_one_day(d: date) -> None:
    text = f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
    p = PartialDate.parse(text)
    assert p.lower == p.upper == text


@FAST
@given(st.integers(1800, 9999), st.integers(1, 12))
def test_a_month_spans_its_days(year: int, month: int) -> None:
    p = PartialDate.parse(f"{year:04d}-{month:02d}")
    last = calendar.monthrange(year, month)[1]
    assert (p.lower, p.upper) == (
        f"{year:04d}-{month:02d}-01",
        f"{year:04d}-{month:02d}-{last:02d}",
    )


@FAST
@given(st.one_of(FIELD_TEXT, st.from_regex(r"\d{4}-\d{2}(-\d{2})?", fullmatch=True)))
@example("2021-02-30")
@example("2021-13")
@example("0000")
def test_any_text_is_a_date_or_a_clear_error(text: str) -> None:
    try:
        p = PartialDate.parse(text)
    except InvalidValue as e:
        assert str(e)
    else:
        assert p.lower <= p.upper


@FAST
@given(st.lists(st.one_of(st.binary(max_size=80), FIELD_TEXT.map(str.encode)), max_size=8))
def test_ndjson_lines_are_records_or_broken_lines_with_their_number(lines: list[bytes]) -> None:
    body = b"\n".join(line.replace(b"\n", b" ") for line in lines) + b"\n"
    for raw in read_ndjson(io.BytesIO(body), "f"):
        name, _, number = raw.where.partition(":")
        assert name == "f" and 1 <= int(number) <= len(lines)
        checked = check_record(raw)
        assert isinstance(checked, Checked) or (checked and all(p.reason for p in checked))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | FIELD_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(FIELD_TEXT, inner, max_size=3),
    max_leaves=8,
)


@FAST
@given(
    st.sampled_from(["person", "event", "source", "organisation", "facility", "meta", "x"]),
    st.dictionaries(
        st.sampled_from(
            [
                "id",
                "names",
                "date",
                "kind",
                "person",
                "sources",
                "visibility",
                "details",
                "url",
                "birth_date",
                "sex",
                "region",
                "recorded",
                "title",
                "informant_note",
            ]
        ),
        JSON_VALUES,
        max_size=6,
    ),
)
def test_any_record_is_checked_or_every_problem_named(rtype: str, fields: dict[str, Any]) -> None:
    data = {"type": rtype, **fields}
    line = json.dumps(data, ensure_ascii=False).encode()
    [raw] = list(read_ndjson(io.BytesIO(line + b"\n"), "f"))
    assert not isinstance(raw.data, BrokenLine)
    checked = check_record(RawRecord(raw.where, data, len(line)))
    if isinstance(checked, list):
        assert checked and all(p.where == "f:1" and p.reason for p in checked)
    else:
        assert checked.rtype == rtype


# Found by `make fuzz`: a central directory whose file name is not UTF-8.
FUZZ_ZIP = (
    b"PK\x01\x02\x00\x00\x00\x00\x00"
    + b"\xff" * 15
    + b"\xfbK\x00\x00"
    + b"\xff" * 9
    + b"\xfbK"
    + b"\x00" * 13
    + b"\xff\xffK"
    + b"\x00" * 8
    + b"P\x06 \x00\xff\xff\xff0"
    + b"\x00" * 4
    + b"PK\x05\x06&\xa6\xa6\xa6\xa6$\xa6PK"
    + b"\x00" * 5
    + b"\x02"
    + b"\x00" * 5
)


@FAST
@given(st.binary(max_size=300))
@example(FUZZ_ZIP)
@example(
    b"PK\x01\x02\x97\x97\x97\x97\x17\x97\x97\x97\x97\x97\x97\x97\x97\x97\x97\x97\x97\x00\x97\x97;\x97\x97\x97\x97\x97\x97\x97\x97\x97\x97\x97\x97\x97\x97\x97\x97\x97PK\x06\x07\n\x00PK\x05\x06\x05\x06K\x05\x06\x00\x0000\x00\x00\x00\xfcPK\x00\x00\x00"
)  # a zip version zipfile does not read
def test_any_bytes_as_a_csv_zip_are_broken_lines_not_a_crash(data: bytes) -> None:
    for raw in read_csv_zip(io.BytesIO(data), "z"):
        assert isinstance(raw.data, (BrokenLine, dict))


@FAST
@given(st.lists(st.lists(FIELD_TEXT, min_size=1, max_size=4), max_size=5))
def test_csv_zip_rows_come_back_with_their_line(rows: list[list[str]]) -> None:
    buf = io.BytesIO()
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["id", "names", "visibility"])
    writer.writerows(rows)
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("people.csv", text.getvalue())
    buf.seek(0)
    for raw in read_csv_zip(buf, "z"):
        assert raw.where.startswith("z/people.csv:")
        assert isinstance(raw.data, (BrokenLine, dict))


@FAST
@given(FIELD_TEXT)
@example("ИВАНОВ Иван Иванович")
@example("Вярбіцкая А.")
@example(", , ,")
def test_any_text_parses_as_a_name(text: str) -> None:
    parsed = parse_name(text)
    assert parsed is not None


LIST_LINES = st.lists(
    st.one_of(
        FIELD_TEXT,
        st.builds(
            lambda n, name, born: f"{n}. {name}, {born} г.р.;",
            st.integers(0, 99999),
            FIELD_TEXT,
            st.from_regex(r"\d{2}\.\d{2}\.\d{4}", fullmatch=True),
        ),
    ),
    max_size=10,
)


@FAST
@given(
    st.sampled_from(sorted(FORMATS)),
    st.one_of(
        st.binary(max_size=400),
        LIST_LINES.map(lambda lines: "\n".join(lines).encode("utf-8")),
        LIST_LINES.map(lambda lines: "\n".join(lines).encode("cp1251", errors="replace")),
    ),
)
@example("ru-minjust-materials-csv", b"\n")  # found by `make fuzz`: an empty first row
def test_every_list_format_reads_or_refuses_clearly(name: str, data: bytes) -> None:
    fmt = FORMATS[name]
    try:
        result = fmt.parse(data)
    except KhronikaError as e:
        assert str(e)
    else:
        for entry in result.entries:
            assert entry.name.strip() and entry.kind in KINDS
            if entry.birth_date is not None:
                PartialDate.parse(entry.birth_date)
