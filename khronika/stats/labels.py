"""Chart labels in Belarusian, Russian and English."""

from __future__ import annotations

__all__ = ["LANGS", "label"]

LANGS = ("en", "be", "ru")

_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "prisoners_title": "Political prisoners",
        "prisoners_sub": "People in custody and recognised as political prisoners, at the end of each {step}",
        "now": "{org}, as known now",
        "then": "{org}, as known at the time",
        "known_on": "{org}, as known on {k}",
        "flows_title": "New recognitions and releases, by {step}",
        "flows_sub": "Recognised by {org}; releases of its political prisoners, by basis",
        "recognised": "newly recognised",
        "people": "people",
        "synthetic": "SYNTHETIC DATA",
        "synthetic_note": "synthetic data: every person and event is invented",
        "suppressed": "counts under {k} are not drawn",
        "made": "khronika · figures as defined in docs/figures.md",
        "month": "month",
        "quarter": "quarter",
        "year": "year",
        "pardon": "pardon",
        "amnesty": "amnesty",
        "end_of_term": "end of term",
        "parole": "parole",
        "exchange": "exchange",
        "deportation": "deportation",
        "acquittal": "acquittal",
        "other": "other",
    },
    "be": {
        "prisoners_title": "Палітычныя вязні",
        "prisoners_sub": "Людзі пад вартай, прызнаныя палітвязнямі, на канец кожнага {step}",
        "now": "{org}, як вядома цяпер",
        "then": "{org}, як было вядома тады",
        "known_on": "{org}, як было вядома {k}",
        "flows_title": "Новыя прызнанні і вызваленні па {step}",
        "flows_sub": "Прызнанні: {org}; вызваленні палітвязняў паводле падставы",
        "recognised": "новапрызнаныя",
        "people": "чалавек",
        "synthetic": "СІНТЭТЫЧНЫЯ ДАНЫЯ",
        "synthetic_note": "сінтэтычныя даныя: усе людзі і падзеі выдуманыя",
        "suppressed": "колькасці менш за {k} не паказаныя",
        "made": "khronika · лічбы паводле docs/figures.md",
        "month": "месяца",
        "quarter": "квартала",
        "year": "года",
        "pardon": "памілаванне",
        "amnesty": "амністыя",
        "end_of_term": "канец тэрміну",
        "parole": "умоўна-датэрмінова",
        "exchange": "абмен",
        "deportation": "дэпартацыя",
        "acquittal": "апраўданне",
        "other": "іншае",
    },
    "ru": {
        "prisoners_title": "Политические заключённые",
        "prisoners_sub": "Люди под стражей, признанные политзаключёнными, на конец каждого {step}",
        "now": "{org}, как известно сейчас",
        "then": "{org}, как было известно тогда",
        "known_on": "{org}, как было известно {k}",
        "flows_title": "Новые признания и освобождения по {step}",
        "flows_sub": "Признания: {org}; освобождения политзаключённых по основанию",
        "recognised": "вновь признанные",
        "people": "человек",
        "synthetic": "СИНТЕТИЧЕСКИЕ ДАННЫЕ",
        "synthetic_note": "синтетические данные: все люди и события вымышлены",
        "suppressed": "числа меньше {k} не показаны",
        "made": "khronika · цифры по определениям docs/figures.md",
        "month": "месяца",
        "quarter": "квартала",
        "year": "года",
        "pardon": "помилование",
        "amnesty": "амнистия",
        "end_of_term": "конец срока",
        "parole": "условно-досрочно",
        "exchange": "обмен",
        "deportation": "депортация",
        "acquittal": "оправдание",
        "other": "другое",
    },
}
# "по месяцам" reads better than "по месяца" in the flows title.
_BY_STEP = {
    "be": {"month": "месяцах", "quarter": "кварталах", "year": "гадах"},
    "ru": {"month": "месяцам", "quarter": "кварталам", "year": "годам"},
    "en": {"month": "month", "quarter": "quarter", "year": "year"},
}


def label(lang: str, key: str, **values: str) -> str:
    """Return the label `key` in `lang` (be, ru or en) with `values` filled in."""
    text = _LABELS[lang][key]
    if "step" in values and key == "flows_title":
        values = {**values, "step": _BY_STEP[lang][values["step"]]}
    elif "step" in values:
        values = {**values, "step": _LABELS[lang][values["step"]]}
    return text.format(**values)
