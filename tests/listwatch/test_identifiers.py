"""Identifier normalisation: every spelling of one channel is one key, and no two merge.

The spellings are the ways the lists, the press and readers really write identifiers
(schemes, `www.`, `m.`, trailing slashes, post links, query strings, `@`, look-alike
letters); every handle here is invented.
"""

from __future__ import annotations

import pytest

from khronika.listwatch.identifiers import extract, fold, is_identifier, key_of

#: key -> spellings that must all give it. Keys differ from each other: no false merge.
SPELLINGS: dict[str, list[str]] = {
    "tg:vymysel_news": [
        "https://t.me/vymysel_news",
        "http://t.me/vymysel_news/",
        "t.me/vymysel_news",
        "https://t.me/s/vymysel_news",
        "t.me/s/vymysel_news/1532",
        "https://t.me/vymysel_news/1532?single",
        "@vymysel_news",
        "@Vymysel_News",
        "https://telegram.me/vymysel_news",
        "telegram.dog/vymysel_news",
        "https://www.t.me/vymysel_news",
        "https://t.me/@vymysel_news",
        "t.me/vymysel_news.",
        "(https://t.me/vymysel_news)",
        "https://t.me/vуmysel_news",  # a Cyrillic у inside the handle
    ],
    "tg:vymysel_news_chat": ["https://t.me/vymysel_news_chat", "@vymysel_news_chat"],
    "tg+:AbCdEf123xyz": ["https://t.me/+AbCdEf123xyz", "t.me/joinchat/AbCdEf123xyz"],
    "tg+:abcdef123xyz": ["https://t.me/+abcdef123xyz"],  # invite hashes are case-sensitive
    "tgid:1466000001": ["https://t.me/c/1466000001/25", "t.me/c/1466000001"],
    "vk:vymysel_soc": [
        "https://vk.com/vymysel_soc",
        "vk.com/vymysel_soc/",
        "https://m.vk.com/vymysel_soc",
        "https://vk.ru/vymysel_soc",
        "http://vkontakte.ru/vymysel_soc",
        "https://vk.com/vymysel_soc?w=wall-1_2",
    ],
    "vk:club144000001": [
        "https://vk.com/club144000001",
        "vk.com/public144000001",
        "https://vk.com/club144000001?from=groups",
    ],
    "vk:id123456789": ["https://vk.com/id123456789", "https://m.vk.com/id123456789/"],
    "ig:vymysel.blog": [
        "https://www.instagram.com/vymysel.blog",
        "https://instagram.com/vymysel.blog/",
        "instagram.com/vymysel.blog?igshid=abc123",
        "https://www.instagram.com/vymysel.blog/?igsh=xyz",
        "https://instagr.am/vymysel.blog",
    ],
    "tt:fake.user77": [
        "https://www.tiktok.com/@fake.user77",
        "tiktok.com/@fake.user77?_r=1&_t=8abc",
        "https://m.tiktok.com/@Fake.User77/video/7300000000000000000",
    ],
    "yt:@vymyseltv": [
        "https://www.youtube.com/@vymyseltv",
        "https://youtube.com/@VymyselTV/videos",
        "https://m.youtube.com/@vymyseltv",
        "https://m.www.youtube.com/@vymyseltv",
    ],
    "yt:channel:UCabcdefghijklmnopqrstuv": [
        "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv",
        "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv/featured",
        "youtube.com/channel/UCabcdefghijklmnopqrstuv/",
    ],
    "yt:c:vymyseltv": ["https://www.youtube.com/c/VymyselTV", "https://www.youtube.com/vymyseltv"],
    "yt:user:vymyselold": ["https://www.youtube.com/user/vymyselold"],
    "yt:video:AbCdEfGhIjK": [
        "https://www.youtube.com/watch?v=AbCdEfGhIjK",
        "https://youtu.be/AbCdEfGhIjK",
        "https://www.youtube.com/shorts/AbCdEfGhIjK",
    ],
    "fb:vymysel.page": [
        "https://www.facebook.com/vymysel.page",
        "https://facebook.com/vymysel.page/",
        "https://m.facebook.com/vymysel.page",
    ],
    "fb:groups/1000000000000001": [
        "https://web.facebook.com/groups/1000000000000001/?_rdc=4&_rdr#",
        "https://www.facebook.com/groups/1000000000000001",
    ],
    "ok:profile/518000000001": [
        "https://ok.ru/profile/518000000001",
        "ok.ru/profile/518000000001/",
    ],
    "x:vymysel_x": [
        "https://twitter.com/vymysel_x",
        "https://x.com/Vymysel_X",
        "twitter.com/vymysel_x/",
    ],
    "threads:vymysel": [
        "https://www.threads.net/@vymysel",
        "https://www.threads.com/@vymysel?igshid=1",
    ],
    "site:vymysel.example": [
        "https://vymysel.example",
        "http://www.vymysel.example/",
        "vymysel.example",
        "www.vymysel.example",
        "https://VYMYSEL.example",
    ],
    "site:vymysel.example/news": [
        "https://vymysel.example/news/",
        "http://www.vymysel.example/news?utm=1",
    ],
    "site:by.vymysel.example": ["https://by.vymysel.example"],
}


def test_the_table_is_large_enough() -> None:
    assert sum(len(v) for v in SPELLINGS.values()) >= 60


@pytest.mark.parametrize(
    ("key", "spelling"), [(k, s) for k, spellings in SPELLINGS.items() for s in spellings]
)
def test_every_spelling_gives_its_key(key: str, spelling: str) -> None:
    assert key_of(spelling) == key


def test_no_two_groups_merge() -> None:
    got = {k: {key_of(s) for s in spellings} for k, spellings in SPELLINGS.items()}
    assert all(len(keys) == 1 for keys in got.values())
    assert len({next(iter(keys)) for keys in got.values()}) == len(SPELLINGS)


@pytest.mark.parametrize(
    "text", ["", "hello", "https://t.me/", "https://t.me/joinchat", "@", "@a", "t.me/s/"]
)
def test_what_is_not_an_identifier_has_no_key(text: str) -> None:
    assert key_of(text) is None


def test_is_identifier() -> None:
    assert is_identifier("@vymysel") and is_identifier("t.me/x_y") and is_identifier("a.by")
    assert not is_identifier("Вымышленные новости") and not is_identifier("Ivanou Piotr")


def test_fold_mixes_of_scripts() -> None:
    # A Latin o in a Russian word, a Latin C first, a Latin i for Belarusian і.
    assert fold("Книжнoе издание") == fold("Книжное издание") == "книжное издание"
    assert fold("«Cтраница»") == "страница"
    assert fold("Навiны Выдумкi") == fold("Навіны Выдумкі")
    # A Cyrillic е in a Latin name.
    assert fold("Frеsh Vymysel") == fold("Fresh Vymysel") == "fresh vymysel"
    assert fold("Вымысел ё") == "вымысел е"


def test_extract_from_a_mininform_style_description() -> None:
    text = (
        'Instagram-аккаунт с названием "vymysel.blog" (Пётр Выдумкин | Выдуманный блог), '
        "имеющий идентификатор https://www.instagram.com/vymysel.blog;\n"
        'TikTok-аккаунт с названием "#ВЫМЫСЕЛ", имеющий идентификатор '
        "https://www.tiktok.com/@fake.user77;\n"
        'Telegram-чат под названием "Чат выдумки", имеющий идентификатор (ID), содержащий '
        "последовательность цифр 2000000001;\n"
        'Cтраница в социальной сети "Одноклассники" с названием "X", имеющая идентификатор '
        "ID, содержащий последовательность цифр 577000000001.\n"
        'Telegram-канал с названием "Новости Выдумска", имеющий идентификатор  @vymysel_news '
        "и идентификатор (ID), содержащий последовательность цифр 1001466000001."
    )
    keys = extract(text)
    for key in (
        "ig:vymysel.blog",
        "tt:fake.user77",
        "tgid:2000000001",
        "ok:id:577000000001",
        "tg:vymysel_news",
        "tgid:1466000001",  # the -100 prefix of a channel id dropped
        "title:чат выдумки",
        "title:новости выдумска",
        "title:вымысел",
    ):
        assert key in keys, key
    assert "title:одноклассники" not in keys  # a network, not a channel
    assert len(keys) == len(set(keys))
