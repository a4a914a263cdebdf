"""Languages of the web app: interface translations, content fallback and local formats.

The interface speaks Belarusian, Russian and English (gettext catalogues compiled by Babel
under `khronika/web/locale/`). Content (names, stories) is shown in the chosen language when
the record has it, else in the next language of `CONTENT_FALLBACK`, and the page says so.
"""

from __future__ import annotations

import functools
from contextvars import ContextVar
from datetime import date
from importlib import resources
from typing import Any

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_skeleton
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from khronika.model.dates import PartialDate

__all__ = [
    "CONTENT_FALLBACK",
    "DEFAULT_LANG",
    "LANGS",
    "N_",
    "current_lang",
    "format_day",
    "format_number",
    "format_partial",
    "gettext",
    "language_name",
    "negotiate",
    "ngettext",
    "pick_name",
    "pick_story",
    "use_lang",
]

#: Interface languages, in the order the switch shows them.
LANGS: tuple[str, ...] = ("be", "ru", "en")
DEFAULT_LANG = "be"
#: Where content comes from when a record lacks the chosen language (`be → ru → en`).
CONTENT_FALLBACK: dict[str, tuple[str, ...]] = {
    "be": ("be", "ru", "en"),
    "ru": ("ru", "be", "en"),
    "en": ("en", "be", "ru"),
}
#: Latin spellings preferred in English, best first (a passport spelling is what people use).
_LATIN_SYSTEMS = ("passport", "national", "lacinka", "bgn", "icao", "conventional")

_current: ContextVar[str] = ContextVar("khronika_lang", default=DEFAULT_LANG)


def N_(message: str) -> str:
    """Mark a string for translation without translating it (translated where shown)."""
    return message


@functools.cache
def _translations(lang: str) -> NullTranslations:
    root = resources.files("khronika.web") / "locale"
    try:
        return Translations.load(str(root), [lang], domain="messages")
    except OSError:
        return NullTranslations()


def use_lang(lang: str) -> None:
    """Make `lang` the language of what is rendered next in this context."""
    _current.set(lang if lang in LANGS else DEFAULT_LANG)


def current_lang() -> str:
    """Return the language of the current request."""
    return _current.get()


def gettext(message: str) -> str:
    """Translate an interface string into the current language."""
    return _translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a string whose form depends on a number (Belarusian and Russian have three)."""
    return _translations(_current.get()).ngettext(singular, plural, n)


def negotiate(accept_language: str | None) -> str:
    """Return the interface language best matching an Accept-Language header."""
    if not accept_language:
        return DEFAULT_LANG
    best: tuple[float, str] | None = None
    for part in accept_language.split(","):
        tag, _, q = part.strip().partition(";q=")
        code = tag.strip().split("-")[0].lower()
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        if code in LANGS and (best is None or weight > best[0]):
            best = (weight, code)
    return best[1] if best else DEFAULT_LANG


def language_name(lang: str) -> str:
    """Return a language's own name: беларуская, русский, English."""
    names = {"be": "Беларуская", "ru": "Русский", "en": "English"}
    return names.get(lang, lang)


def pick_name(names: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """Return the spelling of a name to show in `lang`.

    Belarusian and Russian pages use the name in that language, else in the other Cyrillic
    one; English pages prefer an English spelling, then a Latin transliteration (a passport
    spelling first). The primary name is the last resort.
    """
    by_lang: dict[str, list[dict[str, Any]]] = {}
    for n in names:
        by_lang.setdefault(n["lang"], []).append(n)
    if lang == "en":
        if "en" in by_lang:
            return by_lang["en"][0]
        latin = [n for n in names if n["lang"].endswith("-Latn")]
        if latin:
            rank = {s: i for i, s in enumerate(_LATIN_SYSTEMS)}
            latin.sort(key=lambda n: (n["lang"] != "be-Latn", rank.get(n.get("system") or "", 99)))
            return latin[0]
    for code in CONTENT_FALLBACK.get(lang, (lang,)):
        if code in by_lang:
            return by_lang[code][0]
    return names[0]


def pick_story(story: dict[str, str] | None, lang: str) -> tuple[str | None, str | None]:
    """Return (text, its language) of a story in `lang` or the first fallback that exists."""
    if not story:
        return None, None
    for code in CONTENT_FALLBACK.get(lang, (lang,)):
        if story.get(code):
            return story[code], code
    code = sorted(story)[0]
    return story[code], code


def format_number(n: int | float, lang: str) -> str:
    """Format a number the way `lang` writes it (1 206, 1,206)."""
    return format_decimal(n, locale=lang)


@functools.lru_cache(maxsize=16384)
def format_day(day: date | str, lang: str) -> str:
    """Format a full date in `lang`: 1 мая 2025 г., 1 May 2025."""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return _babel_date(day, format="long", locale=lang)


@functools.lru_cache(maxsize=16384)
def format_partial(text: str, lang: str) -> str:
    """Format a partial date as precisely as it is known: 2021, May 2021, 14 May 2021."""
    d = PartialDate.parse(text)
    if d.precision == "year":
        return d.text
    first = date.fromisoformat(d.lower)
    if d.precision == "month":
        return format_skeleton("yMMMM", first, locale=Locale.parse(lang))
    return format_day(first, lang)
