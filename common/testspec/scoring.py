"""Scoring answer sheets against an answer key, by the rules the test specification carries."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from common.errors import Refused
from common.i18n import _
from common.testspec.answer_key import keyed_subjects, parse_marks
from common.testspec.model import AnswerKey, SheetScore, Subject, TestSpecification


def subject_max_points(spec: TestSpecification, subject: Subject) -> int:
    """The most a subject (or profile slot) can score."""
    return sum(spec.rule(task.rule).max_points for task in subject.tasks)


def max_points(spec: TestSpecification, creative: bool = False) -> int:
    """The most a whole sheet can score (140 for the ЕНТ 2018 specification); with ``creative``, the
    most a sheet with sector 6 «Творческий экзамен» marked can (п. 150 note: its subjects only)."""
    return sum(subject_max_points(spec, subject) for subject in spec.tested_subjects(creative))


def score_sheet(
    spec: TestSpecification,
    key: AnswerKey,
    variant: str,
    answers: Mapping[str, Mapping[int, str]],
    profile_subjects: Sequence[str],
    creative: bool = False,
) -> SheetScore:
    """Score one sheet.

    ``answers[code][task]`` holds the marked option letters (``"AC"``; ``""`` or absent for none),
    keyed by the code of a mandatory subject or of a profile slot, as the blocks are on the sheet.
    ``profile_subjects`` are the codes of the profile subjects the applicant chose, one per slot in
    slot order; their tasks are scored against the key of that profile subject.

    ``creative``: sector 6 «Творческий экзамен» is marked (п. 150, note). Then the sheet is scored in
    the creative exam's subjects only — what is marked in other blocks does not count — and
    ``profile_subjects`` must be empty (such an applicant is tested in no profile subject).
    """
    tested = spec.tested_subjects(creative)
    if creative and profile_subjects:
        message = _("Sector 6 «Творческий экзамен» is marked and profile subjects are chosen: a creative-exam "
                    "applicant is tested in {count} subjects only, without profile subjects.")
        raise Refused(message.format(count=len(tested)))
    _check_sheet(spec, key, variant, answers, profile_subjects, creative)
    chosen = dict(zip((slot.code for slot in spec.profile_slot_subjects), profile_subjects, strict=not creative))
    per_subject: dict[str, int] = {}
    maxima: dict[str, int] = {}
    per_task: dict[str, tuple[int, ...]] = {}
    for subject in tested:
        key_code = chosen.get(subject.code, subject.code)
        correct = key.variants[variant].get(key_code)
        if correct is None:
            message = _("The answer key has no answers for '{subject}' in variant {variant}.")
            raise Refused(message.format(subject=key_code, variant=variant))
        marks = answers.get(subject.code, {})
        place = _("subject '{code}'").format(code=subject.code)
        for number in marks:
            if subject.task(number) is None:
                raise Refused(_("{place}: there is no task {number}.").format(place=place, number=number))
        points = tuple(
            spec.rule(task.rule).points(
                parse_marks(task, marks.get(task.number, ""), place), correct[task.number]
            )
            for task in subject.tasks
        )
        per_task[key_code] = points
        per_subject[key_code] = sum(points)
        maxima[key_code] = subject_max_points(spec, subject)
    return SheetScore(
        per_subject=per_subject,
        total=sum(per_subject.values()),
        max_total=max_points(spec, creative),
        max_per_subject=maxima,
        per_task=per_task,
    )


def _check_sheet(
    spec: TestSpecification,
    key: AnswerKey,
    variant: str,
    answers: Mapping[str, Mapping[int, str]],
    profile_subjects: Sequence[str],
    creative: bool = False,
) -> None:
    if key.spec_code != spec.code:
        message = _("The answer key is for test specification '{key}', not '{spec}'.")
        raise Refused(message.format(key=key.spec_code, spec=spec.code))
    if variant not in spec.variants:
        message = _("Variant {variant} is not in test specification '{spec}'.")
        raise Refused(message.format(variant=variant, spec=spec.code))
    if variant not in key.variants:
        raise Refused(_("The answer key has no variant {variant}.").format(variant=variant))
    if not creative and len(profile_subjects) != spec.profile_slots:
        message = _("{given} profile subjects are given; the test has {slots} profile slots.")
        raise Refused(message.format(given=len(profile_subjects), slots=spec.profile_slots))
    for index, code in enumerate(profile_subjects):
        if spec.profile_subject(code) is None:
            message = _("Profile subject '{code}' is not a choice of test specification '{spec}'.")
            raise Refused(message.format(code=code, spec=spec.code))
        if code in profile_subjects[:index]:
            raise Refused(_("Profile subject '{code}' is chosen twice.").format(code=code))
    for code in answers:
        if spec.subject(code) is None:
            message = _("Answers are given for '{code}', which is not a subject or profile slot of the test.")
            raise Refused(message.format(code=code))


def random_answer_key(
    spec: TestSpecification, variants: Sequence[str] | None = None, seed: int = 0
) -> AnswerKey:
    """A made-up key for the demo and tests, the same for the same arguments (not for real use).

    Single-answer tasks get one right option; multiple-answer tasks one to three.
    """
    rng = random.Random(seed)
    chosen = tuple(spec.variants if variants is None else variants)
    for variant in chosen:
        if variant not in spec.variants:
            message = _("Variant {variant} is not in test specification '{spec}'.")
            raise Refused(message.format(variant=variant, spec=spec.code))
    table: dict[str, dict[str, dict[int, frozenset[str]]]] = {}
    for variant in chosen:
        table[variant] = {}
        for code, subject in keyed_subjects(spec).items():
            table[variant][code] = {
                task.number: frozenset(
                    rng.sample(
                        task.option_letters, rng.randint(1, min(3, task.options)) if task.multiple else 1
                    )
                )
                for task in subject.tasks
            }
    return AnswerKey(spec.code, table)
