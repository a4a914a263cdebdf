"""Belarusian ↔ Russian Cyrillic: the key folds vowels, but only corresponding vowels pass.

Akanye (а ↔ о), yakanye (я ↔ е), э ↔ е, ы/і ↔ и, ё ↔ е/о; after ж ч ш щ ц р also а/о ↔ е
(Чарнецкі = Чернецкий). Any other vowel difference is another name (invented surnames).
"""

from __future__ import annotations

import pytest

from khronika.names import compare

# (Belarusian, Russian, same person?)
PAIRS = [
    ("Тихон Тамкевіч", "Тихон Тамкович", False),
    ("Тихон Тамкевіч", "Тихон Тамкевич", True),
    ("Тихон Тамковіч", "Тихон Тамкович", True),
    ("Тихон Мірановіч", "Тихон Мирановач", False),
    ("Тихон Лапатоўскі", "Тихон Лепетовский", False),
    ("Тихон Лапатоўскі", "Тихон Лопатовский", True),
    ("Тихон Цярэшкін", "Тихон Терешкин", True),
    ("Тихон Чарнавусаў", "Тихон Черновусов", True),  # а ↔ е after ч
    ("Тихон Шаптыкаў", "Тихон Шептыков", True),  # а ↔ е after ш
    ("Тихон Бакатоў", "Тихон Бекетов", False),  # а ↔ е after б, к: no
    ("Тихон Сямёнчык", "Тихон Семенчик", True),
    ("Тихон Вялічкін", "Тихон Величкин", True),
    ("Тихон Грыцук", "Тихон Грицук", True),
    ("Тихон Грыцук", "Тихон Грецук", False),
]


@pytest.mark.parametrize(("be", "ru", "same"), PAIRS)
def test_be_ru_vowels(be: str, ru: str, same: bool) -> None:
    m = compare(be, ru)
    assert m.match is same, m.explanation["parts"]


def test_vowel_mismatch_is_explained() -> None:
    parts = compare("Тихон Тамкевіч", "Тихон Тамкович").explanation["parts"]
    assert {p["part"]: p["rule"] for p in parts}["surname"] == "vowel-mismatch"
