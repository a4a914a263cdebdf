"""The home page: headline figures, the people behind them, what was recorded lately."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from khronika.web.labels import label
from khronika.web.pagecache import cached_page
from khronika.web.render import lang_of, page, today
from khronika.web.views.figures import headline
from khronika.web.views.people import card_json, photo_url

__all__ = ["home"]

FEATURED = 8
LATEST = 8


@cached_page
def home(request: Request) -> Any:
    """Home: figures (from khronika.stats), people in custody, latest public events."""
    # In a worker thread (the figures read the database): waiting for the catalogue is too.
    cat = request.app.state.catalogue.get()
    lang = lang_of(request)
    on = today(request)
    figures, reason = headline(request.app.state.db, on)
    total = sum(cat.counts.values())
    named = len(cat.cards)
    in_custody = [c for c in cat.cards if c.custody.status == "in_custody"]
    # The longest held first: the people the world is most at risk of forgetting.
    in_custody.sort(key=lambda c: (c.custody.periods[-1][0], c.id))
    featured = in_custody[:FEATURED]
    latest = []
    for e in cat.events[:LATEST]:
        card = cat.by_id.get(e["person"])
        if card is not None:
            latest.append({**e, "name": card.display[lang], "sex": card.person.get("sex")})
    data = {
        "as_of": on.isoformat(),
        "registry": {"people": total, "named": named, "counted_not_named": total - named},
        "figures": figures,
        "featured": [card_json(c, lang, on) for c in featured],
        "latest": latest,
    }
    if reason:
        data["figures_unavailable"] = reason
    context = {"cards": featured, "on": on, "label": label, "photo_url": photo_url}
    return page(request, "home.html", data, context=context)
