"""The campaign's own facts in an item: who, by the state's account, is in special proceedings,
was convicted in absentia, returned through the commission, repented on TV, lost property.

A state report is the state's claim, not a documented fact: every claim found here is only
*proposed* (the `claim-person` kind, `khronika.media.claim_kind`), and a reviewer's accept
turns it into an event citing the item. This module is pure: it reads an item's text and its
stored findings (mentions and narrative hits) and returns claims.

A claim needs a person named in the item and linked to the registry (automatically or by a
reviewer), not an official, and a narrative hit in the same sentence as the name or the one
before it (the targeting rule of `khronika.media.analysis`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CLAIM_KINDS", "Claim", "claim_ref", "find_claims", "parse_claim_ref"]

#: The event kinds a claim may propose.
CLAIM_KINDS = (
    "in_absentia_proceedings",
    "convicted_in_absentia",
    "return_commission",
    "property_seized",
)

# Verbs of a verdict: "осуждён заочно", "приговорили", "асуджаны завочна", "прысудзіў".
_VERDICT = re.compile(
    r"\b(?:осужд[её]н\w*|осуди\w*|приговор\w*|вынес\w* приговор|асуджан\w*|асудзі\w*|"
    r"прысуд\w*|вынес\w* прысуд)",
    re.IGNORECASE,
)
# Who opened the proceedings, as state reports name them (Russian and Belarusian).
_BODIES = (
    (
        re.compile(r"Следственн\w+ комитет\w*|\bСК\b|Следч\w+ камітэт\w*", re.I),
        "investigative_committee",
    ),
    (
        re.compile(
            r"Генеральн\w+ прокуратур\w+|Генпрокуратур\w+|Генеральн\w+ пракуратур\w+|Генпракуратур\w+",
            re.I,
        ),
        "prosecutor_general",
    ),
    (re.compile(r"\bКГБ\b|\bКДБ\b"), "kgb"),
    (re.compile(r"прокуратур\w+|пракуратур\w+", re.I), "prosecutor"),
)
# "ст. 361-1", "статьи 130", "частью 3 статьи 361-1", "артыкула 342" — the article numbers.
_ARTICLES = re.compile(
    r"(?:\bст\.|стать\w+|артыкул\w*)\s*((?:\d{3}(?:-\d)?)(?:\s*(?:,|и|і)\s*\d{3}(?:-\d)?)*)",
    re.IGNORECASE,
)
_RETURNED = re.compile(
    r"\b(?:вернул\w+|возвратил\w+|вярнул\w+|вярнуў\w*|приехал\w*|прыехаў\w*)", re.I
)
# What was seized: the nouns state reports use.
_PROPERTY = re.compile(
    r"\b(квартир\w*|дом\w*|автомобил\w*|машин\w*|земельн\w+ участ\w+|дол\w+|кватэр\w*|"
    r"аўтамабіл\w*|зямельн\w+ участ\w+|доля|долю)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Claim:
    """One fact a state report claims about one named person.

    Attributes:
        kind: the event kind it would become (`CLAIM_KINDS`).
        person: the registry person the mention is linked to.
        start, end: the mention's offsets in the item's text.
        mention: the mention as written.
        tag: the narrative whose evidence carries the claim.
        evidence: that narrative's matched words.
        sentence: the sentence (or the two) the claim stands in.
        details: the event's details as far as the text says them (body, articles, stage, what).
    """

    kind: str
    person: str
    start: int
    end: int
    mention: str
    tag: str
    evidence: str
    sentence: str
    details: dict[str, Any] = field(default_factory=dict)


def claim_ref(item_id: str, kind: str, start: int, end: int) -> str:
    """The review queue's reference of a claim: `ITEM#KIND@START-END`."""
    return f"{item_id}#{kind}@{start}-{end}"


def parse_claim_ref(ref: str) -> tuple[str, str, int, int]:
    """Split a claim reference into (item id, kind, start, end).

    Raises:
        ValueError: not a claim reference.
    """
    head, _, span = ref.rpartition("@")
    item, _, kind = head.rpartition("#")
    start, _, end = span.partition("-")
    if not item or kind not in CLAIM_KINDS or not start.isdigit() or not end.isdigit():
        raise ValueError(f"not a claim reference: {ref!r} (ITEM#KIND@START-END)")
    return item, kind, int(start), int(end)


def find_claims(
    text: str,
    sentences: Sequence[tuple[int, int]],
    mentions: Sequence[Mapping[str, Any]],
    narratives: Sequence[Mapping[str, Any]],
) -> list[Claim]:
    """Return the claims an item makes about the linked people it names.

    Args:
        text: the item's text.
        sentences: (start, end) of each sentence (`khronika.media.people.sentences`).
        mentions: stored mentions (`start`, `end`, `text`, `person`, `link`, `role`).
        narratives: stored narrative hits (`tag`, `evidence`, `start`, `end`).
    """

    def sentence_of(pos: int) -> int:
        for i, (a, b) in enumerate(sentences):
            if a <= pos < b:
                return i
        return len(sentences) - 1

    hits: dict[int, list[Mapping[str, Any]]] = {}
    for n in narratives:
        hits.setdefault(sentence_of(int(n["start"])), []).append(n)
    out: list[Claim] = []
    seen: set[tuple[str, str]] = set()
    for m in mentions:
        person = m.get("person")
        if not person or m.get("link") not in ("auto", "confirmed") or m.get("role") == "official":
            continue
        i = sentence_of(int(m["start"]))
        near = [n for j in (i, i - 1) for n in hits.get(j, ())]
        lo = sentences[max(i - 1, 0)][0] if near and sentences else 0
        context = text[lo : sentences[i][1]] if sentences else text
        own = text[sentences[i][0] : sentences[i][1]] if sentences else text
        for claim in _claims_near(m, str(person), near, context, own):
            if (claim.kind, claim.person) not in seen:
                seen.add((claim.kind, claim.person))
                out.append(claim)
    return out


def _claims_near(
    m: Mapping[str, Any],
    person: str,
    near: Sequence[Mapping[str, Any]],
    context: str,
    own: str,
) -> list[Claim]:
    tags = {str(n["tag"]): n for n in near}
    found: list[tuple[str, Mapping[str, Any], dict[str, Any]]] = []
    if n := tags.get("in_absentia"):
        if _VERDICT.search(context):
            found.append(("convicted_in_absentia", n, _case(context)))
        else:
            found.append(("in_absentia_proceedings", n, {**_case(context), **_body(context)}))
    if n := tags.get("repentance"):
        found.append(("return_commission", n, {"stage": "shown_on_tv"}))
    elif n := tags.get("return_commission"):
        stage = "returned" if _RETURNED.search(own) else "applied"
        found.append(("return_commission", n, {"stage": stage}))
    if n := tags.get("property_seizure"):
        what = _PROPERTY.search(context)
        found.append(("property_seized", n, {"what": what[1].lower()} if what else {}))
    return [
        Claim(
            kind=kind,
            person=person,
            start=int(m["start"]),
            end=int(m["end"]),
            mention=str(m["text"]),
            tag=str(n["tag"]),
            evidence=str(n["evidence"]),
            sentence=context.strip(),
            details=details,
        )
        for kind, n, details in found
    ]


def _case(context: str) -> dict[str, Any]:
    articles: list[str] = []
    for match in _ARTICLES.finditer(context):
        for a in re.findall(r"\d{3}(?:-\d)?", match[1]):
            if a not in articles:
                articles.append(a)
    return {"articles": articles} if articles else {}


def _body(context: str) -> dict[str, Any]:
    for pattern, body in _BODIES:
        if pattern.search(context):
            return {"body": body}
    return {}
