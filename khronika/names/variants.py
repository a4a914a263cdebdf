"""The spellings khronika would recognise for a name: transliterations and given-name forms.

This is a *sample* of what matches, for people to read (and for `khronika names variants`):
the matcher does not enumerate spellings, it compares keys, so spellings not listed here
(typos, rarer systems) may match as well.
"""

from __future__ import annotations

from typing import Any

from khronika.names.given import given_names
from khronika.names.parse import parse_name
from khronika.names.translit import SYSTEMS, transliterate

__all__ = ["variants"]


def _translits(text: str, langs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for lang in langs:
        for system in SYSTEMS:
            if lang == "ru" and system == "lacinka":
                continue
            out[f"{lang}/{system}"] = transliterate(text, lang=lang, system=system)
    return out


def variants(name: str) -> dict[str, Any]:
    """Return the parse of `name` and the spellings it would be recognised in.

    Args:
        name: a name in any script (Cyrillic gives the most: every Latin system).

    Returns:
        A dict: `name`, `parsed` (given/patronymic/surname/language), `transliterations`
        (system → full name), `given_name_forms` (the given name in every language and its
        short forms, from the given-name table), `keys` (the phonological keys per word).
    """
    p = parse_name(name)
    r = p.readings[0] if p.readings else None
    if p.lang in ("be", "ru"):
        langs = [p.lang]
    elif p.lang in ("cyrl", "uk"):
        langs = ["be", "ru"]
    else:
        langs = []
    given_forms: list[str] = []
    if r is not None and r.given is not None:
        table = given_names()
        seen: set[str] = set()
        for gid in sorted(r.given.given_ids):
            row = table.row(gid)
            for form in row.full_forms + row.short:
                if form not in seen:
                    seen.add(form)
                    given_forms.append(form)
    return {
        "name": p.text,
        "parsed": {
            "given": r.given.text if r and r.given else None,
            "patronymic": r.patronymic.text if r and r.patronymic else None,
            "surname": r.surname.text if r and r.surname else None,
            "order": r.order if r else "",
            "language": p.lang,
            "sex": r.sex if r else None,
        },
        "transliterations": _translits(p.text, langs),
        "given_name_forms": given_forms,
        "keys": {t.text: sorted(t.keys) for t in p.tokens},
    }
