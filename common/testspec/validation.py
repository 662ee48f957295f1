"""Reading a test specification from JSON, refusing anything not exactly right.

Every problem raises :class:`common.errors.Refused` with one translated line that names the
place, e.g. "subject 'math': task 7 has 0 options; from 2 to 8 are allowed." Nothing is built
from a document until all of it checks out.

Format versions: 2 is the newest (it added the creative exam, sector 6, п. 150 note). A newer
version is refused with a message saying to install the program НЦТ issued with it; an older one
is upgraded step by step by the functions in ``jsonshape.UPGRADES`` (a sample of each kept under
``tests/data``).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping
from importlib import resources
from typing import Any

from common.codebook import PROFILE_SUBJECT_DIGITS, TEST_LANGUAGES, VARIANT_DIGITS, is_code
from common.errors import Refused
from common.i18n import _
from common.testspec.jsonshape import (
    Source,
    check_fields,
    field_bool,
    field_int,
    field_list,
    field_object,
    field_str,
    item_object,
    item_str,
    read_document,
    versioned,
)
from common.testspec.model import (
    EXAM_YEARS,
    FORMAT_VERSION,
    MAX_OPTIONS,
    MIN_OPTIONS,
    NAME_LANGUAGES,
    SPEC_KIND,
    SUBJECT_KINDS,
    CreativeExam,
    ProfileSubject,
    ScoringRule,
    Subject,
    Task,
    TestSpecification,
)

_CODE = re.compile(r"[a-z][a-z0-9_]{0,39}\Z")
SHIPPED_SPECS: tuple[str, ...] = ("ent2018", "kt")


def _code(value: str, place: str) -> str:
    if not _CODE.match(value):
        message = _(
            "{place}: '{code}' is not a valid code: use lower-case Latin letters, digits and '_', "
            "starting with a letter."
        )
        raise Refused(message.format(place=place, code=value))
    return value


def _names(obj: Mapping[str, Any], name: str, place: str) -> dict[str, str]:
    texts = field_object(obj, name, place)
    for language in NAME_LANGUAGES:
        text = texts.get(language)
        if not isinstance(text, str) or not text.strip():
            raise Refused(
                _("{place}: the text in '{language}' is missing.").format(place=place, language=language)
            )
    for language in texts:
        if language not in NAME_LANGUAGES:
            message = _("{place}: '{language}' is not a language of the suite.")
            raise Refused(message.format(place=place, language=language))
    return {language: texts[language] for language in NAME_LANGUAGES}


def _unique(code: str, seen: set[str], place: str) -> None:
    if code in seen:
        raise Refused(_("{place}: the code '{code}' is used twice.").format(place=place, code=code))
    seen.add(code)


# --- the test specification ---------------------------------------------------------------------


def load_spec(source: Source) -> TestSpecification:
    """Read and validate a test specification from a JSON file path or an already parsed object."""
    place = _("test specification")
    data = versioned(read_document(source, place), SPEC_KIND, place)
    check_fields(
        data,
        place,
        required=(
            "kind",
            "format_version",
            "code",
            "title",
            "languages",
            "duration_minutes",
            "variants",
            "scoring_rules",
            "subjects",
            "profile_slots",
            "profile_subject_choices",
        ),
        optional=("notes", "exam_year", "creative_exam"),
    )
    code = _code(field_str(data, "code", place), place)
    exam_year = field_int(data, "exam_year", place) if "exam_year" in data else None
    if exam_year is not None and exam_year not in EXAM_YEARS:
        message = _("{place}: the exam year {year} is not between {first} and {last}.")
        raise Refused(message.format(place=place, year=exam_year, first=EXAM_YEARS[0], last=EXAM_YEARS[-1]))
    title = _names(data, "title", place)
    languages = _languages(field_list(data, "languages", place), place)
    duration = field_int(data, "duration_minutes", place)
    if duration <= 0:
        raise Refused(_("{place}: the duration must be a positive number of minutes.").format(place=place))
    variants = _variants(field_list(data, "variants", place), place)
    rules = _rules(field_object(data, "scoring_rules", place), place)
    subjects = _subjects(field_list(data, "subjects", place), rules, place)
    profile_slots = field_int(data, "profile_slots", place)
    choices = _profile_choices(field_list(data, "profile_subject_choices", place), place)
    _check_profile_slots(subjects, profile_slots, choices, place)
    creative = (
        _creative_exam(data["creative_exam"], subjects, place)
        if data.get("creative_exam") is not None
        else None
    )
    notes = (
        tuple(item_str(note, "notes", place) for note in field_list(data, "notes", place))
        if "notes" in data
        else ()
    )
    return TestSpecification(
        code=code,
        format_version=FORMAT_VERSION,
        title=title,
        languages=languages,
        subjects=subjects,
        profile_subject_choices=choices,
        profile_slots=profile_slots,
        variants=variants,
        duration_minutes=duration,
        scoring_rules=rules,
        notes=notes,
        exam_year=exam_year,
        creative_exam=creative,
    )


def _creative_exam(value: Any, subjects: tuple[Subject, ...], place: str) -> CreativeExam:
    """Sector 6 (п. 150, note): the mandatory subjects a creative-exam sheet is tested in, fewer than all."""
    entry = item_object(value, "creative_exam", place)
    entry_place = _("creative exam")
    check_fields(entry, entry_place, required=("subjects",))
    codes: list[str] = []
    mandatory = {subject.code for subject in subjects if subject.kind == "mandatory"}
    for item in field_list(entry, "subjects", entry_place):
        code = item_str(item, "subjects", entry_place)
        if code not in mandatory:
            message = _("{place}: '{code}' is not a mandatory subject of the test.")
            raise Refused(message.format(place=entry_place, code=code))
        _unique(code, set(codes), entry_place)
        codes.append(code)
    if not codes or len(codes) >= len(subjects):
        message = _("{place}: a creative-exam sheet is tested in some of the test's subjects: from 1 to {most}.")
        raise Refused(message.format(place=entry_place, most=len(subjects) - 1))
    order = [subject.code for subject in subjects if subject.code in codes]
    return CreativeExam(tuple(order))


def _languages(values: list[Any], place: str) -> tuple[str, ...]:
    if not values:
        raise Refused(_("{place}: no test language is given.").format(place=place))
    languages: list[str] = []
    for value in values:
        language = item_str(value, "languages", place)
        if language not in TEST_LANGUAGES:
            raise Refused(
                _("{place}: unknown test language '{language}'.").format(place=place, language=language)
            )
        if language in languages:
            message = _("{place}: language '{language}' is listed twice.")
            raise Refused(message.format(place=place, language=language))
        languages.append(language)
    return tuple(languages)


def _variants(values: list[Any], place: str) -> tuple[str, ...]:
    if not values:
        raise Refused(_("{place}: no variant is given.").format(place=place))
    variants: list[str] = []
    for value in values:
        variant = item_str(value, "variants", place)
        if not is_code(variant, VARIANT_DIGITS):
            message = _("{place}: variant '{variant}' is not a code of {digits} digits.")
            raise Refused(message.format(place=place, variant=variant, digits=VARIANT_DIGITS))
        if variant in variants:
            raise Refused(
                _("{place}: variant {variant} is listed twice.").format(place=place, variant=variant)
            )
        variants.append(variant)
    return tuple(variants)


def _rules(table: Mapping[str, Any], place: str) -> dict[str, ScoringRule]:
    if not table:
        raise Refused(_("{place}: no scoring rule is given.").format(place=place))
    rules: dict[str, ScoringRule] = {}
    for name in table:
        _code(name, place)
        rule_place = _("scoring rule '{rule}'").format(rule=name)
        body = field_object(table, name, place)
        check_fields(body, rule_place, required=("points_by_errors",))
        points = field_list(body, "points_by_errors", rule_place)
        if not points or any(isinstance(p, bool) or not isinstance(p, int) or p < 0 for p in points):
            message = _("{place}: points by errors must be a non-empty list of whole numbers, zero or more.")
            raise Refused(message.format(place=rule_place))
        if points[0] < 1:
            raise Refused(
                _("{place}: a right answer must score at least one point.").format(place=rule_place)
            )
        if any(later > earlier for earlier, later in itertools.pairwise(points)):
            raise Refused(
                _("{place}: points must not grow with the number of errors.").format(place=rule_place)
            )
        rules[name] = ScoringRule(name, tuple(points))
    return rules


def _subjects(values: list[Any], rules: Mapping[str, ScoringRule], place: str) -> tuple[Subject, ...]:
    if not values:
        raise Refused(_("{place}: no subject is given.").format(place=place))
    subjects: list[Subject] = []
    seen: set[str] = set()
    for index, value in enumerate(values, start=1):
        entry_place = _("subject no. {index}").format(index=index)
        entry = item_object(value, "subjects", place)
        check_fields(entry, entry_place, required=("code", "names", "kind", "tasks"))
        code = _code(field_str(entry, "code", entry_place), entry_place)
        _unique(code, seen, place)
        subject_place = _("subject '{code}'").format(code=code)
        names = _names(entry, "names", subject_place)
        kind = field_str(entry, "kind", subject_place)
        if kind not in SUBJECT_KINDS:
            message = _("{place}: unknown subject kind '{kind}'; expected 'mandatory' or 'profile_slot'.")
            raise Refused(message.format(place=subject_place, kind=kind))
        tasks = _tasks(field_list(entry, "tasks", subject_place), rules, subject_place)
        subjects.append(Subject(code, names, kind, tasks))
    return tuple(subjects)


def _tasks(groups: list[Any], rules: Mapping[str, ScoringRule], place: str) -> tuple[Task, ...]:
    if not groups:
        raise Refused(_("{place}: the subject has no tasks.").format(place=place))
    tasks: list[Task] = []
    for value in groups:
        group = item_object(value, "tasks", place)
        check_fields(group, place, required=("count", "options", "multiple", "rule"))
        count = field_int(group, "count", place)
        options = field_int(group, "options", place)
        multiple = field_bool(group, "multiple", place)
        rule = field_str(group, "rule", place)
        number = len(tasks) + 1
        if count < 1:
            raise Refused(_("{place}: a group of tasks must have a count of at least 1.").format(place=place))
        if not MIN_OPTIONS <= options <= MAX_OPTIONS:
            message = _(
                "{place}: task {number} has {options} options; from {minimum} to {maximum} are allowed."
            )
            raise Refused(
                message.format(
                    place=place, number=number, options=options, minimum=MIN_OPTIONS, maximum=MAX_OPTIONS
                )
            )
        if rule not in rules:
            message = _("{place}: task {number} uses the unknown scoring rule '{rule}'.")
            raise Refused(message.format(place=place, number=number, rule=rule))
        tasks.extend(Task(number + offset, options, multiple, rule) for offset in range(count))
    return tuple(tasks)


def _profile_choices(values: list[Any], place: str) -> tuple[ProfileSubject, ...]:
    choices: list[ProfileSubject] = []
    seen: set[str] = set()
    for index, value in enumerate(values, start=1):
        entry_place = _("profile subject no. {index}").format(index=index)
        entry = item_object(value, "profile_subject_choices", place)
        check_fields(entry, entry_place, required=("code", "names"))
        code = field_str(entry, "code", entry_place)
        if not is_code(code, PROFILE_SUBJECT_DIGITS):
            message = _("{place}: the profile subject code '{code}' is not {digits} digits.")
            raise Refused(message.format(place=entry_place, code=code, digits=PROFILE_SUBJECT_DIGITS))
        _unique(code, seen, place)
        names = _names(entry, "names", _("profile subject '{code}'").format(code=code))
        choices.append(ProfileSubject(code, names))
    return tuple(choices)


def _check_profile_slots(
    subjects: tuple[Subject, ...], profile_slots: int, choices: tuple[ProfileSubject, ...], place: str
) -> None:
    slots = [subject for subject in subjects if subject.kind == "profile_slot"]
    if profile_slots != len(slots):
        message = _("{place}: profile_slots is {count}, but {slots} subjects are profile slots.")
        raise Refused(message.format(place=place, count=profile_slots, slots=len(slots)))
    for other in slots[1:]:
        if other.layout != slots[0].layout:
            message = _(
                "{place}: profile slots '{first}' and '{other}' must have the same tasks, "
                "since either may hold any profile subject."
            )
            raise Refused(message.format(place=place, first=slots[0].code, other=other.code))
    if not slots and choices:
        raise Refused(
            _("{place}: profile subjects are listed, but the test has no profile slots.").format(place=place)
        )
    if slots and len(choices) < len(slots):
        message = _(
            "{place}: {slots} profile slots need at least as many profile subjects to choose from; "
            "{choices} are listed."
        )
        raise Refused(message.format(place=place, slots=len(slots), choices=len(choices)))


def shipped_spec(name: str) -> TestSpecification:
    """One of the specifications shipped with the suite: ``ent2018`` or ``kt``."""
    if name not in SHIPPED_SPECS:
        message = _("There is no shipped test specification '{name}'; shipped are: {names}.")
        raise Refused(message.format(name=name, names=", ".join(SHIPPED_SPECS)))
    text = resources.files("common.testspec.examples").joinpath(f"{name}.json").read_text(encoding="utf-8")
    return load_spec(json.loads(text))
