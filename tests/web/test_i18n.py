"""Languages: prefix, parameter and header; the switch keeps the page; content falls back;
every interface string is translated and the shipped .mo files match the .po files."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from khronika.web.i18n import format_partial, negotiate, pick_name, pick_story

WEB = Path(str(resources.files("khronika.web")))
LOCALE = WEB / "locale"

LANG_CASES = [
    # (path, headers, expected <html lang>, text)
    ("/people/p1", {}, "be", "Што адбылося"),
    ("/ru/people/p1", {}, "ru", "Что произошло"),
    ("/en/people/p1", {}, "en", "What happened"),
    ("/people/p1?lang=ru", {}, "ru", "Что произошло"),
    ("/people/p1", {"accept-language": "ru-RU,ru;q=0.9,en;q=0.5"}, "ru", "Что произошло"),
    ("/people/p1", {"accept-language": "en-GB,en;q=0.9"}, "en", "What happened"),
    ("/people/p1", {"accept-language": "de"}, "be", "Што адбылося"),
    ("/en/people/p1", {"accept-language": "ru"}, "en", "What happened"),
]


@pytest.mark.parametrize(("path", "headers", "lang", "text"), LANG_CASES)
def test_language_choice(
    client: TestClient, path: str, headers: dict[str, str], lang: str, text: str
) -> None:
    r = client.get(path, headers=headers)
    assert r.status_code == 200
    assert f'<html lang="{lang}">' in r.text
    assert text in r.text
    assert r.headers["content-language"] == lang


def test_switch_keeps_page_and_query(client: TestClient) -> None:
    html = client.get("/en/people?sex=f&status=died").text
    for code in ("be", "ru", "en"):
        assert f'href="/{code}/people?sex=f&amp;status=died"' in html


@pytest.mark.parametrize(
    ("lang", "name"),
    [("be", "Алеся Вярбіцкая"), ("ru", "Олеся Вербицкая"), ("en", "Alesia Viarbitskaya")],
)
def test_names_in_the_chosen_language(client: TestClient, lang: str, name: str) -> None:
    assert client.get(f"/{lang}/people/p1.json").json()["name"] == name


def test_story_falls_back_and_says_so(client: TestClient) -> None:
    ru = client.get("/ru/people/p1")
    assert "Настаўніца з Мінска." in ru.text  # no Russian story: Belarusian is next
    assert "Ещё не переведено" in ru.text
    en = client.get("/en/people/p1")
    assert "A teacher from Minsk" in en.text and "Not yet translated" not in en.text


NAMES = [
    {"name": "Ганна Навуменка", "lang": "be", "primary": True},
    {"name": "Анна Науменко", "lang": "ru"},
    {"name": "Hanna Navumenka", "lang": "be-Latn", "system": "passport"},
    {"name": "Hanna Navumienka", "lang": "be-Latn", "system": "national"},
]


@pytest.mark.parametrize(
    ("names", "lang", "expected"),
    [
        (NAMES, "be", "Ганна Навуменка"),
        (NAMES, "ru", "Анна Науменко"),
        (NAMES, "en", "Hanna Navumenka"),
        (NAMES[:1], "ru", "Ганна Навуменка"),
        (NAMES[:1], "en", "Ганна Навуменка"),
        (NAMES[1:2], "be", "Анна Науменко"),
    ],
)
def test_pick_name(names: list[dict[str, str]], lang: str, expected: str) -> None:
    assert pick_name(names, lang)["name"] == expected


@pytest.mark.parametrize(
    ("story", "lang", "expected"),
    [
        ({"be": "b", "ru": "r", "en": "e"}, "en", ("e", "en")),
        ({"ru": "r", "en": "e"}, "be", ("r", "ru")),
        ({"en": "e"}, "ru", ("e", "en")),
        ({"pl": "p"}, "be", ("p", "pl")),
        (None, "be", (None, None)),
    ],
)
def test_pick_story(story: dict[str, str] | None, lang: str, expected: tuple) -> None:
    assert pick_story(story, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("2021", "be", "2021"),
        ("2021-05", "en", "May 2021"),
        ("2021-05-14", "en", "May 14, 2021"),
        ("2021-05-14", "ru", "14 мая 2021\u202fг."),
    ],
)
def test_format_partial(text: str, lang: str, expected: str) -> None:
    assert format_partial(text, lang) == expected


@pytest.mark.parametrize(
    ("header", "lang"),
    [(None, "be"), ("", "be"), ("ru", "ru"), ("en;q=0.3, ru;q=0.8", "ru"), ("fr, en;q=0.1", "en")],
)
def test_negotiate(header: str | None, lang: str) -> None:
    assert negotiate(header) == lang


def _interface_strings() -> set[str]:
    method_map = [
        ("**.py", "python"),
        ("**/templates/**.html", "jinja2"),
        ("**/templates/**.xml", "jinja2"),
    ]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(WEB), method_map, keywords={"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("lang", ["be", "ru"])
def test_every_interface_string_is_translated(lang: str) -> None:
    with open(LOCALE / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        po = read_po(f)
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in po
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    assert sorted(_interface_strings() - translated) == []


@pytest.mark.parametrize("lang", ["be", "ru", "en"])
def test_shipped_mo_matches_po(lang: str) -> None:
    def norm(x: object) -> object:
        return tuple(x) if isinstance(x, (list, tuple)) else x

    with open(LOCALE / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        po = {norm(m.id): norm(m.string) for m in read_po(f) if m.id}
    with open(LOCALE / lang / "LC_MESSAGES" / "messages.mo", "rb") as f:
        mo = {norm(m.id): norm(m.string) for m in read_mo(f) if m.id}
    assert mo == po, "run: pybabel compile -d khronika/web/locale -D messages"


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/be/people/p3", "Памерла"),
        ("/ru/people/p3", "Умерла"),
        ("/en/people/p3", "Died"),
        ("/ru/people/p2", "Освобождён"),
        ("/be/people/p2", "Вызвалены"),
        ("/ru/people/p1", "Родилась"),
        ("/ru/people/p1", "Признана политзаключённой"),
        ("/ru/people?sex=f&status=died", "Умерла"),
    ],
)
def test_words_agree_with_the_person(client: TestClient, path: str, text: str) -> None:
    assert text in client.get(path).text
