"""Write the media evaluation set: synthetic state-media items with their labels.

    .venv/bin/python bench/media_eval_set.py   # rewrites tests/fixtures/media/eval.jsonl

Every person and official is invented; the texts imitate how state media write (special
proceedings, the return commission, 'так называемые змагары', property arrests), in
Russian and Belarusian, with names in several cases, lone surnames, officials beside
targets, and people recorded in one script named in the other. The output is committed;
this script says how it was made and makes it again, byte for byte.
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "media"

# id, sex, registry names (lang → name), and forms: script → case → full name, plus lone
# surname forms. Cases: nom, gen, dat. `ru_only`/`be_only`: the registry has one script.
PEOPLE = [
    (
        "p-m01",
        "m",
        {"be": "Алесь Бураўчык", "ru": "Алесь Буравчик"},
        {
            "ru": ("Алесь Буравчик", "Алеся Буравчика", "Алесю Буравчику", "Буравчик", "Буравчика"),
            "be": ("Алесь Бураўчык", "Алеся Бураўчыка", "Алесю Бураўчыку", "Бураўчык", "Бураўчыка"),
        },
    ),
    (
        "p-f02",
        "f",
        {"be": "Вольга Шэметава"},
        {
            "ru": ("Ольга Шеметова", "Ольги Шеметовой", "Ольге Шеметовой", "Шеметова", "Шеметовой"),
            "be": (
                "Вольга Шэметава",
                "Вольгі Шэметавай",
                "Вользе Шэметавай",
                "Шэметава",
                "Шэметавай",
            ),
        },
    ),
    (
        "p-m03",
        "m",
        {"be": "Сымон Кавалёнак", "ru": "Семён Коваленок"},
        {
            "ru": (
                "Семён Коваленок",
                "Семёна Коваленка",
                "Семёну Коваленку",
                "Коваленок",
                "Коваленка",
            ),
            "be": (
                "Сымон Кавалёнак",
                "Сымона Кавалёнка",
                "Сымону Кавалёнку",
                "Кавалёнак",
                "Кавалёнка",
            ),
        },
    ),
    (
        "p-f04",
        "f",
        {"be": "Таццяна Ждановіч", "ru": "Татьяна Жданович"},
        {
            "ru": (
                "Татьяна Жданович",
                "Татьяны Жданович",
                "Татьяне Жданович",
                "Жданович",
                "Жданович",
            ),
            "be": (
                "Таццяна Ждановіч",
                "Таццяны Ждановіч",
                "Таццяне Ждановіч",
                "Ждановіч",
                "Ждановіч",
            ),
        },
    ),
    (
        "p-m05",
        "m",
        {"ru": "Андрей Логутич"},
        {
            "ru": ("Андрей Логутич", "Андрея Логутича", "Андрею Логутичу", "Логутич", "Логутича"),
            "be": ("Андрэй Лагуціч", "Андрэя Лагуціча", "Андрэю Лагуцічу", "Лагуціч", "Лагуціча"),
        },
    ),
    (
        "p-f06",
        "f",
        {"be": "Ірына Верашчака", "ru": "Ирина Верещака"},
        {
            "ru": ("Ирина Верещака", "Ирины Верещаки", "Ирине Верещаке", "Верещака", "Верещаки"),
            "be": (
                "Ірына Верашчака",
                "Ірыны Верашчакі",
                "Ірыне Верашчацы",
                "Верашчака",
                "Верашчакі",
            ),
        },
    ),
    (
        "p-m07",
        "m",
        {"ru": "Дмитрий Хвостович"},
        {
            "ru": (
                "Дмитрий Хвостович",
                "Дмитрия Хвостовича",
                "Дмитрию Хвостовичу",
                "Хвостович",
                "Хвостовича",
            ),
            "be": (
                "Дзмітрый Хвастовіч",
                "Дзмітрыя Хвастовіча",
                "Дзмітрыю Хвастовічу",
                "Хвастовіч",
                "Хвастовіча",
            ),
        },
    ),
    (
        "p-m08",
        "m",
        {"be": "Віктар Салавей", "ru": "Виктор Соловей"},
        {
            "ru": ("Виктор Соловей", "Виктора Соловья", "Виктору Соловью", "Соловей", "Соловья"),
            "be": ("Віктар Салавей", "Віктара Салаўя", "Віктару Салаўю", "Салавей", "Салаўя"),
        },
    ),
    (
        "p-f09",
        "f",
        {"be": "Марына Кузьміцкая"},
        {
            "ru": (
                "Марина Кузьмицкая",
                "Марины Кузьмицкой",
                "Марине Кузьмицкой",
                "Кузьмицкая",
                "Кузьмицкой",
            ),
            "be": (
                "Марына Кузьміцкая",
                "Марыны Кузьміцкай",
                "Марыне Кузьміцкай",
                "Кузьміцкая",
                "Кузьміцкай",
            ),
        },
    ),
    (
        "p-m10",
        "m",
        {"ru": "Павел Лисовский"},
        {
            "ru": (
                "Павел Лисовский",
                "Павла Лисовского",
                "Павлу Лисовскому",
                "Лисовский",
                "Лисовского",
            ),
            "be": (
                "Павел Лісоўскі",
                "Паўла Лісоўскага",
                "Паўлу Лісоўскаму",
                "Лісоўскі",
                "Лісоўскага",
            ),
        },
    ),
    (
        "p-m11",
        "m",
        {"be": "Ян Гарбузаў", "ru": "Ян Гарбузов"},
        {
            "ru": ("Ян Гарбузов", "Яна Гарбузова", "Яну Гарбузову", "Гарбузов", "Гарбузова"),
            "be": ("Ян Гарбузаў", "Яна Гарбузава", "Яну Гарбузаву", "Гарбузаў", "Гарбузава"),
        },
    ),
    (
        "p-f12",
        "f",
        {"be": "Алена Сідарэвіч", "ru": "Елена Сидоревич"},
        {
            "ru": (
                "Елена Сидоревич",
                "Елены Сидоревич",
                "Елене Сидоревич",
                "Сидоревич",
                "Сидоревич",
            ),
            "be": (
                "Алена Сідарэвіч",
                "Алены Сідарэвіч",
                "Алене Сідарэвіч",
                "Сідарэвіч",
                "Сідарэвіч",
            ),
        },
    ),
]
# Officials: (role, name) per script; never in the registry, never targeted.
OFFICIALS = {
    "ru": [
        ("Министр внутренних дел", "Игорь Кравцевич"),
        ("Генеральный прокурор", "Олег Шарейко"),
        ("Председатель комиссии", "Николай Лазаревич"),
        ("Ведущий программы", "Антон Голубович"),
    ],
    "be": [
        ("Міністр унутраных спраў", "Ігар Краўцэвіч"),
        ("Генеральны пракурор", "Алег Шарэйка"),
        ("Старшыня камісіі", "Мікалай Лазарэвіч"),
        ("Вядучы праграмы", "Антон Галубовіч"),
    ],
}

# (template, narratives, mentions): slots {nom} {gen} {dat} {lone} {lone_gen} {off} {role};
# mentions list the slots in text order with whether each is targeted.
TEMPLATES = {
    "ru": [
        (
            "Генеральная прокуратура начала специальное производство в отношении {gen}. "
            "По данным следствия, {nom} находится в Литве и продолжает экстремистскую деятельность.",
            ["in_absentia", "extremist_label"],
            [("gen", True), ("nom", True)],
        ),
        (
            "{role} {off} заявил, что так называемые змагары боятся вернуться домой. "
            "Комиссия по вопросам возвращения рассмотрела обращение {gen}.",
            ["fugitives", "return_commission"],
            [("off", False), ("gen", True)],
        ),
        (
            "Суд вынес решение об аресте имущества {gen}. Родственники {lone_gen} получили повестки.",
            ["property_seizure", "relatives_pressure"],
            [("gen", True), ("lone_gen", True)],
        ),
        (
            "В Минске прошло совещание, на котором выступил {off}. Обсуждались итоги года.",
            [],
            [("off", False)],
        ),
        (
            "{role} {off} подчеркнул, что в Беларуси нет политзаключенных, "
            "а {nom} — марионетка западных кураторов.",
            ["no_political_prisoners", "western_puppets"],
            [("off", False), ("nom", True)],
        ),
        (
            "Указ о помиловании подписан в отношении {gen}. Это решение приняли после обращения семьи.",
            ["pardon_clemency"],
            [("gen", True)],
        ),
        (
            "Имя {gen} внесено в перечень лиц, причастных к террористической деятельности. "
            "По словам следователей, {lone} под амнистию не подпадает.",
            ["terrorist_label", "amnesty"],
            [("gen", True), ("lone", True)],
        ),
        (
            "В эфире показали видео, в котором {nom} раскаивается в содеянном. "
            "Позже {lone} {turned} в комиссию по вопросам возвращения.",
            ["repentance", "return_commission"],
            [("nom", True), ("lone", True)],
        ),
    ],
    "be": [
        (
            "Генеральная пракуратура распачала спецыяльную вытворчасць у дачыненні да {gen}. "
            "Паводле звестак следства, {nom} знаходзіцца ў Літве і працягвае экстрэмісцкую дзейнасць.",
            ["in_absentia", "extremist_label"],
            [("gen", True), ("nom", True)],
        ),
        (
            "{role} {off} заявіў, што так званыя змагары баяцца вярнуцца дадому. "
            "Камісія па пытаннях вяртання разгледзела зварот {gen}.",
            ["fugitives", "return_commission"],
            [("off", False), ("gen", True)],
        ),
        (
            "Суд вынес рашэнне аб арышце маёмасці {gen}. Сваякі {lone_gen} атрымалі позвы.",
            ["property_seizure", "relatives_pressure"],
            [("gen", True), ("lone_gen", True)],
        ),
        (
            "У Мінску адбылася нарада, на якой выступіў {off}. Абмяркоўваліся вынікі года.",
            [],
            [("off", False)],
        ),
        (
            "{role} {off} падкрэсліў, што ў Беларусі няма палітвязняў, "
            "а {nom} — марыянетка заходніх куратараў.",
            ["no_political_prisoners", "western_puppets"],
            [("off", False), ("nom", True)],
        ),
        (
            "Імя {gen} унесена ў пералік асоб, датычных да тэрарыстычнай дзейнасці. "
            "Паводле следчых, {lone} пад амністыю не падпадае.",
            ["terrorist_label", "amnesty"],
            [("gen", True), ("lone", True)],
        ),
    ],
}


def build() -> tuple[list[dict], list[dict]]:
    """Return (registry records, labelled items)."""
    registry = [
        {
            "type": "source",
            "id": "s-eval",
            "title": "Synthetic evaluation set",
            "visibility": "public",
        }
    ]
    for pid, sex, names, _ in PEOPLE:
        registry.append(
            {
                "type": "person",
                "id": pid,
                "sex": sex,
                "visibility": "public",
                "names": [
                    {"name": n, "lang": lang, "primary": i == 0}
                    for i, (lang, n) in enumerate(names.items())
                ],
            }
        )
    items = []
    n = 0
    for lang, templates in TEMPLATES.items():
        for ti, (template, tags, slots) in enumerate(templates):
            for pi in range(len(PEOPLE)):
                if (pi + ti) % 2:  # half the people per template: ~84 items
                    continue
                pid, sex, _, forms = PEOPLE[pi]
                nom, gen, dat, lone, lone_gen = forms[lang]
                role, off = OFFICIALS[lang][(pi + ti) % len(OFFICIALS[lang])]
                values = {
                    "nom": nom,
                    "gen": gen,
                    "dat": dat,
                    "lone": lone,
                    "lone_gen": lone_gen,
                    "off": off,
                    "role": role,
                    "turned": "обратилась" if sex == "f" else "обратился",
                }
                text = template.format(**values)
                mentions, pos = [], 0
                for slot, targeted in slots:
                    surface = values[slot]
                    start = text.index(surface, pos)
                    pos = start + len(surface)
                    official = slot == "off"
                    mentions.append(
                        {
                            "text": surface,
                            "start": start,
                            "end": pos,
                            "normal": off if official else nom,
                            "person": None if official else pid,
                            "targeted": targeted,
                        }
                    )
                n += 1
                items.append(
                    {
                        "id": f"eval-{n:03d}",
                        "lang": lang,
                        "text": text,
                        "narratives": sorted(tags),
                        "mentions": mentions,
                    }
                )
    return registry, items


def main() -> None:
    registry, items = build()
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "eval_registry.ndjson").open("w", encoding="utf-8") as f:
        for r in registry:
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
    with (OUT / "eval.jsonl").open("w", encoding="utf-8") as f:
        for item in items:
            f.write(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(items)} items, {sum(len(i['mentions']) for i in items)} mentions → {OUT}")


if __name__ == "__main__":
    main()
