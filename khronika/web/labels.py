"""Words the pages show for codes: event kinds, statuses, release bases, regions.

Every label is an English msgid translated by the catalogues (`N_` only marks it).
"""

from __future__ import annotations

from khronika.web.i18n import N_, gettext

__all__ = ["label", "region_name", "said_of"]

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
        "in_absentia_proceedings": N_("Special proceedings (trial in absentia) opened"),
        "property_seized": N_("Property seized"),
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
    # What an official list's entry is (`khronika.listwatch.figures.MEDIA`).
    "medium": {
        "telegram": N_("Telegram"),
        "vk": N_("VK"),
        "other_networks": N_("Other social networks"),
        "site": N_("Sites"),
        "person": N_("People"),
        "organisation": N_("Organisations"),
        "print_other": N_("Print and other"),
    },
}

# Belarusian and Russian agree verbs and participles with the person: a woman is
# "вызвалена", not "вызвалены". These msgids are the forms said of a woman (English: same).
_OF_A_WOMAN: dict[str, str] = {
    "Released": N_("Released (of a woman)"),
    "Died": N_("Died (of a woman)"),
    "Recognised as a political prisoner": N_("Recognised as a political prisoner (of a woman)"),
    "Put on an official list": N_("Put on an official list (of a woman)"),
    "Removed from an official list": N_("Removed from an official list (of a woman)"),
    "Left the country": N_("Left the country (of a woman)"),
    "Shown in state media": N_("Shown in state media (of a woman)"),
    "Applied to the return commission": N_("Applied to the return commission (of a woman)"),
    "Born": N_("Born (of a woman)"),
    "Recognised as a political prisoner by": N_(
        "Recognised as a political prisoner by (of a woman)"
    ),
}

# Said of a man (or when the sex is not known): translated where `said_of` is used.
_OF_A_MAN = (N_("Born"), N_("Recognised as a political prisoner by"))

_REGIONS: dict[str, dict[str, str]] = {
    "BY-BR": {"be": "Брэсцкая вобласць", "ru": "Брестская область", "en": "Brest region"},
    "BY-HO": {"be": "Гомельская вобласць", "ru": "Гомельская область", "en": "Homiel region"},
    "BY-HR": {"be": "Гродзенская вобласць", "ru": "Гродненская область", "en": "Hrodna region"},
    "BY-HM": {"be": "Мінск", "ru": "Минск", "en": "Minsk (city)"},
    "BY-MA": {"be": "Магілёўская вобласць", "ru": "Могилёвская область", "en": "Mahilioŭ region"},
    "BY-MI": {"be": "Мінская вобласць", "ru": "Минская область", "en": "Minsk region"},
    "BY-VI": {"be": "Віцебская вобласць", "ru": "Витебская область", "en": "Viciebsk region"},
}


def label(group: str, code: str, sex: str | None = None) -> str:
    """Return the translated word for `code` in `group` (the code itself when unknown).

    With `sex="f"` the form said of a woman, where the language has one.
    """
    msgid = _LABELS.get(group, {}).get(code)
    if not msgid:
        return code.replace("_", " ")
    return said_of(msgid, sex)


def said_of(msgid: str, sex: str | None) -> str:
    """Translate an interface string, in the form said of a woman when `sex` is `f`."""
    if sex == "f" and msgid in _OF_A_WOMAN:
        return gettext(_OF_A_WOMAN[msgid])
    return gettext(msgid)


def region_name(code: str | None, lang: str) -> str:
    """Return a region's name in `lang` (ISO 3166-2 codes known here; other text as is)."""
    if not code:
        return ""
    names = _REGIONS.get(code)
    return names.get(lang, names["en"]) if names else code
