"""Words the pages show for codes: event kinds, statuses, release bases, regions.

Every label is an English msgid translated by the catalogues (`N_` only marks it).
"""

from __future__ import annotations

from khronika.web.i18n import N_, gettext

__all__ = ["label", "region_name"]

_LABELS: dict[str, dict[str, str]] = {
    "kind": {
        "detained": N_("Detained"),
        "charged": N_("Charged"),
        "convicted": N_("Convicted"),
        "convicted_in_absentia": N_("Convicted in absentia"),
        "transferred": N_("Transferred"),
        "released": N_("Released"),
        "died": N_("Died"),
        "recognised": N_("Recognised as a political prisoner"),
        "recognition_withdrawn": N_("Recognition withdrawn"),
        "designated": N_("Put on an official list"),
        "delisted": N_("Removed from an official list"),
        "emigrated": N_("Left the country"),
        "media_appearance": N_("Shown in state media"),
        "return_commission": N_("Applied to the return commission"),
    },
    "status": {
        "in_custody": N_("In custody"),
        "released": N_("Released"),
        "died": N_("Died"),
        "other": N_("Other"),
    },
    "basis": {
        "pardon": N_("pardon (clemency)"),
        "amnesty": N_("amnesty"),
        "end_of_term": N_("end of term"),
        "parole": N_("parole"),
        "exchange": N_("exchange"),
        "deportation": N_("deportation"),
        "acquittal": N_("acquittal"),
        "other": N_("other"),
    },
    "sentence": {
        "colony": N_("colony"),
        "prison": N_("prison"),
        "restricted_freedom": N_("restricted freedom"),
        "house_arrest": N_("house arrest"),
        "fine": N_("fine"),
        "other": N_("other"),
    },
    "sex": {"f": N_("Women"), "m": N_("Men"), "unknown": N_("Not known")},
}

_REGIONS: dict[str, dict[str, str]] = {
    "BY-BR": {"be": "Брэсцкая вобласць", "ru": "Брестская область", "en": "Brest region"},
    "BY-HO": {"be": "Гомельская вобласць", "ru": "Гомельская область", "en": "Homiel region"},
    "BY-HR": {"be": "Гродзенская вобласць", "ru": "Гродненская область", "en": "Hrodna region"},
    "BY-HM": {"be": "Мінск", "ru": "Минск", "en": "Minsk (city)"},
    "BY-MA": {"be": "Магілёўская вобласць", "ru": "Могилёвская область", "en": "Mahilioŭ region"},
    "BY-MI": {"be": "Мінская вобласць", "ru": "Минская область", "en": "Minsk region"},
    "BY-VI": {"be": "Віцебская вобласць", "ru": "Витебская область", "en": "Viciebsk region"},
}


def label(group: str, code: str) -> str:
    """Return the translated word for `code` in `group` (the code itself when unknown)."""
    msgid = _LABELS.get(group, {}).get(code)
    return gettext(msgid) if msgid else code.replace("_", " ")


def region_name(code: str | None, lang: str) -> str:
    """Return a region's name in `lang` (ISO 3166-2 codes known here; other text as is)."""
    if not code:
        return ""
    names = _REGIONS.get(code)
    return names.get(lang, names["en"]) if names else code
