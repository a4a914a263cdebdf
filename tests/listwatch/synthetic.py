"""Synthetic table files shaped like the Belarusian lists (.xlsx and .docx), built in tests.

Every name here is invented. The shapes follow the published files: a title row merged
across the width, a two-row header with a merged group cell, numbered rows, and a merged
section title before each part, where numbering restarts at 1.
"""

from __future__ import annotations

import io

__all__ = ["BY_PERSONS_PARTS", "make_docx", "make_xlsx", "persons_table"]

#: (part title, [(surname-first name, birth date, place)]) — numbering restarts per part.
BY_PERSONS_PARTS: list[tuple[str, list[tuple[str, str, str]]]] = [
    (
        "Часть 1",
        [
            ("ВЫДУМКИНА Алеся Петровна", "12.03.1990", "г. Несвижград"),
            ("ПРИДУМОВИЧ Янка Сымонович", "01.11.1985", "г. Лесогорск"),
        ],
    ),
    (
        "Часть 2",
        [
            ("НЕБЫЛЬСКИЙ Тарас Миколаевич", "30.07.1979", "д. Придуманка"),
            ("ВЫДУМКИНА Алеся Петровна", "12.03.1991", "г. Несвижград"),
        ],
    ),
]


def persons_table(
    parts=BY_PERSONS_PARTS,
) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """Rows (title, two header rows, parts) and merged ranges (row, col, row2, col2; 1-based)."""
    rows: list[list[str]] = [
        ["Перечень лиц, причастных к экстремистской деятельности (синтетический)", "", "", ""],
        ["№ п/п", "Фамилия, собственное имя, отчество", "Сведения", ""],
        ["", "", "Дата рождения", "Место рождения"],
    ]
    merges = [(1, 1, 1, 4), (2, 1, 3, 1), (2, 2, 3, 2), (2, 3, 2, 4)]
    for title, people in parts:
        rows.append([title, "", "", ""])
        merges.append((len(rows), 1, len(rows), 4))
        for n, (name, born, place) in enumerate(people, start=1):
            rows.append([str(n), name, born, place])
    return rows, merges


def make_xlsx(rows: list[list[str]], merges: list[tuple[int, int, int, int]]) -> bytes:
    """Build an .xlsx with `rows` and merged ranges (the merged value in the top-left cell)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value:
                sheet.cell(row=r, column=c, value=int(value) if value.isdigit() else value)
    for r1, c1, r2, c2 in merges:
        sheet.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_docx(rows: list[list[str]], merges: list[tuple[int, int, int, int]]) -> bytes:
    """Build a .docx with one table of `rows`, cells merged as given."""
    import docx

    document = docx.Document()
    document.add_paragraph("Синтетический перечень")
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for r1, c1, r2, c2 in merges:
        keep = table.cell(r1 - 1, c1 - 1).text
        merged = table.cell(r1 - 1, c1 - 1).merge(table.cell(r2 - 1, c2 - 1))
        merged.text = keep
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
