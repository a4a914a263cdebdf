"""Planted duplicates: some demo people recorded a second time, as a peer's archive has them.

A human-rights group that imports a peer's archive gets some people twice: the same person
under another spelling (Russian only, a Latin transliteration, Łacinka, surname first, a
one-letter slip, a name in the genitive as a case title has it), the same birth date or
only its year (or, the other way round, the day the peer knew), the same region, and the
same case: most of the detention, charge and conviction events with their dates, articles
and court, often citing the same news items. Such a record is what `names dedupe` must
find; the demo plants them so that its precision and recall can be measured.

The planted pairs are known from the configuration alone (`planted_duplicates`): which
people are copied is drawn from a random generator of its own, seeded from the demo seed.
Nothing in the records marks a copy (no field, no id pattern): dedupe sees a person like
any other. Copies are recorded `restricted` (an import not yet reviewed) and carry no
recognitions, so the demo's recognition figures are those of the people themselves.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from typing import Any

from khronika.names import transliterate

__all__ = ["CASE_KINDS", "NAME_VARIANTS", "duplicate_person", "planted_duplicates"]

#: The events a peer's archive records of a case (recognitions and transfers it does not).
CASE_KINDS = frozenset(
    {"detained", "charged", "convicted", "convicted_in_absentia", "released", "emigrated"}
)

#: How a copy's name is written, with relative weights.
NAME_VARIANTS = (
    ("russian", 22),
    ("latin", 18),
    ("lacinka", 8),
    ("surname-first", 10),
    ("typo", 27),
    ("genitive", 15),
)


def planted_duplicates(people: int, seed: int, share: float) -> dict[int, int]:
    """Return which people are recorded twice: original number -> the copy's number.

    Copies are numbered after the last person (`people + 1`, `people + 2`, … in the order of
    their originals), so the ids of the people themselves do not depend on `share`.

    Args:
        people: how many people the demo has (without copies).
        seed: the demo seed.
        share: the share of people copied (0.015 is 1.5 %).
    """
    k = round(people * share)
    rng = random.Random(f"khronika demo duplicates {seed}")
    chosen = sorted(rng.sample(range(1, people + 1), k)) if k else []
    return {n: people + i for i, n in enumerate(chosen, 1)}


def duplicate_person(
    records: list[dict[str, Any]],
    pid: str,
    rng: random.Random,
    *,
    event_id: Callable[[], str],
    n_sources: int,
    horizon: date,
) -> list[dict[str, Any]]:
    """Return a second record of a person (and of their case) under id `pid`.

    Args:
        records: the person's records as generated (versions of the person, then events).
        pid: the copy's person id.
        rng: the duplicates' own random generator.
        event_id: hands out the next event id.
        n_sources: how many demo sources there are (a peer cites some of its own).
        horizon: the last day of the demo data.
    """
    person = [r for r in records if r["type"] == "person"][-1]
    events = {r["id"]: r for r in records if r["type"] == "event"}  # the last version of each
    first = min(r["recorded"] for r in records)
    imported = min(
        date.fromisoformat(first[:10]).toordinal() + rng.randrange(30, 600), horizon.toordinal()
    )
    recorded = f"{date.fromordinal(imported).isoformat()}T09:00:00Z"
    copy: dict[str, Any] = {
        "type": "person",
        "id": pid,
        "names": _names(person, rng),
        "sex": person["sex"],
        "birth_date": _birth_date(person["birth_date"], rng),
        "visibility": "restricted",
        "recorded": recorded,
    }
    if rng.random() < 0.92:
        copy["region"] = person["region"]
    case = [e for e in events.values() if e["kind"] in CASE_KINDS]
    kept = [e for e in case if rng.random() < 0.75] or case[:1]
    out = [copy]
    for e in kept:
        out.append(_event(e, pid, rng, event_id(), recorded, n_sources))
    return out


def _event(
    e: dict[str, Any], pid: str, rng: random.Random, eid: str, recorded: str, n_sources: int
) -> dict[str, Any]:
    details = dict(e.get("details") or {})
    if "case_number" in details and rng.random() < 0.4:
        del details["case_number"]
    if "facility" in details and rng.random() < 0.5:
        del details["facility"]
    text = e["date"]
    if len(text) == 10 and rng.random() < 0.15:
        text = text[:7]  # the peer knew the month only
    source = e["sources"][0] if rng.random() < 0.6 else f"s{rng.randrange(n_sources)}"
    out = {
        **e,
        "id": eid,
        "person": pid,
        "date": text,
        "sources": [source],
        "recorded": max(recorded, e["recorded"]),
    }
    if details:
        out["details"] = details
    else:
        out.pop("details", None)
    return out


def _birth_date(born: str, rng: random.Random) -> str:
    """The same date, or its year only, or (the peer knew it) a day in the same month."""
    u = rng.random()
    if len(born) == 7:
        if u < 0.2:
            return born[:4]
        if u < 0.35:
            return f"{born}-{rng.randrange(1, 29):02d}"
        return born
    return f"{born}-{rng.randrange(1, 13):02d}" if u < 0.3 else born


def _names(person: dict[str, Any], rng: random.Random) -> list[dict[str, Any]]:
    by_lang = {n["lang"]: n["name"] for n in person["names"]}
    be, ru = by_lang["be"], by_lang["ru"]
    variant = rng.choices([v for v, _ in NAME_VARIANTS], weights=[w for _, w in NAME_VARIANTS])[0]
    if variant == "russian":
        return [{"name": ru, "lang": "ru", "primary": True}]
    if variant == "latin":
        system = rng.choice(["english", "icao", "bgn"])
        return [{"name": transliterate(ru, lang="ru", system=system), "lang": "ru-Latn"}]
    if variant == "lacinka":
        return [{"name": transliterate(be, lang="be", system="lacinka"), "lang": "be-Latn"}]
    if variant == "surname-first":
        words = ru.split() if rng.random() < 0.5 else be.split()
        lang = "ru" if " ".join(words) == ru else "be"
        name = " ".join([words[-1].upper(), *words[:-1]])
        return [{"name": name, "lang": lang, "primary": True}]
    if variant == "typo":
        lang, text = ("be", be) if rng.random() < 0.5 else ("ru", ru)
        words = text.split()
        i = len(words) - 1 if rng.random() < 0.7 else 0
        words[i] = _slip(words[i], rng)
        return [{"name": " ".join(words), "lang": lang, "primary": True}]
    return [{"name": genitive_ru(ru, person["sex"]), "lang": "ru", "primary": True}]


def _slip(word: str, rng: random.Random) -> str:
    """One letter slipped: replaced, dropped, doubled or swapped with the next (not the first)."""
    i = rng.randrange(1, len(word) - 1) if len(word) > 2 else len(word) - 1
    op = rng.choice(("replace", "drop", "double", "swap"))
    if op == "replace":
        letters = [c for c in "абвгдеклмнопрстуя" if c != word[i]]
        return word[:i] + rng.choice(letters) + word[i + 1 :]
    if op == "drop":
        return word[:i] + word[i + 1 :]
    if op == "double":
        return word[: i + 1] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :] if i + 1 < len(word) else word


# Russian genitive endings of the demo's names: (nominative ending, genitive ending), longest
# first. Indeclinable surnames (-енко, -ко) and women's consonant-final surnames (-ович,
# -ук …) stay as they are.
_GEN_M = (
    ("ский", "ского"),
    ("ий", "ия"),
    ("ей", "ея"),
    ("ай", "ая"),
    ("ец", "ца"),
    ("онок", "онка"),
    ("ь", "я"),
    ("ья", "ьи"),
    ("а", "ы"),
)
_GEN_F = (
    ("ская", "ской"),
    ("ова", "овой"),
    ("ина", "иной"),
    ("ья", "ьи"),
    ("я", "и"),
    ("ь", "и"),
    ("а", "ы"),
)
_SOFT_A = "гкхжчшщ"  # after these, Russian writes -и, not -ы


def genitive_ru(name: str, sex: str) -> str:
    """Put a demo Russian name in the genitive (`Александр Выдумчук` → `Александра Выдумчука`).

    Covers the given names, patronymics and surname patterns of the demo stock only.
    """
    return " ".join(_genitive_word(w, sex) for w in name.split())


_GEN_WORDS = {"Павел": "Павла", "Пётр": "Петра", "Лев": "Льва"}


def _genitive_word(word: str, sex: str) -> str:
    if word in _GEN_WORDS:
        return _GEN_WORDS[word]
    if word.endswith(("енко", "ко")):
        return word
    for nom, gen in _GEN_F if sex == "f" else _GEN_M:
        if word.endswith(nom):
            stem = word[: -len(nom)]
            if gen == "ы" and stem and stem[-1] in _SOFT_A:
                gen = "и"
            return stem + gen
    if sex == "f":
        return word  # a woman's consonant-final surname does not decline
    return word + "а"
