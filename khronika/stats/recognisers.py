"""Which recognising organisation the figures are for, when the caller does not say."""

from __future__ import annotations

from khronika import settings
from khronika.errors import ConfigurationError, NotFound
from khronika.storage import Database
from khronika.storage.stats import list_recognisers

__all__ = ["recognisers", "resolve_recogniser"]


def recognisers(db: Database) -> list[tuple[str, str]]:
    """Return (id, name) of every current organisation of kind `recogniser`."""
    with db.connect() as conn:
        return list_recognisers(conn)


def resolve_recogniser(db: Database, by: str | None) -> str:
    """Return the recogniser to use: `by`, else KHRONIKA_DEFAULT_RECOGNISER, else the only one.

    Raises:
        NotFound: `by` (or the configured default) is not a current recogniser.
        ConfigurationError: none was given or configured and there is not exactly one; the
            message lists them.
    """
    known = recognisers(db)
    ids = [i for i, _ in known]
    listing = ", ".join(f"{i} ({name})" for i, name in known) or "none"
    chosen = by or settings.get("KHRONIKA_DEFAULT_RECOGNISER") or None
    if chosen is not None:
        if chosen not in ids:
            raise NotFound(f"{chosen!r} is not a recogniser; recognisers: {listing}")
        return chosen
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise ConfigurationError("no organisation of kind 'recogniser' exists")
    raise ConfigurationError(
        f"{len(ids)} recognisers exist; choose one with --by (or set "
        f"KHRONIKA_DEFAULT_RECOGNISER): {listing}"
    )
