"""Synthetic name stock for demo data: given names, patronymics and surnames in Belarusian
and Russian Cyrillic, with a Latin (passport-style) spelling.

Every person made from this stock is invented. Surnames are built from roots and the
suffix patterns common in Belarus (-enka, -ovich, -ski, -uk, -au …), each with its
Belarusian and Russian form and male/female variants; a few hundred word roots plus roots
made of syllables give tens of thousands of distinct surnames. Frequencies follow Zipf's
law, as real surnames do.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from khronika.names import transliterate

__all__ = ["NameStock", "SyntheticName"]

# (Belarusian, Russian) given names. Common names in Belarus; no surname appears here.
MALE = [
    ("Аляксандр", "Александр"),
    ("Алесь", "Алесь"),
    ("Сяргей", "Сергей"),
    ("Андрэй", "Андрей"),
    ("Дзмітрый", "Дмитрий"),
    ("Зміцер", "Дмитрий"),
    ("Мікалай", "Николай"),
    ("Уладзімір", "Владимир"),
    ("Ігар", "Игорь"),
    ("Павел", "Павел"),
    ("Віктар", "Виктор"),
    ("Юрый", "Юрий"),
    ("Яўген", "Евгений"),
    ("Аляксей", "Алексей"),
    ("Максім", "Максим"),
    ("Раман", "Роман"),
    ("Вадзім", "Вадим"),
    ("Васіль", "Василий"),
    ("Антон", "Антон"),
    ("Арцём", "Артём"),
    ("Кірыл", "Кирилл"),
    ("Міхаіл", "Михаил"),
    ("Уладзіслаў", "Владислав"),
    ("Віталь", "Виталий"),
    ("Ілья", "Илья"),
    ("Іван", "Иван"),
    ("Пётр", "Пётр"),
    ("Станіслаў", "Станислав"),
    ("Леанід", "Леонид"),
    ("Анатоль", "Анатолий"),
    ("Генадзь", "Геннадий"),
    ("Валерый", "Валерий"),
    ("Юрась", "Юрий"),
    ("Ягор", "Егор"),
    ("Тарас", "Тарас"),
    ("Глеб", "Глеб"),
    ("Даніла", "Данила"),
    ("Фёдар", "Фёдор"),
    ("Рыгор", "Григорий"),
    ("Канстанцін", "Константин"),
    ("Эдуард", "Эдуард"),
    ("Руслан", "Руслан"),
    ("Дзяніс", "Денис"),
    ("Ян", "Ян"),
    ("Мікіта", "Никита"),
    ("Лявон", "Леон"),
    ("Алег", "Олег"),
    ("Вячаслаў", "Вячеслав"),
    ("Яраслаў", "Ярослав"),
    ("Сцяпан", "Степан"),
]
FEMALE = [
    ("Вольга", "Ольга"),
    ("Ганна", "Анна"),
    ("Алена", "Елена"),
    ("Марыя", "Мария"),
    ("Наталля", "Наталья"),
    ("Кацярына", "Екатерина"),
    ("Святлана", "Светлана"),
    ("Таццяна", "Татьяна"),
    ("Ірына", "Ирина"),
    ("Юлія", "Юлия"),
    ("Ксенія", "Ксения"),
    ("Дар'я", "Дарья"),
    ("Настасся", "Анастасия"),
    ("Аляксандра", "Александра"),
    ("Людміла", "Людмила"),
    ("Галіна", "Галина"),
    ("Надзея", "Надежда"),
    ("Вера", "Вера"),
    ("Любоў", "Любовь"),
    ("Вікторыя", "Виктория"),
    ("Яўгенія", "Евгения"),
    ("Валянціна", "Валентина"),
    ("Ала", "Алла"),
    ("Жанна", "Жанна"),
    ("Лізавета", "Елизавета"),
    ("Маргарыта", "Маргарита"),
    ("Алеся", "Олеся"),
    ("Паліна", "Полина"),
    ("Кіра", "Кира"),
    ("Ларыса", "Лариса"),
    ("Тамара", "Тамара"),
    ("Зоя", "Зоя"),
    ("Раіса", "Раиса"),
    ("Ніна", "Нина"),
    ("Арына", "Арина"),
    ("Вераніка", "Вероника"),
    ("Дыяна", "Диана"),
]
# Russian word roots that Belarusian surnames grow from (trades, animals, plants, places).
ROOTS = """
бондар гончар ткач швец рыбак пастух бобр волк медвед зайц лис сокол ворон голуб сорок журавл
синиц грач дрозд снегир берез дуб клен калин малин вишн орех ячмен горох мороз зим весн камен
болот озер бор луг брод хмел мак жит овс пшен мед хлеб пирог стрел кош куз колес пек шил
сапож бочар скрип дуд труб барабан свист грам книж писар дьяк поп мних кузьм фом лук тит
карп мирон сав трофим харит ермол клим прох евсе игнат кондрат лавр макар назар остап
панкрат родион самсон тихон устин фил юдин яким белоус черноус рыж сед лыс кудр толст
тонк горбат глух кривонос носат губ зуб лоб бород вус рог коп хвост крыл пер пух
шишк ягод гриб корн лист цвет зерн сноп стог плуг борон сох сер коз вол бык конь кобыл
жереб ягн пчел шмел жук? комар муравь паук сом щук карас линь окун лещ ерш налим угр
рак краб мох трав осок тростник камыш ситн лоз вяз ольх осин тополь ясен рябин черемух
""".replace("?", "").split()
_ONSETS = [
    "б",
    "в",
    "г",
    "д",
    "ж",
    "з",
    "к",
    "л",
    "м",
    "н",
    "п",
    "р",
    "с",
    "т",
    "ф",
    "х",
    "ц",
    "ч",
    "ш",
    "бр",
    "гл",
    "гр",
    "др",
    "кл",
    "кр",
    "пл",
    "пр",
    "ст",
    "тр",
    "хв",
    "шп",
]
_VOWELS = ["а", "о", "у", "и", "е", "ы"]
_CODAS = ["", "б", "в", "д", "к", "л", "м", "н", "р", "с", "т", "ш", "ч", "ц", "х", "ль", "нь"]

# (Russian male, Russian female, Belarusian male, Belarusian female) suffix patterns.
PATTERNS = [
    ("енко", "енко", "енка", "енка"),
    ("ко", "ко", "ка", "ка"),
    ("ович", "ович", "овіч", "овіч"),
    ("евич", "евич", "евіч", "евіч"),
    ("ский", "ская", "скі", "ская"),
    ("ук", "ук", "ук", "ук"),
    ("чик", "чик", "чык", "чык"),
    ("ов", "ова", "оў", "ова"),
    ("ин", "ина", "ін", "іна"),
    ("ец", "ец", "ец", "ец"),
    ("онок", "онок", "ёнак", "ёнак"),
    ("ич", "ич", "іч", "іч"),
]


def _ru_to_be_root(root: str) -> str:
    """Approximate the Belarusian spelling of a Russian root (akanye and letter rules)."""
    out = []
    for i, ch in enumerate(root):
        if ch == "и":
            out.append("і")
        elif ch == "щ":
            out.append("шч")
        elif ch == "о" and i > 0:
            out.append("а")  # akanye: an unstressed о is written а
        elif ch == "е" and i > 0 and out and out[-1] in "тд":
            out.append("я")
        elif ch == "ъ":
            out.append("'")
        else:
            out.append(ch)
    be = "".join(out)
    return be.replace("ть", "ць").replace("дь", "дзь").replace("тя", "ця").replace("дя", "дзя")


def _be_spelling(word: str) -> str:
    """Belarusian letter rules on a whole word (root and suffix joined): т and д before a
    soft vowel are ц and дз (цеканне, дзеканне: Плажуціч, not Плажутіч); after ж ч ш р ц
    Belarusian writes ы and э, never і and е."""
    for hard in "жчшрц":
        word = word.replace(hard + "і", hard + "ы").replace(hard + "е", hard + "э")
    for soft in "іеяю":  # after the rule above: this ц is soft and keeps its і
        word = word.replace("т" + soft, "ц" + soft).replace("д" + soft, "дз" + soft)
    return word


@dataclass(frozen=True, slots=True)
class SyntheticName:
    """One invented person's names: Belarusian, Russian and Latin, and sex."""

    be: str
    ru: str
    latin: str
    sex: str


class NameStock:
    """Draws invented names: given names uniformly, surnames by Zipf's law.

    Args:
        rng: the random generator (seeded by the caller for reproducible data).
        surnames: how many distinct surname stems to make (more for larger datasets).
    """

    def __init__(self, rng: random.Random, *, surnames: int = 3_000) -> None:
        self.rng = rng
        stems = list(dict.fromkeys(ROOTS + self._syllable_roots(surnames)))
        pairs = [(stem, pattern) for stem in stems for pattern in PATTERNS]
        rng.shuffle(pairs)
        self.surnames = pairs[: max(surnames, len(PATTERNS))]
        # Zipf: the k-th most common surname is about 1/k as frequent as the first.
        weights = [1.0 / (k + 1) for k in range(len(self.surnames))]
        self._cum = list(itertools.accumulate(weights))

    def _syllable_roots(self, n: int) -> list[str]:
        rng = random.Random(self.rng.random())
        roots: set[str] = set()
        while len(roots) < n // len(PATTERNS) + 50:
            syllables = rng.choice((1, 2, 2, 2))
            root = "".join(
                rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)
            ) + rng.choice(_CODAS)
            roots.add(root)
        return sorted(roots)

    def draw(self, sex: str) -> SyntheticName:
        """Return a new invented name for a person of sex `f` or `m`."""
        rng = self.rng
        given_be, given_ru = rng.choice(FEMALE if sex == "f" else MALE)
        father_be, father_ru = rng.choice(MALE)
        (stem, (ru_m, ru_f, be_m, be_f)) = rng.choices(self.surnames, cum_weights=self._cum)[0]
        stem_be = _ru_to_be_root(stem)
        sur_ru = (stem + (ru_f if sex == "f" else ru_m)).capitalize()
        sur_be = _be_spelling(stem_be + (be_f if sex == "f" else be_m)).capitalize()
        patr_be = _patronymic_be(father_be, sex)
        patr_ru = _patronymic_ru(father_ru, sex)
        be = f"{given_be} {patr_be} {sur_be}" if rng.random() < 0.3 else f"{given_be} {sur_be}"
        ru = (
            f"{given_ru} {patr_ru} {sur_ru}"
            if " " in be.split(" ", 1)[1]
            else f"{given_ru} {sur_ru}"
        )
        return SyntheticName(
            be=be,
            ru=ru,
            latin=transliterate(f"{given_be} {sur_be}", lang="be", system="passport"),
            sex=sex,
        )


def _patronymic_be(father: str, sex: str) -> str:
    if father.endswith(("ый", "ій")):
        return father[:-1] + ("еўна" if sex == "f" else "евіч")
    stem = father.rstrip("ьй")
    if stem.endswith("а"):
        stem = stem[:-1]
    if stem.endswith("ў"):
        stem = stem[:-1] + "в"
    return stem + ("аўна" if sex == "f" else "авіч")


def _patronymic_ru(father: str, sex: str) -> str:
    if father.endswith("ий"):
        stem = father[:-2] + ("и" if father[:-2].endswith(("тр", "др")) else "ь")
        soft = True
    elif father.endswith(("й", "ь")):
        stem, soft = father[:-1], True
    elif father.endswith("а"):
        stem, soft = father[:-1], False
    else:
        stem, soft = father, False
    suffix = ("евна" if soft else "овна") if sex == "f" else ("евич" if soft else "ович")
    return stem + suffix
