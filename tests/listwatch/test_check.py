"""The check: a channel, account, site, title or name → the list, the entry, since when.

Fixtures are Mininform- and MVD-style tables of invented materials and people, imported
through the real path (`add_list`, `import_snapshot`), on both engines.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from khronika.cli import cli
from khronika.listwatch import add_list, import_snapshot
from khronika.listwatch.check import build_index, check
from khronika.registry import add_record
from khronika.storage import Database

from .synthetic import make_xlsx

HEADER = [
    "№ п/п",
    "Наименование (реквизиты) информационной продукции",
    "Основание для включения",
    "Дата включения",
]
MATERIALS = [
    [
        "1.",
        'Telegram-канал с названием "Новости Выдумска", имеющий идентификатор '
        "https://t.me/vymysel_news и идентификатор (ID), содержащий последовательность цифр "
        "1001466000001.",
        "Решение суда Центрального района г. Минска от 21 апреля 2022 года",
        "25.04.2022",
    ],
    [
        "2.",
        # A Latin "o" and a Latin "C" inside the Russian words, as the lists really write.
        'Cообщество в социальной сети "ВКонтакте" с названием "Книжнoе обозрение", имеющее '
        "идентификатор  vk.com/public144000001.",
        "Решение суда Ленинского района г. Бреста от 9 января 2024 года",
        "",
    ],
    [
        "3.",
        'Аккаунт в социально-развлекательной сети "TikTok" с названием "Frеsh Vymysel", '
        "имеющий идентификатор https://www.tiktok.com/@fake.user77?_r=1.",
        "Решение суда Советского района г. Гомеля от 2 сентября 2025 года",
        "10.09.2025",
    ],
]
ADDED = [
    "4.",
    'Интернет-сайт "Выдумка", имеющий идентификатор https://www.vymysel.example/.',
    "Решение суда Октябрьского района г. Витебска от 3 марта 2026 года",
    "12.03.2026",
]
PERSONS = [
    ["№ п/п", "Фамилия, собственное имя, отчество", "Дата рождения"],
    ["1", "ВЫДУМКИН Алесь Янкавіч", "07.07.1977"],
    ["2", "ПРИДУМКИНА Ганна Сцяпанаўна", "01.02.1988"],
]


def mininform(db: Database, tmp_path: Path) -> None:
    add_list(
        db,
        "by-mininform",
        title="Mininform: republican list of extremist materials",
        issuer="Ministry of Information of Belarus",
        country="BY",
        fmt="table",
        options={"mapping": "by-mininform-materials"},
    )
    rows = [HEADER, *MATERIALS]
    import_snapshot(db, "by-mininform", make_xlsx(rows, []), taken="2025-10-01", data_dir=tmp_path)
    import_snapshot(
        db, "by-mininform", make_xlsx([*rows, ADDED], []), taken="2026-03-20", data_dir=tmp_path
    )


def persons(db: Database, tmp_path: Path) -> None:
    add_list(
        db,
        "by-mvd",
        title="MVD: citizens involved in extremist activity",
        issuer="MVD of Belarus",
        country="BY",
        fmt="table",
        options={"mapping": "by-mvd-extremists"},
    )
    import_snapshot(db, "by-mvd", make_xlsx(PERSONS, []), taken="2025-06-01", data_dir=tmp_path)


def hits(answer: dict) -> list[tuple[str, str]]:
    return [(h["list"], h["name"][:24]) for h in answer["hits"]]


def test_every_spelling_of_a_listed_channel_finds_it(db: Database, tmp_path: Path) -> None:
    mininform(db, tmp_path)
    queries = [
        "@vymysel_news",
        "https://t.me/s/vymysel_news/1532",
        "telegram.me/Vymysel_News",
        "https://vk.com/club144000001",
        "@fake.user77",  # a TikTok handle, asked without saying which network
        "tiktok.com/@Fake.User77",
        "vymysel.example",
        "Новости Выдумска",  # the title
        "книжное обозрение",  # the title, in plain Cyrillic
        "Fresh Vymysel",  # a Cyrillic е inside the listed Latin name
    ]
    answers = check(db, queries)
    assert [a["query"] for a in answers] == queries
    for a in answers:
        assert len(a["hits"]) == 1, a
        assert a["hits"][0]["list"] == "by-mininform"
    news = answers[0]["hits"][0]
    assert news["first_seen"] == "2025-10-01" and news["included_on"] == "2022-04-25"
    assert news["match"] == "identifier" and news["name"].startswith("Telegram-канал")
    site = answers[6]["hits"][0]
    assert site["first_seen"] == "2026-03-20" and site["included_on"] == "2026-03-12"
    assert answers[8]["hits"][0]["included_on"] is None  # the list gives no date
    assert {a["hits"][0]["key"] for a in answers[:3]} == {news["key"]}


@pytest.mark.parametrize(
    "query",
    [
        "@vymysel_news_chat",
        "https://t.me/vymysel",
        "vk.com/club144000002",
        "Новости Минска",  # a court's town is not a material's name
        "",
        "ab",
    ],
)
def test_what_is_not_listed_has_no_hits(db: Database, tmp_path: Path, query: str) -> None:
    mininform(db, tmp_path)
    assert check(db, [query]) == [{"query": query, "hits": []}]


def test_a_word_of_a_title_finds_it_as_text(db: Database, tmp_path: Path) -> None:
    mininform(db, tmp_path)
    [answer] = check(db, ["новости"])
    assert [(h["match"], h["first_seen"]) for h in answer["hits"]] == [("text", "2025-10-01")]


def test_names_across_scripts_from_the_lists_only(db: Database, tmp_path: Path) -> None:
    persons(db, tmp_path)
    name = {"name": "Рыгор Невядомы", "lang": "be", "primary": True}
    add_record(db, {"type": "person", "id": "p1", "names": [name], "visibility": "public"})
    index = build_index(db)
    for query in ("Выдумкин Алесь", "Vydumkin Ales", "Выдумкин Алесь Янкович", "Ганна Придумкина"):
        [answer] = check(index, [query])
        assert [h["match"] for h in answer["hits"]][:1] == ["name"], query
        assert answer["hits"][0]["list"] == "by-mvd"
    # A registry person on no list is never an answer.
    assert check(index, ["Невядомы Рыгор"])[0]["hits"] == []
    assert check(index, ["Зусім Іншы"])[0]["hits"] == []


def test_cli_contract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHRONIKA_DATA_DIR", str(tmp_path / "data"))
    url = f"sqlite:///{tmp_path / 'k.db'}"
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, ["--db", url, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    run("init")
    run(
        "lists", "add", "by-mininform", "--title", "Mininform", "--issuer", "Mininform",
        "--country", "BY", "--format", "table", "--mapping", "by-mininform-materials",
    )  # fmt: skip
    path = tmp_path / "mininform.2025-10-01.xlsx"
    path.write_bytes(make_xlsx([HEADER, *MATERIALS], []))
    run("lists", "import", "by-mininform", str(path))
    out = json.loads(run("lists", "check", "@vymysel_news", "nothing.example", "--json"))
    assert [a["query"] for a in out] == ["@vymysel_news", "nothing.example"]
    [hit] = out[0]["hits"]
    assert set(hit) >= {"list", "key", "name", "first_seen", "included_on"}
    assert hit["list"] == "by-mininform" and hit["first_seen"] == "2025-10-01"
    assert out[1]["hits"] == []
    text = run("lists", "check", "vk.com/public144000001", "nothing.example")
    assert "by-mininform" in text and "nothing.example: not on any list" in text


def test_watch_reports_what_the_latest_snapshot_changed(db: Database, tmp_path: Path) -> None:
    from khronika.listwatch.check import watch

    mininform(db, tmp_path)  # the second snapshot added the site
    queries = ["www.vymysel.example", "@vymysel_news", "@nobody_here"]
    site, news, nobody = watch(db, queries)
    assert [h["first_seen"] for h in site["added"]] == ["2026-03-20"] and not site["removed"]
    assert news["hits"] and not news["added"] and not news["removed"]
    assert nobody == {"query": "@nobody_here", "hits": [], "added": [], "removed": []}
    # A third snapshot without the channel: removed.
    rows = [HEADER, *MATERIALS[1:], ADDED]
    import_snapshot(db, "by-mininform", make_xlsx(rows, []), taken="2026-04-01", data_dir=tmp_path)
    [news] = watch(db, ["t.me/vymysel_news"])
    assert news["hits"] == [] and [h["list"] for h in news["removed"]] == ["by-mininform"]


def test_cli_watch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHRONIKA_DATA_DIR", str(tmp_path / "data"))
    url = f"sqlite:///{tmp_path / 'k.db'}"
    db = Database(url)
    db.migrate()
    mininform(db, tmp_path / "data")
    db.dispose()
    mine = tmp_path / "mine.txt"
    mine.write_text("# my channels\n@vymysel_news\nvymysel.example\n\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", url, "lists", "watch", str(mine)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "@vymysel_news: no change, listed (1)"
    assert lines[1].startswith("vymysel.example: NEW on by-mininform (2026-03-20)")
    out = CliRunner().invoke(cli, ["--db", url, "lists", "watch", str(mine), "--json"]).output
    assert [a["query"] for a in json.loads(out)] == ["@vymysel_news", "vymysel.example"]
    chart = tmp_path / "m.svg"
    args = ["--db", url, "lists", "figures", "by-mininform", "--chart", str(chart), "--json"]
    figures = json.loads(CliRunner().invoke(cli, args).output)
    assert [m["month"] for m in figures["added_by_month"]] == ["2026-03"] and chart.exists()


def test_figures_by_medium(db: Database, tmp_path: Path) -> None:
    from khronika.listwatch.figures import list_chart, list_figures, medium_of

    mininform(db, tmp_path)
    rows = [
        HEADER,
        *MATERIALS[1:],
        ADDED,
        ["5.", "Книга «Вымысел» / Выдумкин А. - 2007.", "Решение суда", ""],
    ]
    import_snapshot(db, "by-mininform", make_xlsx(rows, []), taken="2026-04-02", data_dir=tmp_path)
    f = list_figures(db, "by-mininform")
    assert [(s["taken"][:10], s["entries"], s["by_medium"]) for s in f["snapshots"]] == [
        ("2025-10-01", 3, {"telegram": 1, "vk": 1, "other_networks": 1}),
        ("2026-03-20", 4, {"telegram": 1, "vk": 1, "other_networks": 1, "site": 1}),
        ("2026-04-02", 4, {"vk": 1, "other_networks": 1, "site": 1, "print_other": 1}),
    ]
    # The first snapshot is the starting size; then what each month added.
    assert f["added_by_month"] == [
        {"month": "2026-03", "added": 1, "by_medium": {"site": 1}},
        {"month": "2026-04", "added": 1, "by_medium": {"print_other": 1}},
    ]
    assert medium_of({"kind": "person", "name": "Выдумкин Алесь"}) == "person"
    list_chart(f, tmp_path / "c.svg", title="t")
    assert "<svg" in (tmp_path / "c.svg").read_text()


def test_check_reads_the_mvd_formations_and_kgb_formats(db: Database, tmp_path: Path) -> None:
    from .belarus_xlsx import kgb_terrorists, mvd_formations

    for list_id, fmt, data in (
        ("by-mvd-formations", "by-mvd-formations-xlsx", mvd_formations()),
        ("by-kgb", "by-kgb-terrorists-xlsx", kgb_terrorists()),
    ):
        add_list(db, list_id, title=list_id, issuer="x", country="BY", fmt=fmt)
        import_snapshot(db, list_id, data, taken="2026-01-01", data_dir=tmp_path)
    index = build_index(db)
    for query in ("https://t.me/s/invented_dvor", "t.me/c/1200000001/5", "@invented_media_bot"):
        [answer] = check(index, [query])
        assert [h["list"] for h in answer["hits"]] == ["by-mvd-formations"], query
    [answer] = check(index, ["Датов Ян"])
    assert answer["hits"] and answer["hits"][0]["list"] == "by-kgb"
    assert answer["hits"][0]["match"] == "name"
