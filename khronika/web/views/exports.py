"""Public exports (NDJSON, CSV zip) and the Atom feed of new public events."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from typing import Any

import orjson
from fastapi import Request
from fastapi.responses import Response, StreamingResponse

from khronika.interchange import export_records
from khronika.interchange.csvzip import write_csv_zip
from khronika.web.i18n import gettext, use_lang
from khronika.web.labels import label
from khronika.web.offload import catalogue_of
from khronika.web.render import lang_of

__all__ = ["export_csv", "export_ndjson", "feed"]

FEED_SIZE = 50


async def export_ndjson(request: Request) -> Any:
    """Everything that may be published, as khronika NDJSON v1 (scope `public`)."""
    db = request.app.state.db
    # Nothing is read here: Starlette iterates a plain generator in its thread pool.

    def lines() -> Iterator[bytes]:
        for record in export_records(db, scope="public"):
            yield orjson.dumps(record) + b"\n"

    return StreamingResponse(
        lines(),
        media_type="application/x-ndjson",
        headers={"content-disposition": 'attachment; filename="khronika-public.ndjson"'},
    )


_CSV_LOCK = threading.Lock()


def export_csv(request: Request) -> Any:
    """Everything that may be published, as the CSV zip (scope `public`)."""
    # A plain `def`: the whole export is read and zipped in a worker thread, not the loop.
    db = request.app.state.db
    buf = io.BytesIO()
    with _CSV_LOCK:
        write_csv_zip(export_records(db, scope="public"), buf)
    return Response(
        buf.getvalue(),
        media_type="application/zip",
        headers={"content-disposition": 'attachment; filename="khronika-public-csv.zip"'},
    )


async def feed(request: Request) -> Any:
    """Atom feed of the newest public events (by when they were recorded)."""
    # On the loop: fifty entries from memory (the catalogue's change check runs in a thread).
    cat = await catalogue_of(request.app.state.catalogue)
    lang = lang_of(request)
    use_lang(lang)
    entries: list[dict[str, Any]] = []
    for e in cat.events[:FEED_SIZE]:
        card = cat.by_id.get(e["person"])
        if card is None:
            continue
        entries.append(
            {
                "event": e,
                "name": card.display[lang],
                "kind": label("kind", e["kind"], card.person.get("sex")),
                "sources": [cat.sources[s] for s in e.get("sources", ()) if s in cat.sources],
            }
        )
    base = str(request.base_url).rstrip("/")
    env = request.app.state.templates
    xml = env.get_template("feed.xml").render(
        entries=entries,
        base=base,
        lang=lang,
        title=gettext("khronika: new events"),
        updated=entries[0]["event"]["recorded"] if entries else "1970-01-01T00:00:00Z",
        synthetic=cat.synthetic,
    )
    return Response(xml, media_type="application/atom+xml; charset=utf-8")
