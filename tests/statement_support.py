"""Result rows and a signer for the statement and seal tests: a stream of varied applicants, no database."""

from __future__ import annotations

import random
from functools import cache

from arm_programmer.results import ResultRow, ResultStatus, SubjectPoints
from common.security.keys import Identity
from common.testspec import TestSpecification, shipped_spec

SURNAMES = ("Әбенов", "Ахметова", "Бекова", "Ғабитов", "Жұмабаев", "Иванов", "Қасымова", "Нұрланұлы", "Оспанов",
            "Өтегенова", "Сейітқали-Абдрахманова", "Ұлықбекова", "Үсенов", "Шәріпов", "Ёлкина", "Іскендіров")
NAMES = ("Айгерім", "Ерлан", "Дана", "Нұрсұлтан", "Мария", "Әсел", "Темірлан", "Жанна")
PATRONYMICS = ("Серікұлы", "Ивановна", None, "Бауыржанқызы", "Нұрланович")


def spec() -> TestSpecification:
    return shipped_spec("ent2018")


def result_rows(count: int = 300, seed: int = 7, rooms: int = 5) -> list[ResultRow]:
    """``count`` seated applicants of a stream: mostly scored (some creative), some absent, annulled, not admitted."""
    rng = random.Random(seed)
    test = spec()
    mandatory = test.mandatory_subjects
    slots = test.profile_slot_subjects
    choices = [choice.code for choice in test.profile_subject_choices]
    creative_codes = test.creative_exam.subjects if test.creative_exam else ()
    rows = []
    for index in range(count):
        room = f"{101 + index % rooms}"
        status = rng.choices(list(ResultStatus), weights=(90, 5, 3, 2))[0]
        creative = status is ResultStatus.SCORED and rng.random() < 0.05
        subjects: tuple[SubjectPoints, ...] = ()
        if status is ResultStatus.SCORED:
            items = [SubjectPoints(subject.code, rng.randint(0, len(subject.tasks)), len(subject.tasks))
                     for subject in mandatory if not creative or subject.code in creative_codes]
            if not creative:
                for code in rng.sample(choices, len(slots)):
                    items.append(SubjectPoints(code, rng.randint(0, 50), 50))
            subjects = tuple(items)
        total = sum(item.points for item in subjects) if subjects else None
        rows.append(ResultRow(
            application_id=index + 1, ikt=f"{100000000 + index * 7919 % 900000000:09d}", iin=f"{index:012d}",
            surname=rng.choice(SURNAMES), name=rng.choice(NAMES), patronymic=rng.choice(PATRONYMICS),
            school_code=f"{rng.randint(1, 9999):04d}",
            test_language=rng.choice(("kk", "ru")), room_number=room,
            seat=None if status is ResultStatus.NOT_ADMITTED else index // rooms + 1,
            sheet_number=f"{5000000 + index}" if status is ResultStatus.SCORED else None,
            variant=f"{rng.randint(1, 12):04d}" if status is ResultStatus.SCORED else None,
            creative=creative, subjects=subjects, total=total,
            max_total=sum(item.max_points for item in subjects) if subjects else None, status=status))
    return rows


@cache
def signer() -> Identity:
    from exchange_support import pki

    return pki().programmer
