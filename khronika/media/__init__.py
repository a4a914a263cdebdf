"""media: the state-media campaign against exiles, as evidence.

    files / feeds ──read (readers.py)──▶ items ──ingest (ingest.py)──▶ item versions + sources
                                                   │
                  analysis.py: languages, narratives, people named, links, targets
                                                   │
         auto links ◀── score ≥ 0.95 ──┴── 0.85…0.95 ──▶ review queue (mention-person,
                                                          kinds.py) ──▶ media_appearance
                                                   │
         claims.py: what the item claims of a linked person ──▶ review queue (claim-person)
                    ──▶ in_absentia_proceedings, convicted_in_absentia, return_commission,
                        property_seized

Importing this package declares the `mention-person` and `claim-person` review kinds.
"""

from khronika.media.analysis import AUTO_LINK, REVIEW_LINK, Analyser, Analysis
from khronika.media.ingest import IngestReport, ItemIn, ingest_items
from khronika.media.kinds import CLAIM_PERSON, MENTION_PERSON
from khronika.media.narratives import NarrativeHit, load_taxonomy, tag_text
from khronika.media.outlets import Outlet, starter_outlets
from khronika.media.readers import read_items
from khronika.media.reports import item_report, list_item_reports, person_mentions

__all__ = [
    "AUTO_LINK",
    "CLAIM_PERSON",
    "MENTION_PERSON",
    "REVIEW_LINK",
    "Analyser",
    "Analysis",
    "IngestReport",
    "ItemIn",
    "NarrativeHit",
    "Outlet",
    "ingest_items",
    "item_report",
    "list_item_reports",
    "load_taxonomy",
    "person_mentions",
    "read_items",
    "starter_outlets",
    "tag_text",
]
