"""Reading an answer key and checking it against its test specification."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from common.errors import Refused
from common.i18n import _
from common.testspec.jsonshape import (
    Source,
    check_fields,
    field_list,
    field_object,
    field_str,
    item_str,
    read_document,
    versioned,
)
from common.testspec.model import KEY_KIND, OPTION_LETTERS, AnswerKey, Subject, Task, TestSpecification


def load_answer_key(source: Source, spec: TestSpecification) -> AnswerKey:
    """Read an answer key and check it against ``spec``: every variant it lists is in the
    specification and has a right answer for every task of every mandatory and profile subject.
    """
    place = _("answer key")
    data = versioned(read_document(source, place), KEY_KIND, place)
    check_fields(data, place, required=("kind", "format_version", "spec", "variants"))
    spec_code = field_str(data, "spec", place)
    if spec_code != spec.code:
        message = _("{place}: it is for test specification '{key}', not '{spec}'.")
        raise Refused(message.format(place=place, key=spec_code, spec=spec.code))
    table = field_object(data, "variants", place)
    if not table:
        raise Refused(_("{place}: no variant is given.").format(place=place))
    variants: dict[str, dict[str, dict[int, frozenset[str]]]] = {}
    for variant in table:
        if variant not in spec.variants:
            message = _("{place}: variant {variant} is not in test specification '{spec}'.")
            raise Refused(message.format(place=place, variant=variant, spec=spec.code))
        subjects = field_object(table, variant, place)
        variants[variant] = _variant_key(
            subjects, spec, _("answer key, variant {variant}").format(variant=variant)
        )
    return AnswerKey(spec.code, variants)


def keyed_subjects(spec: TestSpecification) -> dict[str, Subject]:
    """The subjects an answer key covers, by key code: mandatory subjects, then every profile
    subject with the tasks of the profile slots."""
    keyed = {subject.code: subject for subject in spec.mandatory_subjects}
    slots = spec.profile_slot_subjects
    for choice in spec.profile_subject_choices:
        keyed[choice.code] = slots[0]
    return keyed


def _variant_key(
    subjects: Mapping[str, Any], spec: TestSpecification, place: str
) -> dict[str, dict[int, frozenset[str]]]:
    expected = keyed_subjects(spec)
    for code in subjects:
        if code not in expected:
            message = _("{place}: '{subject}' is not a subject of the test specification.")
            raise Refused(message.format(place=place, subject=code))
    key: dict[str, dict[int, frozenset[str]]] = {}
    for code, subject in expected.items():
        if code not in subjects:
            raise Refused(
                _("{place}: the answers for '{subject}' are missing.").format(place=place, subject=code)
            )
        subject_place = _("{place}, subject '{subject}'").format(place=place, subject=code)
        answers = field_list(subjects, code, place)
        if len(answers) != len(subject.tasks):
            message = _("{place}: {given} answers are given for {tasks} tasks.")
            raise Refused(message.format(place=subject_place, given=len(answers), tasks=len(subject.tasks)))
        key[code] = {}
        for task, value in zip(subject.tasks, answers, strict=True):
            correct = parse_marks(task, item_str(value, code, subject_place), subject_place)
            if not correct:
                message = _("{place}: task {number} has no right answer.")
                raise Refused(message.format(place=subject_place, number=task.number))
            if not task.multiple and len(correct) > 1:
                message = _("{place}: task {number} has one right answer, but {count} are given.")
                raise Refused(message.format(place=subject_place, number=task.number, count=len(correct)))
            key[code][task.number] = correct
    return key


def parse_marks(task: Task, letters: str, place: str) -> frozenset[str]:
    """The set of option letters in ``letters`` (``"AC"``; ``""`` for none), refused if any letter
    is not an option of ``task`` or is given twice."""
    marks = frozenset(letters)
    if len(marks) != len(letters) or not marks <= frozenset(task.option_letters):
        message = _("{place}: task {number}: '{letters}' is not a set of options from A to {last}.")
        raise Refused(
            message.format(
                place=place, number=task.number, letters=letters, last=OPTION_LETTERS[task.options - 1]
            )
        )
    return marks
