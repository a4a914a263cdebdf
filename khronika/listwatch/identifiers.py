"""Identifiers of channels, accounts and sites: every spelling of one of them is one key.

The lists, the press and readers write the same channel a dozen ways (`https://t.me/name`,
`t.me/s/name`, `@name`, `telegram.me/name`, a post link `t.me/name/123`); a check that
compared strings would answer "not listed" to someone whose channel is. `key_of` turns one
spelling into its key; `extract` finds every identifier in an entry's text (URLs with or
without a scheme, `@handles`, the lists' "ID … последовательность цифр N", quoted titles).

Keys, by platform (names lower-cased; ids and invite hashes kept as written):

| key | from |
|---|---|
| `tg:name` | t.me, telegram.me, telegram.dog (also `/s/name`, post links), `@name` |
| `tg+:HASH` | invite links `t.me/+HASH`, `t.me/joinchat/HASH` (a chat's invite, not its name) |
| `tgid:N` | a Telegram id (a channel's `-100` prefix dropped), `t.me/c/N/…` |
| `vk:name`, `vk:idN`, `vk:clubN` | vk.com, vk.ru, m.vk.com (`publicN` and `clubN` are one group) |
| `ig:name`, `tt:name`, `x:name`, `threads:name`, `fb:name`, `ok:path` | the other networks |
| `yt:@handle`, `yt:channel:UC…`, `yt:c:name`, `yt:user:name`, `yt:video:ID` | YouTube |
| `site:host/path` | any other site: no scheme, no `www.`, no query, no trailing slash |
| `title:…` | a quoted title, folded (`fold`): case, quotes, look-alike letters |

Look-alike letters: the lists really mix scripts inside a word (a Latin `o` in a Russian
word, a Cyrillic `е` in a Latin account name, a Latin `i` for Belarusian `і`). Handles are
Latin by rule, so Cyrillic look-alikes in a handle become Latin; in a title each word is
folded to the script most of its letters are in.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["extract", "fold", "is_identifier", "key_of"]

# Cyrillic letters that look like Latin ones, and back.
_CYR_TO_LAT = str.maketrans("аеорсухіјѕкмтвнАВЕКМНОРСТУХІЈЅ", "aeopcyxijskmtbhABEKMHOPCTYXIJS")
_LAT_TO_CYR = str.maketrans("aeopcyxiABEKMHOPCTXI", "аеорсухіАВЕКМНОРСТХІ")
_QUOTES = str.maketrans({c: " " for c in "\"'«»„“”‘’`"})

_TELEGRAM = {"t.me", "telegram.me", "telegram.dog", "www.t.me", "www.telegram.me"}
_VK = {"vk.com", "vk.ru", "m.vk.com", "vkontakte.ru", "new.vk.com"}
_INSTAGRAM = {"instagram.com", "instagr.am"}
_TIKTOK = {"tiktok.com", "m.tiktok.com"}
_X = {"twitter.com", "x.com", "mobile.twitter.com"}
_THREADS = {"threads.net", "threads.com"}
_FACEBOOK = {"facebook.com", "m.facebook.com", "web.facebook.com", "fb.com"}
_OK = {"ok.ru", "m.ok.ru", "odnoklassniki.ru"}
_YOUTUBE = {"youtube.com", "m.youtube.com", "m.www.youtube.com", "youtu.be"}

#: Telegram's own paths that are not channel names.
_TG_RESERVED = {"s", "c", "joinchat", "addstickers", "share", "proxy", "iv", "socks"}
_HANDLE = re.compile(r"[A-Za-z0-9_.]{2,64}")
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"«»,;]+|"
    r"\b(?:[a-z0-9-]+\.)+(?:me|com|ru|by|org|net|am|dog|info|eu|io|tv|in|su|pl|lt|ua|de)"
    r"(?:/[^\s<>\"«»,;]*)?",
    re.IGNORECASE,
)
_AT = re.compile(r"(?<![\w@./])@([A-Za-z0-9_.\u0400-\u04ff]{3,64})")
_DIGITS_ID = re.compile(
    r"(?:\(ID\)|\bID\b)[^0-9]{0,40}?(?:последовательность цифр\s*)?(-?\d{6,20})", re.IGNORECASE
)
_QUOTED = re.compile(r"[\"«“„]([^\"«»“”„\n]{1,200})[\"»”“]")
#: Quoted words that name a network, not a channel ("в социальной сети "Instagram"").
_NETWORKS = {
    "telegram", "instagram", "tiktok", "tik tok", "youtube", "facebook", "viber", "вконтакте",
    "одноклассники", "twitter", "x", "threads", "kick", "whatsapp", "signal",
}  # fmt: skip


def fold(text: str) -> str:
    """Fold a title for comparison: NFKC, case, quotes and punctuation, look-alike letters.

    Each word is written in the script most of its letters are in (a Latin `o` inside a
    Russian word becomes Cyrillic); `ё` is `е`, Belarusian `і` is kept (and Latin `i` in a
    Cyrillic word becomes `і`).
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold().replace("ё", "е")
    words = []
    for word in re.findall(r"\w+", text):
        cyr = sum("\u0400" <= c <= "\u04ff" for c in word)
        lat = sum("a" <= c <= "z" for c in word)
        words.append(word.translate(_LAT_TO_CYR) if cyr > lat else word.translate(_CYR_TO_LAT))
    return " ".join(words)


def _handle(raw: str) -> str | None:
    """A handle as a key part: look-alikes to Latin, lower case; None when not a handle."""
    name = unquote(raw).strip().strip(".").translate(_CYR_TO_LAT).lower()
    return name if _HANDLE.fullmatch(name) else None


def _telegram_id(digits: str) -> str:
    digits = digits.lstrip("-")
    # A channel's id is written with or without its "-100" prefix: one channel.
    if len(digits) >= 13 and digits.startswith("100"):
        digits = digits[3:]
    return f"tgid:{digits}"


def is_identifier(text: str) -> bool:
    """True when `text` is written as an identifier (a URL, a domain or an `@handle`)."""
    text = text.strip()
    return bool(text) and (text.startswith("@") or _URL.fullmatch(text) is not None)


def key_of(text: str) -> str | None:
    """Return the key of one identifier as written (URL, domain, `@handle`); None if none.

    >>> key_of("https://t.me/s/Some_Channel/123")
    'tg:some_channel'
    >>> key_of("@some_channel") == key_of("telegram.me/some_channel")
    True
    """
    text = unicodedata.normalize("NFKC", text).strip().strip(".,;:()[]")
    if not text:
        return None
    if text.startswith("@"):
        name = _handle(text[1:])
        return f"tg:{name}" if name else None
    if not re.match(r"[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    host = (parts.hostname or "").translate(_CYR_TO_LAT).lower().rstrip(".")
    if not host or "." not in host:
        return None
    path = [p for p in unquote(parts.path).split("/") if p]
    bare = host[4:] if host.startswith("www.") else host
    if bare in _TELEGRAM or host in _TELEGRAM:
        return _telegram_key(path)
    if bare in _VK:
        return _vk_key(path)
    if bare in _YOUTUBE:
        return _youtube_key(bare, path, parts.query)
    simple = (
        ("ig", _INSTAGRAM),
        ("x", _X),
        ("threads", _THREADS),
    )
    for prefix, hosts in simple:
        if bare in hosts:
            name = _handle(path[0].lstrip("@")) if path else None
            return f"{prefix}:{name}" if name else f"site:{bare}"
    if bare in _TIKTOK:
        if path and path[0].startswith("@"):
            name = _handle(path[0][1:])
            return f"tt:{name}" if name else None
        return _site_key(bare, path)
    if bare in _FACEBOOK:
        return _facebook_key(path, parts.query)
    if bare in _OK:
        return "ok:" + "/".join(p.lower() for p in path) if path else "site:ok.ru"
    return _site_key(bare, path)


def _telegram_key(path: list[str]) -> str | None:
    if not path:
        return None
    head = path[0]
    if head.startswith("+") and len(head) > 1:
        return f"tg+:{head[1:]}"
    if head.lower() == "joinchat" and len(path) > 1:
        return f"tg+:{path[1]}"
    if head.lower() == "c" and len(path) > 1 and path[1].isdigit():
        return _telegram_id(path[1])
    if head.lower() == "s" and len(path) > 1:
        head = path[1]
    if head.lower() in _TG_RESERVED:
        return None
    name = _handle(head.lstrip("@"))
    return f"tg:{name}" if name else None


def _vk_key(path: list[str]) -> str | None:
    if not path:
        return None
    name = path[0].lower()
    if m := re.fullmatch(r"(?:public|club|event)(\d+)", name):
        return f"vk:club{m.group(1)}"
    handle = _handle(name)
    return f"vk:{handle}" if handle else None


def _youtube_key(host: str, path: list[str], query: str) -> str | None:
    if host == "youtu.be":
        return f"yt:video:{path[0]}" if path else None
    if not path:
        return None
    head = path[0]
    if head.startswith("@"):
        name = _handle(head[1:])
        return f"yt:@{name}" if name else None
    if head == "channel" and len(path) > 1:
        return f"yt:channel:{path[1]}"
    if head in ("c", "user") and len(path) > 1:
        name = _handle(path[1])
        return f"yt:{head}:{name}" if name else None
    if head in ("watch", "shorts", "live"):
        video = parse_qs(query).get("v", [None])[0] if head == "watch" else path[-1]
        return f"yt:video:{video}" if video else None
    name = _handle(head)
    return f"yt:c:{name}" if name else None  # youtube.com/name: the old custom address


def _facebook_key(path: list[str], query: str) -> str | None:
    if not path:
        return None
    if path[0] == "profile.php":
        found = parse_qs(query).get("id", [None])[0]
        return f"fb:id:{found}" if found else None
    if path[0] in ("groups", "pages") and len(path) > 1:
        return f"fb:{path[0]}/{path[1].lower()}"
    name = _handle(path[0])
    return f"fb:{name}" if name else None


#: Words that name the platform of an id written as digits ("… (ID), содержащий …").
_PLATFORMS = (
    ("tg", re.compile(r"telegram|телеграм|\bt\.me/", re.IGNORECASE)),
    ("ok", re.compile(r"одноклассник|ok\.ru", re.IGNORECASE)),
    ("fb", re.compile(r"facebook|фейсбук", re.IGNORECASE)),
    ("vk", re.compile(r"вконтакте|vk\.com", re.IGNORECASE)),
)


def _id_key(before: str, digits: str) -> str:
    """The key of an id in digits: its platform is the one named last before it."""
    last, platform = -1, None
    for name, pattern in _PLATFORMS:
        for m in pattern.finditer(before):
            if m.start() > last:
                last, platform = m.start(), name
    if platform == "tg":
        return _telegram_id(digits)
    return f"{platform}:id:{digits.lstrip('-')}" if platform else f"id:{digits.lstrip('-')}"


def _site_key(host: str, path: list[str]) -> str:
    rest = "/".join(path)
    return f"site:{host}/{rest}" if rest else f"site:{host}"


def extract(text: str) -> list[str]:
    """Return the keys of every identifier in an entry's text, each once, in order.

    URLs (with or without a scheme), `@handles`, the lists' Telegram ids ("(ID),
    содержащий последовательность цифр N" next to the word Telegram) and quoted titles.
    """
    text = unicodedata.normalize("NFKC", text)
    keys: list[str] = []

    def add(key: str | None) -> None:
        if key and key not in keys:
            keys.append(key)

    for m in _URL.finditer(text):
        add(key_of(m.group(0).rstrip(".)")))
    for m in _AT.finditer(text):
        add(key_of("@" + m.group(1)))
    for m in _DIGITS_ID.finditer(text):
        add(_id_key(text[max(0, m.start() - 200) : m.start()], m.group(1)))
    for m in _QUOTED.finditer(text):
        title = fold(m.group(1))
        if title and title not in _NETWORKS:
            add(f"title:{title}")
    return keys
