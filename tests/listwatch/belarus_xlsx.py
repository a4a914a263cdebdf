"""Synthetic .xlsx workbooks shaped like the MVD formations list and the KGB terrorist list.

Every name, handle, channel, ID number, date of birth and address here is invented; courts,
ministries, article numbers and legal wording follow the published structure. Each
workbook is built with openpyxl when a test asks for it (no binary is committed).

The quirks reproduced are the published files' (see docs/lists.md): numbers as text `N.`,
Excel serial and text dates, two dates in a cell, merged and empty cells, continuation
rows, URLs broken across lines or by a space, `ID:` / `ID: ` / glued `botID:`, later
decisions appended to the basis, number gaps, a UN sanctions row, `д/о`, alias notes after
`\\r\\n`, and the persons sheet not first.
"""

from __future__ import annotations

import io
from datetime import datetime

__all__ = ["kgb_terrorists", "make_workbook", "mvd_formations"]

#: A cell as written: text, a number (an Excel serial when a date), a date, or empty.
Cell = str | int | datetime | None
#: A sheet: its tab name, its rows, and merged ranges such as "A1:J1".
SheetSpec = tuple[str, list[list[Cell]], list[str]]


def make_workbook(sheets: list[SheetSpec]) -> bytes:
    """Build an .xlsx with these sheets in this order; merged values sit in the top-left cell."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows, merges in sheets:
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    cell = sheet.cell(row=r, column=c, value=value)
                    if isinstance(value, datetime):
                        cell.number_format = "DD.MM.YYYY"
        for rng in merges:
            sheet.merge_cells(rng)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_MVD_TITLE = (
    "Перечень организаций, формирований, индивидуальных предпринимателей, "
    "причастных к экстремистской деятельности"
)
_MVD_HEADER: list[Cell] = [
    "№ п/п",
    "Наименование организации, формирования, ФИО индивидуального предпринимателя",
    "Краткое наименование (участники)",
    "Ссылки",
    "Адрес (местонахождение), интернет-ресурс",
    "Основание для включения в перечень",
    "Дата вступления решения в силу",
    "Дата включения в перечень",
    "Справочная информация",
    "Логотип",
]
_RECOGNISED = (
    "«О признании группы граждан\nэкстремистским формированием\nи запрете его деятельности»"
)
_APPENDED = (
    '\nРешение МВД от 20.08.2026 № 15ЭК "О внесении дополнений в экстремистское формирование"'
)


def _filler_formation(n: int) -> list[Cell]:
    return [
        f"{n}.",
        f"Экстремистское формирование «Выдуманный канал {n}»",
        f"«Выдуманный канал {n}»",
        f"https://t.me/invented_filler_{n} ID:{1_300_000_000 + n}",
        None,
        f"Решение МВД от 01.03.2022 № {n}ЭК\n{_RECOGNISED}",
        44621,
        44621,
        None,
        None,
    ]


def mvd_formations(*, edition: int = 1, extra: int = 0) -> bytes:
    """The MVD formations workbook: a notes sheet first, then the list (sheet `Лист1`).

    Edition 1 has entries 101-105 and 107 (106 is a gap); edition 2 removes 104, adds 108,
    appends a decision to 101 and mends the space inside 102's YouTube URL (which the
    parser repairs anyway, so 102 does not change). `extra` adds filler entries 200….
    """
    first = f"Решение МВД от 27.10.2021 № 6ЭК\n{_RECOGNISED}" + (_APPENDED if edition == 2 else "")
    youtube = "https://www.youtube.com/channel/ UCinventedAAAAAAAAAA,"
    if edition == 2:
        youtube = "https://www.youtube.com/channel/UCinventedAAAAAAAAAA,"
    rows: list[list[Cell]] = [
        [_MVD_TITLE] + [None] * 9,
        _MVD_HEADER,
        list(range(1, 11)),  # the column-number row under the header
        [
            "101.",
            "Экстремистское формирование «Вымышленный двор»/«Вымышленный двор чат»",
            "«Вымышленный двор» /\n«Вымышленный двор чат»",
            "https://t.me/invented_dvor ID:1200000001\n\nhttps://t.me/invented_dvor_chat\n"
            "ID:1100000002",
            "Telegram-канал «Вымышленный двор»\nс доменным именем https://t.me/\ninvented_dvor,"
            " (ID): 1200000001,\nи Telegram-чат\n«Вымышленный двор чат»\nс доменным именем "
            "https://t.me/invented_dvor_chat, (ID): 1100000002",
            first,
            44496,
            44496,
            "Группа граждан, объединившаяся посредством\nИнтернет-ресурса «Telegram»\n"
            "«Вымышленный двор» (канала) и «Вымышленный двор чат» (чата), осуществляет "
            "экстремистскую деятельность",
            "Логотип в виде ромба с выдуманной птицей",
        ],
        [
            "102.",
            "Экстремистское формирование “ВЫДУМКА МЕДИА”",
            None,
            "https://invented.media,\nhttps://t.me/invented_media ID: 1000000003\n"
            f"{youtube}\nhttps://instagram.\ncom/invented_media\n"
            "@invented_media_bot ID: 1800000004",
            None,
            f"Решение КГБ\nот 04.11.2021 № 13/4-1700\n{_RECOGNISED}",
            "04.11.2021",
            datetime(2021, 11, 5),
            "Группа граждан, объединившаяся посредством интернет-ресурсов «ВЫДУМКА МЕДИА»",
            None,
        ],
        # A continuation row (a page break): no number, the rest of D and I.
        [None, None, None, "https://t.me/invented_botID: 1200000005", None]
        + [None, None, None, "(продолжение справки)", None],
        [
            "103.",
            "Экстремистское формирование «Небывалый чат»",
            "«Небывалый чат»",
            "https://t.me/nebyvaly_chat ID:1400000006",
            "Telegram-чат «Небывалый чат» с доменным именем https://",
            f"Решение КГБ\nот 21.09.2021 № 4/8-1279\n{_RECOGNISED}{_APPENDED}",
            "21.09.2021 20.08.2026",
            44460,
            None,
            None,
        ],
        # The rest of 103 on a second row: A and B merged over both rows (A8, B8 empty).
        [None, None, None, None, "t.me/nebyvaly_chat, (ID): 1400000006", None, None, None]
        + ["Группа граждан, осуществляющая экстремистскую деятельность", None],
        [
            "104.",
            "Экстремистское формирование «Придуманный край»",
            "«Придуманный край»",
            "https://t.me/pridumany_kraj\nID:1500000007",
            None,
            f"Решение МВД от 03.02.2022 № 10 ЭК\n{_RECOGNISED}",
            44595,  # G9:G10 and H9:H10 merged: 105 shares the dates
            44600,
            None,
            None,
        ],
        [
            "105.",
            "Экстремистское формирование «Выдуманная сотня»",
            "«Выдуманная сотня»",
            None,  # D empty
            "Telegram-канал «Выдуманная сотня» с доменным именем https://t.me/vydumannaya_sotnya",
            f"Решение МВД от 03.02.2022 № 11ЭК\n{_RECOGNISED}",
            None,
            None,
            None,
            None,
        ],
        ["Экстремистские организации"] + [None] * 9,  # a section title merged A:J
        [
            "107.",
            "Экстремистская организация «Выдуманный союз»",
            "«Выдуманный союз» / «ВС»",
            None,
            "г. Выдуманск, ул. Небывалая, д. 1",
            "Решение Экономического суда г. Минска\nот 14.06.2022",
            "14.06.2022",
            "23.09.2022 13.04.2023",
            None,
            None,
        ],
    ]
    merges = ["A1:J1", "A7:A8", "B7:B8", "G9:G10", "H9:H10", "A11:J11"]
    if edition == 2:
        del rows[8]  # 104 goes; 105 keeps the dates it shared
        rows[8][6:8] = [44595, 44600]
        merges = ["A1:J1", "A7:A8", "B7:B8", "A10:J10"]
        rows.append(
            [
                "108.",
                "Экстремистское формирование «Новая выдумка»",
                "«Новая выдумка»",
                "https://t.me/novaya_vydumka ID: 1600000008",
                None,
                f"Решение МВД от 20.08.2026 № 16ЭК\n{_RECOGNISED}",
                46254,
                46254,
                None,
                None,
            ]
        )
    rows.extend(_filler_formation(n) for n in range(200, 200 + extra))
    notes: list[list[Cell]] = [
        ["Пояснения к перечню"],
        ["Сведения обновляются по мере поступления"],
    ]
    return make_workbook([("Пояснения", notes, []), ("Лист1", rows, merges)])


_UN_BASIS = (
    "Санкционный перечень Комитета Совета Безопасности ООН, учрежденный резолюцией 1718 (2006), "
    "номер по перечню ООН KPi.000"
)
_PERSON_HEADER: list[Cell] = [
    "№ п/п",
    "Фамилия, имя, отчество (русскоязычное написание)",
    "Фамилия, имя, отчество (латинская либо национальная транслитерация)",
    "Гражданство",
    "Дата рождения",
    "Адрес",
    "Основание включения в перечень",
    "Справочная информация",
]
_BY = "Республика Беларусь"


def _persons(edition: int, extra: int) -> list[list[Cell]]:
    accused_1701 = "Обвиняется по ст. 289, ч. 4 ст. 309 УК"
    if edition == 2:
        accused_1701 = (
            "Вступил в законную силу приговор суда о признании виновным в совершении "
            "преступления, предусмотренного ст. 289 Уголовного кодекса Республики Беларусь"
        )
    rows: list[list[Cell]] = [
        [1, "Кимов Выдуман Ирович ", " KIMOV VYDUMAN \r\nМожет быть также известен как: \r\n д/о"]
        + ["Государство Небыль", 23000, "д/о", _UN_BASIS, "д/о"],
        [
            990,
            "Вымыслов Олег Анатольевич" if edition == 1 else "Вымыслов Олег Анатолиевич",
            "VYMYSLAU ALEH\r\nНа основании достоверных источников также известен как: "
            "Придумкин Олег Анатольевич, Pridumkin Aleh",
            _BY,
            35000,
            "Гомельская область",
            "Вступил в законную силу приговор суда о признании виновным в совершении "
            "преступлений, предусмотренных ст. 130, ст. 290-5, ст. 361 Уголовного кодекса "
            "Республики Беларусь",
            None,
        ],
        [1701, "Небылицын Пётр Сергеевич", "NIEBYLICYN PIOTR", _BY, "01.01.1990"]
        + ["г. Вильнюс, Литовская Республика", accused_1701, None],
        [
            1702,
            "Придумова Анна Ивановна",
            "PRYDUMAVA HANNA, может быть известна как Выдумова Анна",
            _BY,
            "7.4.1985",
            "г. Выдуманск",
            "Вступил в законную силу приговор суда о признании виновной в совершении "
            "преступлений, предусмотренныхст. 289-1, ст. 290-1 Уголовного кодекса",
            "Отбывает наказание",
        ],
        [1703, "Старинов Игнат Фомич", "STARYNAU IHNAT", "д/о", 18000]
        + ["д/о", "Обвиняется по ст.ст 130, 361,203,342 УК", None],
        [1704, "Датов Ян Янович", "DATAU IAN", _BY, datetime(1979, 7, 30)]
        + ["г. Нигде", "Обвиняется по ст.289, ст.359 УК", None],
    ]
    if edition == 1:
        rows.append(
            [1706, "Неточный Лука Лукич", "д/о", _BY, "Между 1965 и 1969"]
            + ["д/о", "Обвиняется по ч. 4 ст. 295 УК", None]
        )
    else:
        rows.append(
            [1710, "Новиков Тарас Янович", "NAVIKAU TARAS", _BY, "27.07.1998"]
            + ["г. Придуманск", "Обвиняется по ст. 361-1 УК", None]
        )
    rows.extend(
        [n, f"Запасов{n} Ян Янович", f"ZAPASAU{n} IAN", _BY, 30000 + n, "д/о"]
        + ["Обвиняется по ст. 361 УК", None]
        for n in range(3000, 3000 + extra)
    )
    return rows


def kgb_terrorists(*, edition: int = 1, extra: int = 0) -> bytes:
    """The KGB workbook: organisations, then persons, then terrorist organisations.

    Persons: a UN row (1), 990, 1701-1704, and 1706 with a birth-year range (1705 is a gap);
    edition 2 corrects 990's patronymic, turns 1701 from accused to convicted, removes 1706
    and adds 1710. Each sheet numbers from 1. `extra` adds filler persons 3000….
    """
    title = "Перечень организаций и физических лиц, причастных к террористической деятельности"
    persons = [[title] + [None] * 7, _PERSON_HEADER, *_persons(edition, extra)]
    organisations: list[list[Cell]] = [
        [title] + [None] * 5,
        ["№ п/п", "Наименование", "Наименование (латинская транслитерация)", "Адрес"]
        + ["Основание включения в перечень", "Справочная информация"],
        [1, "Выдуманное движение «Рассвет»", "VYDUMANNAJE RUCH RASSVIET", "д/о"]
        + ["Решение КГБ от 12.01.2023 № 1", "д/о"],
        [4, "Небывалый фонд", "д/о", "г. Нигде", "Решение КГБ от 02.02.2024 № 7", None],
    ]
    terrorist: list[list[Cell]] = [
        ["№ п/п", "Наименование организации", "Основание включения в перечень"],
        [1, "Организация «Выдуманный фронт»", "Решение Верховного Суда от 01.06.2023"],
        [2, "Организация «Придуманный легион»", "Решение Верховного Суда от 05.09.2024"],
    ]
    return make_workbook(
        [
            ("Перечень организаций", organisations, ["A1:F1"]),
            ("Перечень физических лиц", persons, ["A1:H1"]),
            ("Перечень террорист. организаций", terrorist, []),
        ]
    )
