"""`us-ofac-sdn-csv`: the US Treasury OFAC Specially Designated Nationals list (`sdn.csv`).

Headerless, twelve columns: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign,
Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks; `-0-` means empty. `ent_num` is
the list's own identifier. Aliases (`a.k.a. '…'`), the first date of birth (`DOB …`) and
place of birth (`POB …`) are read from the remarks, which are compared as a whole too.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from khronika.listwatch.entries import Entry, ParseError, ParseResult
from khronika.listwatch.formats.declaration import Format
from khronika.listwatch.text import clean, decode, parse_date

__all__ = ["FORMAT", "parse"]

_EMPTY = "-0-"
_AKA = re.compile(r"\b[fn]?\.?k\.a\.\s*'([^']+)'|\ba\.k\.a\.\s*'([^']+)'")
_DOB = re.compile(r"\bDOB ((?:circa )?[0-9A-Za-z ]+?\d{4})")
_POB = re.compile(r"\bPOB ([^;.]+(?:\.[^;.]+)*?)(?:;|\.$|$)")
_KINDS = {"individual": "person", "vessel": "other", "aircraft": "other"}


def parse(data: bytes, *, options: dict[str, Any] | None = None) -> ParseResult:
    """Parse `sdn.csv`; the ent_num becomes the source id.

    Raises:
        ParseError: when a row has fewer than 12 columns or a non-numeric ent_num.
    """
    rows = csv.reader(io.StringIO(decode(data).replace("\x1a", ""), newline=""))
    entries = []
    for line, row in enumerate(rows, start=1):
        if not row or not any(c.strip() for c in row):
            continue
        if len(row) < 12 or not row[0].strip().isdigit():
            raise ParseError(f"line {line}: not an sdn.csv row (12 columns, ent_num first)")
        cells = [_value(c) for c in row]
        remarks = cells[11] or ""
        aliases = tuple(sorted({clean(a or b) for a, b in _AKA.findall(remarks)}))
        dob = _DOB.search(remarks)
        pob = _POB.search(remarks)
        programs = tuple(
            sorted(
                {clean(p) for p in re.split(r"\]\s*\[", cells[3] or "") if clean(p.strip("[] "))}
            )
        )
        vessel = " | ".join(c or "" for c in cells[5:11]) if any(cells[5:11]) else None
        entries.append(
            Entry(
                name=cells[1] or "",
                kind=_KINDS.get((cells[2] or "").lower(), "organisation"),
                source_id=cells[0],
                birth_date=parse_date(dob[1]) if dob else None,
                fields={
                    "aliases": aliases,
                    "place": clean(pob[1]) if pob else None,
                    "programs": tuple(p.strip("[] ") for p in programs),
                    "title": cells[4],
                    "vessel": vessel,
                    "remarks": cells[11],
                },
            )
        )
    return ParseResult(tuple(entries))


def _value(cell: str) -> str | None:
    text = clean(cell)
    return None if text in ("", _EMPTY) else text


#: What `khronika.listwatch.formats` registers; last, so that all it names is defined.
FORMAT = Format(
    name="us-ofac-sdn-csv",
    version="1",
    identity="source_id",
    fields={
        "name": "SDN_Name",
        "aliases": "`a.k.a.` and `f.k.a.` names from the remarks, as a set",
        "birth_date": "the first `DOB` in the remarks (partial ISO date)",
        "place": "the first `POB` in the remarks",
        "programs": "sanctions programmes (e.g. BELARUS-EO14038), as a set",
        "title": "Title",
        "vessel": "call sign, vessel type, tonnage, GRT, flag and owner, joined (vessels only)",
        "remarks": "Remarks as published",
    },
    parse=parse,
)
