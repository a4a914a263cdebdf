"""Outlets and collections (Media Cloud's model: an outlet has feeds; collections group outlets).

A starter list of Belarusian and Russian state outlets ships in `data/outlets.yaml` (names,
homepages and domains only). `resolve_outlet` turns what an item says (`belta`, `belta.by`,
`https://www.belta.by/…`) into an outlet id. An outlet may declare CSS `selectors` for its
article pages (`title`, `text`, `published`); the fetcher uses them before trafilatura.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import yaml

from khronika.errors import InvalidValue
from khronika.model.shapes import fields_json

__all__ = [
    "Outlet",
    "SELECTOR_FIELDS",
    "parse_selectors",
    "resolve_outlet",
    "starter_collections",
    "starter_outlets",
]

#: What an outlet's CSS selectors may pick out of its article pages.
SELECTOR_FIELDS = ("title", "text", "published")


@dataclass(frozen=True)
class Outlet:
    """One outlet: a newspaper, channel, agency or site."""

    id: str
    name: str
    country: str | None = None
    state_owned: bool = False
    lang: str | None = None
    homepage: str | None = None
    domains: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    collections: tuple[str, ...] = field(default_factory=tuple)
    #: CSS selectors of the outlet's article pages, by field (`SELECTOR_FIELDS`), e.g.
    #: {"title": "h1", "text": "div.article-body"}; empty: trafilatura finds the article.
    selectors: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if unknown := sorted(set(self.selectors) - set(SELECTOR_FIELDS)):
            raise InvalidValue(
                f"selectors: {unknown[0]}: unknown field (one of {', '.join(SELECTOR_FIELDS)})"
            )
        if self.selectors and "text" not in self.selectors:
            # Without the text, the fetcher would never use the others: say so now.
            raise InvalidValue("selectors: `text` is missing (the others are used with it)")
        for name, css in self.selectors.items():
            _check_css(name, css)

    def to_json(self) -> dict[str, Any]:
        """Return the outlet as JSON-ready data."""
        return fields_json(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Outlet:
        """Build an outlet from `to_json`'s shape (lists and selectors may be missing)."""
        return cls(
            id=str(data["id"]),
            name=str(data["name"]),
            country=data.get("country"),
            state_owned=bool(data.get("state_owned", False)),
            lang=data.get("lang"),
            homepage=data.get("homepage"),
            domains=tuple(data.get("domains") or ()),
            feeds=tuple(data.get("feeds") or ()),
            collections=tuple(data.get("collections") or ()),
            selectors=dict(data.get("selectors") or {}),
        )


def _check_css(name: str, css: str) -> None:
    """Raise InvalidValue unless selectolax (the parser the fetcher uses) reads `css`."""
    from selectolax.lexbor import LexborHTMLParser, SelectolaxError

    try:
        LexborHTMLParser("").css(css)
    except SelectolaxError:
        raise InvalidValue(f"selectors: {name}: {css!r} is not a CSS selector") from None


def parse_selectors(values: Iterable[str]) -> dict[str, str]:
    """Turn `FIELD=CSS` options (`text=div.article-body`) into an outlet's selectors.

    Raises:
        InvalidValue: a value without `=`, an unknown field, or a field given twice.
    """
    out: dict[str, str] = {}
    for value in values:
        name, sep, css = value.partition("=")
        name, css = name.strip(), css.strip()
        if not sep or not name or not css:
            raise InvalidValue(f"selector {value!r}: FIELD=CSS, e.g. text=div.article-body")
        if name not in SELECTOR_FIELDS:
            raise InvalidValue(
                f"selector {value!r}: {name}: unknown field (one of {', '.join(SELECTOR_FIELDS)})"
            )
        if name in out:
            raise InvalidValue(f"selector {value!r}: {name} is given twice")
        out[name] = css
    return out


@functools.cache
def _starter() -> dict[str, Any]:
    text = resources.files("khronika.media").joinpath("data/outlets.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def starter_outlets() -> list[Outlet]:
    """Return the outlets that ship with khronika."""
    return [Outlet.from_json(o) for o in _starter()["outlets"]]


def starter_collections() -> dict[str, str]:
    """Return the shipped collections: id → name."""
    return dict(_starter()["collections"])


def host_of(value: str) -> str:
    """Return the host of a URL or a bare domain, lower case, without `www.`."""
    host = urlsplit(value if "//" in value else f"//{value}").hostname or value
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def resolve_outlet(value: str | None, url: str | None, outlets: list[Outlet]) -> str | None:
    """Return the outlet id that `value` (an id or a domain) or else the item's URL names.

    A host matches an outlet's domain or any subdomain of it (`news.belta.by` → belta).
    Unknown values are kept as given (a team's own outlet id), or None when there is none.
    """
    ids = {o.id for o in outlets}
    if value and value in ids:
        return value
    for candidate in (value, url):
        if not candidate:
            continue
        host = host_of(candidate)
        for o in outlets:
            if any(host == d or host.endswith(f".{d}") for d in o.domains):
                return o.id
    return value or None
