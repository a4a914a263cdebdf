"""Synthetic Word lists shaped like Mininform's extremist materials and the MVD's persons list.

Every name, handle, channel, ID number, date of birth and address here is invented; courts,
article numbers and legal wording follow the published structure. Each list is built in
two forms from the same rows: a .docx (python-docx, when a test asks for it: no binary is
committed) and the tab-separated text word-extractor prints from the .doc (rows end with
`\\t\\n`, cells with `\\t`, line breaks inside a cell stay). The committed text fixtures in
tests/fixtures/lists/ are this module's text form (`write_fixtures` regenerates them).

Quirks reproduced (see docs/lists.md):

* materials: title and header row; a row split by a page break (empty court cell, then a
  row with an empty Вид cell); a row with an empty court cell and no continuation; courts
  under art. 314 ГПК and art. 302 КГС, an old «вступило в законную силу» cell broken inside
  a date, «от\\n15 января»; several identifiers in one cell separated by `;\\n`; Latin
  look-alike letters (`Cтраница`, `Книжнoе`, `Навiны`) and a Cyrillic `е` in a Latin name;
  `Вид` with a trailing line break; a bare `@handle` after a double space; a URL broken
  by a space and an ID glued to a URL; curly quotes; a cancelled decision; a cell that
  starts with a line break (a false row end in the text form); a hyperlink in the .docx;
* persons: title and two-level header (a group cell over two sub-columns); names over
  several lines; an excluded row (number and dashes); two inclusion dates; empty
  citizenship; a three-digit birth year; an empty birth date; a single-word name with `-`
  transliteration; unnumbered fresh entries, one with an extra empty cell after the name;
  plural, cut-off and ruling (`постановление`) bases; «статей» for «статьи»; a glued
  «Могилевав»; row ends `\\t\\n`, `\\t\\t` and a run of empty cells at a page break.
"""

from __future__ import annotations

import io
from pathlib import Path

__all__ = [
    "MATERIALS_HEADER",
    "PERSONS_WIDTH",
    "mininform_docx",
    "mininform_rows",
    "mininform_text",
    "mvd_persons_docx",
    "mvd_persons_rows",
    "mvd_persons_text",
    "write_fixtures",
]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists"

MATERIALS_TITLE = "РЕСПУБЛИКАНСКИЙ СПИСОК ЭКСТРЕМИСТСКИХ МАТЕРИАЛОВ"
MATERIALS_HEADER = [
    "Вид экстремистских материалов (символика и атрибутика, информационная продукция)",
    "Наименование, автор, изготовитель символики и атрибутики, информационной продукции",
    "Наименование суда, вынесшего решение, и дата вступления его в силу",
]
_GPK = (
    "Подлежит немедленному исполнению в соответствии с 314 статьей Гражданского "
    "процессуального кодекса"
)
_KGS = (
    "Подлежит немедленному исполнению в соответствии со статьей 302 Кодекса гражданского "
    "судопроизводства Республики Беларусь"
)
_INFO = "Информационная продукция"
#: The URL of edition 1's first row, written as a hyperlink in the .docx.
HYPERLINK = "https://t.me/fictional_lida_news"


def mininform_rows(*, edition: int = 1, extra: int = 0) -> list[list[str]]:
    """The data rows (Вид, Наименование, суд) of an edition; an empty row is a page break."""
    threads = (
        "https://www.threads.com/ invented" if edition == 1 else "https://www.threads.com/invented"
    )
    centre = "г. Минска" if edition == 1 else "г.Минска"
    rows: list[list[str]] = [
        [
            _INFO,
            'Telegram-канал с названием "Вымышленные новости Лиды", имеющий идентификатор '
            f"{HYPERLINK} и идентификатор (ID), содержащий последовательность цифр 1001234567890.",
            f"Решение суда Лидского района Гродненской области\nот 14 апреля 2022 года.\n{_GPK}",
        ],
        [
            _INFO + "\n",
            'Instagram-аккаунт с названием "invented_akk" (Пётр Выдумкин | Выдуманный блог), '
            "имеющий идентификатор https://www.instagram.com/invented_akk;\n"
            # A Cyrillic е (U+0435) inside the Latin name, as the list has it.
            'TikTok-аккаунт с названием "Fr\u0435sh Vymysel", имеющий идентификатор '
            "https://www.tiktok.com/@fake.user77;\n"
            'Telegram-чат под названием "Чат выдумки", имеющий идентификатор (ID), содержащий '
            "последовательность цифр 2000000001;\n"
            'Telegram-бот "@invented_help_bot", имеющий идентификатор (ID) содержащий '
            "последовательность цифр 5000000002;\n"
            'Интернет сайт "Выдумка", имеющий идентификатор https://invented-site.example.',
            f"Решение суда Ленинского района г.Могилева\nот 18 августа 2026 года.\n{_KGS}",
        ],
        [
            _INFO,
            "материалы размещены на информационных ресурсах в сети Интернет\n"
            "(URL https://vk.com/invented_soc; https://vk.com/invented_info; "
            "https://twitter.com/invented_eco)",
            f"Решение суда Центрального района {centre} от 30 июня\n"
            "2015 года, вступило в законную силу 13 июля 2015 года",
        ],
        # A row broken by a page break: no court cell here ...
        [
            _INFO,
            # A Latin o in «Книжнoе».
            'Книжнoе издание "Выдуманная кніга / Янка Прыдуманы. - Вільня: Выдумка, 2007. - 252 с."',
            "",
        ],
        ["", "", ""],
        # ... and no Вид cell in its continuation.
        [
            "",
            "-информационный материал от 17.06.2014 «Вымышленный выпуск № 3».",
            "Решение суда Октябрьского района г. Гродно от 4 сентября 2014 года, "
            "вступило в законную силу 16 сентября 2014 года",
        ],
        [
            _INFO,
            # A Latin C in «Cтраница», Latin i in «Навiны Выдумкi».
            'Cтраница в социальной сети "Одноклассники" с названием "Навiны Выдумкi", имеющая '
            "идентификатор ID, содержащий последовательность цифр 577000000001;\n"
            'Telegram-канал с названием "Игра выдумки", имеющий идентификатор  @invented_game.',
            f"Решение суда\nСоветского района г.Минска\nот\n15 января 2024 года.\n{_GPK} "
            "Республики Беларусь",
        ],
    ]
    if edition == 1:
        rows.append(
            [
                "Символика и атрибутика",
                "Логотип (водяной знак) в виде вымышленного ромба с надписью «ВЫДУМКА».",
                f"Решение суда Барановичского района и г.Барановичи от 2 марта 2023 года. {_GPK}",
            ]
        )
    rows += [
        [
            _INFO,
            'Аккаунт в социальной сети \u201dThreads\u201c с названием "invented", имеющий '
            f"идентификатор {threads};\n"
            'Telegram-канал "Выдумка 24", имеющий идентификатор https://t.me/invented 1513000000;;',
            f"Решение суда Ленинского  района г. Бреста от 11 ноября 2025 года.\n{_KGS}",
        ],
        [
            _INFO,
            'Telegram-чат "Отменённая выдумка", имеющий идентификатор https://t.me/invented_cancel.',
            "Решение суда. Отменено определением суда.",
        ],
        # An empty court cell, and the next row is not its continuation.
        [
            _INFO,
            'YouTube-канал с названием "Выдумка ТВ", имеющий идентификатор '
            "https://www.youtube.com/@invented_tv.",
            "",
        ],
        [
            _INFO,
            # Starts with a line break: in the text form a `\t\n` inside the row.
            '\nИнтернет-сайт "Придуманный сайт", имеющий идентификатор  https://invented.site.',
            "Решение суда Минского района минской области от 5 мая 2021 года. " + _GPK,
        ],
    ]
    if edition == 2:
        rows.append(
            [
                _INFO,
                'Telegram-канал с названием "Новая выдумка", имеющий идентификатор '
                "https://t.me/invented_new.",
                f"Решение суда Лоевского района Гомельской области от 1 сентября 2026 года.\n{_KGS}",
            ]
        )
    rows += [
        [
            _INFO,
            f'Telegram-канал с названием "Выдумка {i}", имеющий идентификатор '
            f"https://t.me/invented_extra_{i}.",
            f"Решение суда Первомайского района г. Витебска от {i % 28 + 1} мая 2025 года. {_GPK}",
        ]
        for i in range(extra)
    ]
    return rows


def mininform_text(*, edition: int = 1, extra: int = 0, encoding: str = "utf-8") -> bytes:
    """The list as word-extractor prints the .doc: title, header, rows ending `\\t\\n`."""
    out = f"{MATERIALS_TITLE}\n\n" + "\t".join(MATERIALS_HEADER) + "\t\n"
    for row in mininform_rows(edition=edition, extra=extra):
        out += "\t".join(row) + "\t\n"
    return out.encode(encoding)


def mininform_docx(*, edition: int = 1, extra: int = 0) -> bytes:
    """The list as a .docx: a title paragraph and one three-column table, header first."""
    import docx

    document = docx.Document()
    document.add_paragraph(MATERIALS_TITLE)
    rows = [MATERIALS_HEADER, *mininform_rows(edition=edition, extra=extra)]
    table = document.add_table(rows=len(rows), cols=3)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if r == 1 and c == 1:
                _write_with_link(table.cell(r, c), text, HYPERLINK)
            else:
                _write(table.cell(r, c), text)
    return _save(document)


PERSONS_TITLE = (
    "ПЕРЕЧЕНЬ\nграждан Республики Беларусь, иностранных граждан или лиц без гражданства,\n"
    "причастных к экстремистской деятельности"
)
#: The table's grid: nine columns, and one more for the row with an extra empty cell.
PERSONS_WIDTH = 10
_PERSONS_HEADER = [
    [
        "№\nп/п",
        "Фамилия, собственное имя, отчество (если таковое имеется) гражданина",
        "",  # merged with the cell before: the name spans two sub-columns
        "Гражданство",
        "Дата\nрождения",
        "Основание\nдля\nвключения\nв перечень",
        "Дата\nвключения\nв перечень",
        "Местонахождение",
        "Справочная\nинформация",
    ],
    [
        "",
        "русскоязычное написание",
        "латинская либо национальная транслитерация",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
]
_VERDICT = "Вступивший в законную силу приговор суда"
_CODE = "Уголовного кодекса Республики Беларусь"


def mvd_persons_rows(*, edition: int = 1, extra: int = 0) -> list[tuple[list[str], str]]:
    """The data rows of a part, each with the row end the text form gives it."""
    dashes = ["-"] * 8
    rows: list[tuple[list[str], str]] = [
        (
            [
                "1",
                "Выдумкин\nПётр \nСергеевич",
                "VYDUMKIN\nPIOTR",
                "Республика Беларусь",
                "11.05.1984",
                f"{_VERDICT} Быховского района Могилевской области в связи с совершением "
                f"преступления, предусмотренного статьей 369 {_CODE}",
                "23.03.2022",
                "Республика Беларусь,\nМогилевская область, Быховский район, д. Вымышлянка",
                "Отбывает\nнаказание" if edition == 1 else "Судимость не погашена",
            ],
            "\t\n",
        ),
        (["2", *dashes], "\t\t"),
        (
            [
                "3",
                "Придумова\nАнна \nИвановна",
                "PRYDUMAVA\nHANNA",
                "Республика Беларусь",
                "19.06.1997",
                f"{_VERDICT} \nЦентрального района \nг. Минска в связи с совершением преступлений, "
                "предусмотренных частью 1 статьи 342, статьей 364 и частью 1 статьи 368 \n"
                "Уголовного кодекса \nРеспублики Беларусь",
                "23.03.2022\n\n04.04.2025",
                "Республика Беларусь,\nг. Речица",
                "Судимость\nне погашена",
            ],
            "\t\t\n",
        ),
        (
            [
                "4",
                "Небылицын Ян Янович",
                "NIEBYLICYN IAN",
                "",
                "07.04.198" if edition == 1 else "07.04.1985",
                "Вступившие в законную силу приговора суда Оршанского района Витебской области и "
                "Витебского областного суда в связи с совершением преступлений, предусмотренных "
                f"частями 1, 2 статьи 361-4 и частью 3 статьи 361-1 {_CODE}",
                "15.01.2024",
                "Без определенного места жительства",
                "Освобожден от уголовной ответственности в соответствии со статьями 1,2 Закона "
                "Республики Беларусь от 19.07.2019 «Об амнистии»",
            ],
            "\t\n",
        ),
        (
            [
                "5",
                "Выдумка",
                "-",
                "Республика Беларусь",
                "",
                "Вступивший в законную силу приговор суда Ленинского района г. Могилевав связи с "
                "совершением преступлений, предусмотренных статьями 368, 369 Уголовного кодекса",
                "02.02.2023",
                "Республика Беларусь, г. Могилев",
                "Отбывает наказание",
            ],
            "\t\n",
        ),
        ([], "\t" * 7 + "\n"),  # a page break: a run of empty cells
        (
            [
                "6",
                "Сочинёнок Алесь Петрович",
                "SACHYNIONAK ALES",
                "Республика Беларусь",
                "30.12.1979",
                "силу приговор судебной коллегии по уголовным делам Брестского областного суда "
                f"в связи с совершением преступления, предусмотренного статей 369 {_CODE}",
                "10.10.2023",
                # A Latin i in «Навiчы».
                "Республика Беларусь, Брестская область, г. Навiчы",
                "Отбывает наказание",
            ],
            "\t\n",
        ),
        (
            [
                "7",
                "Вымыслова Ольга Андреевна",
                "VYMYSLAVA VOLHA",
                "Республика Беларусь",
                "01.01.1990",
                "Вступившее в законную силу постановление суда Оршанского района о прекращении "
                "производства по уголовному делу по части 1 статьи 368 Уголовного кодекса",
                "05.06.2024",
                "Республика Беларусь, г. Орша",
                "Освобожден от уголовной ответственности",
            ]
            if edition == 1
            else ["7", *dashes],
            "\t\n",
        ),
        (
            [
                "" if edition == 1 else "8",
                "Сочинов Олег",
                "Sochinovs\nOlegs",
                "Латвийская Республика",
                "07.03.1991",
                "Вступивший в законную силу приговор Минского городского суда в связи с "
                f"совершением преступления, предусмотренного частью 3 статьи 361-1 {_CODE}",
                "04.09.2026",
                "Республика Беларусь, г. Гомель",
                "Отбывает наказание",
            ],
            "\t\n",
        ),
        (
            [
                "",
                "Фантазёр Игорь Игоревич",
                "",  # the extra empty cell after the name
                "FANTAZIOR IHAR",
                "Республика Беларусь",
                "12.12.2000",
                f"{_VERDICT} Советского района г. Гомеля в связи с совершением преступления, "
                f"предусмотренного частью 1 статьи 342 {_CODE}",
                "04.09.2026",
                "Республика Беларусь, г. Гомель",
                "Отбывает наказание",
            ],
            "\t\n",
        ),
    ]
    if edition == 2:
        rows.append(
            (
                [
                    "",
                    "Новиков Вымысел Сергеевич",
                    "NOVIKAU VYMYSEL",
                    "Республика Беларусь",
                    "03.03.1993",
                    f"{_VERDICT} Октябрьского района г. Витебска в связи с совершением "
                    f"преступления, предусмотренного статьей 361-1 {_CODE}",
                    "11.09.2026",
                    "Республика Беларусь, г. Витебск",
                    "Отбывает наказание",
                ],
                "\t\n",
            )
        )
    rows += [
        (
            [
                "",
                f"Вымышленников{i} Ян Янович",
                f"VYMYSHLENNIKAU{i} IAN",
                "Республика Беларусь",
                f"{i % 28 + 1:02d}.01.{1960 + i}",
                f"{_VERDICT} Первомайского района г. Витебска в связи с совершением "
                f"преступления, предусмотренного статьей 342 {_CODE}",
                "01.08.2026",
                "Республика Беларусь, г. Витебск",
                "Отбывает наказание",
            ],
            "\t\n",
        )
        for i in range(extra)
    ]
    return rows


def mvd_persons_text(*, edition: int = 1, extra: int = 0, encoding: str = "utf-8") -> bytes:
    """The part as word-extractor prints the .doc: title, header rows, irregular row ends."""
    header = [r[:1] + r[1:2] + r[3:] if i == 0 else r for i, r in enumerate(_PERSONS_HEADER)]
    out = f"{PERSONS_TITLE}\n\n"
    for row in header:
        out += "\t".join(row) + "\t\n"
    for cells, end in mvd_persons_rows(edition=edition, extra=extra):
        out += "\t".join(cells) + end
    return out.encode(encoding)


def mvd_persons_docx(*, edition: int = 1, extra: int = 0) -> bytes:
    """The part as a .docx: a title, then a table whose name header spans two columns."""
    import docx

    document = docx.Document()
    for line in PERSONS_TITLE.split("\n"):
        document.add_paragraph(line)
    rows = [cells for cells, _ in mvd_persons_rows(edition=edition, extra=extra)]
    table = document.add_table(rows=2 + len(rows), cols=PERSONS_WIDTH)
    for r, row in enumerate([*_PERSONS_HEADER, *rows]):
        for c, text in enumerate(row):
            _write(table.cell(r, c), text)
    table.cell(0, 1).merge(table.cell(0, 2))
    for c in (0, *range(3, 9)):
        table.cell(0, c).merge(table.cell(1, c))
    return _save(document)


def _write(cell: object, text: str) -> None:
    """Write `text` into a table cell, one paragraph per line (as Word's Enter makes them)."""
    lines = text.split("\n")
    cell.paragraphs[0].text = lines[0]  # type: ignore[attr-defined]
    for line in lines[1:]:
        cell.add_paragraph(line)  # type: ignore[attr-defined]


def _write_with_link(cell: object, text: str, url: str) -> None:
    """Write `text` with its occurrence of `url` as a real hyperlink (w:hyperlink)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    before, after = text.split(url, 1)
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.add_run(before)
    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = url
    run.append(t)
    link.append(run)
    paragraph._p.append(link)
    paragraph.add_run(after)


def _save(document: object) -> bytes:
    out = io.BytesIO()
    document.save(out)  # type: ignore[attr-defined]
    return out.getvalue()


def write_fixtures() -> None:
    """Regenerate the committed text fixtures from the rows above."""
    (FIXTURES / "by_mininform_materials.txt").write_bytes(mininform_text())
    (FIXTURES / "by_mvd_persons.txt").write_bytes(mvd_persons_text())


if __name__ == "__main__":
    write_fixtures()
