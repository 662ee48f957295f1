"""The test specification and answer key as typed, immutable data.

A test specification is what НЦТ sends to a site to say what an exam looks like: its subjects,
their tasks, the options of each task, and how each task is scored. Scoring rules are data too
(a table in the specification), so a rule such as the ЕНТ's 2/1/0 for multiple-answer tasks,
which the instruction does not state, lives in the specification and not in code.

The JSON form is written by :meth:`TestSpecification.to_json` and read back, with full
validation, by :func:`common.testspec.load_spec`. Format versions of a specification:

* **1** — subjects, tasks, scoring rules, profile subjects, variants.
* **2** — adds ``creative_exam`` (:class:`CreativeExam`), the rule of sector 6 «Творческий экзамен»
  (п. 150, note). A version 1 file is still read: it is upgraded to version 2 with no creative exam.

An answer key has its own format version (1).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final, Literal

from common.errors import Refused
from common.i18n import _

OPTION_LETTERS: Final = "ABCDEFGH"
"""Options of a task are the first letters of this string: a task with 5 options has A–E."""

MIN_OPTIONS: Final = 2
MAX_OPTIONS: Final = len(OPTION_LETTERS)
FORMAT_VERSION: Final = 2
"""The newest test specification format version this program reads and the one it writes."""
KEY_FORMAT_VERSION: Final = 1
"""The newest answer key format version this program reads and the one it writes."""
SPEC_KIND: Final = "ent-arm/test-specification"
KEY_KIND: Final = "ent-arm/answer-key"
NAME_LANGUAGES: Final = ("kk", "ru", "en")
"""Every title and name in a specification is given in these three languages."""

EXAM_YEARS: Final = range(2000, 2100)
"""The years an exam's specification may give (``exam_year``)."""

SubjectKind = Literal["mandatory", "profile_slot"]
SUBJECT_KINDS: Final[tuple[SubjectKind, ...]] = ("mandatory", "profile_slot")


def _name_in(names: Mapping[str, str], language: str) -> str:
    return names.get(language) or names["ru"]


@dataclass(frozen=True)
class ScoringRule:
    """Points by the number of errors.

    An error is an option marked but not right, or right but not marked (the size of the
    symmetric difference). ``points_by_errors[n]`` is what a task with ``n`` errors scores; more
    errors than the list covers score 0, and a task with nothing marked scores 0 whatever the list
    says. ``(1,)`` is the single-answer rule: only exactly the right option scores, two or more
    marks score nothing (seed 003); ``(2, 1, 0)`` is the ЕНТ rule for multiple-answer tasks.
    """

    name: str
    points_by_errors: tuple[int, ...]

    @property
    def max_points(self) -> int:
        return self.points_by_errors[0]

    def points(self, marked: frozenset[str], correct: frozenset[str]) -> int:
        if not marked:
            return 0
        errors = len(marked ^ correct)
        return self.points_by_errors[errors] if errors < len(self.points_by_errors) else 0


@dataclass(frozen=True)
class Task:
    """One task of a subject: ``number`` from 1, ``options`` A, B, … and its scoring rule's name.

    ``multiple`` says that the task may have more than one right option (and the sheet lets the
    applicant mark several); a single-answer task has exactly one right option.
    """

    number: int
    options: int
    multiple: bool
    rule: str

    @property
    def option_letters(self) -> str:
        return OPTION_LETTERS[: self.options]


@dataclass(frozen=True)
class Subject:
    """A block of the answer sheet: a mandatory subject, or a slot for a chosen profile subject."""

    code: str
    names: dict[str, str]
    kind: SubjectKind
    tasks: tuple[Task, ...]

    def name(self, language: str) -> str:
        return _name_in(self.names, language)

    def task(self, number: int) -> Task | None:
        return self.tasks[number - 1] if 1 <= number <= len(self.tasks) else None

    @property
    def layout(self) -> tuple[tuple[int, bool, str], ...]:
        """Options, multiplicity and rule of each task: what two profile slots must share."""
        return tuple((task.options, task.multiple, task.rule) for task in self.tasks)


@dataclass(frozen=True)
class ProfileSubject:
    """A subject an applicant may choose for a profile slot; ``code`` is marked on the sheet."""

    code: str
    names: dict[str, str]

    def name(self, language: str) -> str:
        return _name_in(self.names, language)


@dataclass(frozen=True)
class CreativeExam:
    """Sector 6 «Творческий экзамен» of the answer sheet (п. 150, note; format version 2).

    The note: sector 6 is marked by applicants who chose a creative speciality and are tested in two
    subjects; applicants who chose a creative speciality but are tested in all five subjects leave it
    blank. So the mark, not the speciality, decides: a sheet with sector 6 marked is tested — and
    scored — in ``subjects`` only (mandatory subjects of the specification, fewer than all its
    subjects) and chooses no profile subjects; a sheet without the mark is scored in every subject.
    Which subjects they are is the specification's, not the program's (the instruction names none).
    """

    subjects: tuple[str, ...]


@dataclass(frozen=True)
class TestSpecification:
    """What an exam looks like (see the module docstring). Build it with ``load_spec``."""

    __test__: ClassVar[bool] = False  # not a pytest test class despite its name

    code: str
    format_version: int
    title: dict[str, str]
    languages: tuple[str, ...]
    subjects: tuple[Subject, ...]
    profile_subject_choices: tuple[ProfileSubject, ...]
    profile_slots: int
    variants: tuple[str, ...]
    duration_minutes: int
    scoring_rules: dict[str, ScoringRule] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    exam_year: int | None = None
    """The year of the exam, printed on its answer sheets; optional (older files lack it), and
    absent from the shipped examples, which describe an exam's shape, not a given year's exam."""
    creative_exam: CreativeExam | None = None
    """The creative-exam rule (sector 6, п. 150 note); ``None``: the test has none (every version 1 file)."""

    def title_in(self, language: str) -> str:
        return _name_in(self.title, language)

    @property
    def mandatory_subjects(self) -> tuple[Subject, ...]:
        return tuple(subject for subject in self.subjects if subject.kind == "mandatory")

    @property
    def profile_slot_subjects(self) -> tuple[Subject, ...]:
        return tuple(subject for subject in self.subjects if subject.kind == "profile_slot")

    def subject(self, code: str) -> Subject | None:
        return next((subject for subject in self.subjects if subject.code == code), None)

    def profile_subject(self, code: str) -> ProfileSubject | None:
        return next((choice for choice in self.profile_subject_choices if choice.code == code), None)

    def rule(self, name: str) -> ScoringRule:
        return self.scoring_rules[name]

    def tested_subjects(self, creative: bool = False) -> tuple[Subject, ...]:
        """The subjects (and profile slots) a sheet is scored in: all, or with sector 6 marked the
        creative exam's (``Refused`` when the test has no creative exam)."""
        if not creative:
            return self.subjects
        if self.creative_exam is None:
            message = _("Sector 6 «Творческий экзамен» is marked, but test specification '{spec}' has no creative "
                        "exam.")
            raise Refused(message.format(spec=self.code))
        return tuple(subject for subject in self.subjects if subject.code in self.creative_exam.subjects)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the current format version; consecutive equal tasks are grouped."""
        return {
            "kind": SPEC_KIND,
            "format_version": FORMAT_VERSION,
            "code": self.code,
            "title": dict(self.title),
            "languages": list(self.languages),
            "duration_minutes": self.duration_minutes,
            "variants": list(self.variants),
            "scoring_rules": {
                name: {"points_by_errors": list(rule.points_by_errors)}
                for name, rule in self.scoring_rules.items()
            },
            "subjects": [
                {"code": s.code, "names": dict(s.names), "kind": s.kind, "tasks": _task_groups(s.tasks)}
                for s in self.subjects
            ],
            "profile_slots": self.profile_slots,
            "profile_subject_choices": [
                {"code": p.code, "names": dict(p.names)} for p in self.profile_subject_choices
            ],
            "notes": list(self.notes),
            **({"exam_year": self.exam_year} if self.exam_year is not None else {}),
            **({"creative_exam": {"subjects": list(self.creative_exam.subjects)}}
               if self.creative_exam is not None else {}),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def sha256(self) -> str:
        """SHA-256 (hex) of the specification's canonical JSON: equal specifications, equal digests."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _task_groups(tasks: tuple[Task, ...]) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for task in tasks:
        last = groups[-1] if groups else None
        if last and (last["options"], last["multiple"], last["rule"]) == (
            task.options,
            task.multiple,
            task.rule,
        ):
            last["count"] += 1
        else:
            groups.append({"count": 1, "options": task.options, "multiple": task.multiple, "rule": task.rule})
    return groups


@dataclass(frozen=True)
class AnswerKey:
    """Right options by variant, subject code and task number.

    Mandatory subjects are keyed by their code; profile subjects by the code of the chosen
    profile subject (not of the slot), since the same subject may sit in either slot.
    Build it with ``load_answer_key`` or ``random_answer_key``.
    """

    spec_code: str
    variants: dict[str, dict[str, dict[int, frozenset[str]]]]

    def correct(self, variant: str, subject: str, task: int) -> frozenset[str]:
        return self.variants[variant][subject][task]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": KEY_KIND,
            "format_version": KEY_FORMAT_VERSION,
            "spec": self.spec_code,
            "variants": {
                variant: {
                    subject: ["".join(sorted(tasks[number])) for number in sorted(tasks)]
                    for subject, tasks in subjects.items()
                }
                for variant, subjects in self.variants.items()
            },
        }

    def to_json(self) -> str:
        """The JSON text of :meth:`to_dict`, one line per variant and subject."""
        document = self.to_dict()
        lines = ["{"]
        lines += [
            f"  {json.dumps(name)}: {json.dumps(document[name])},"
            for name in ("kind", "format_version", "spec")
        ]
        lines.append('  "variants": {')
        variants = list(document["variants"].items())
        for index, (variant, subjects) in enumerate(variants):
            lines.append(f"    {json.dumps(variant)}: {{")
            rows = [f"      {json.dumps(code)}: {json.dumps(letters)}" for code, letters in subjects.items()]
            lines.append(",\n".join(rows))
            lines.append("    }," if index < len(variants) - 1 else "    }")
        lines += ["  }", "}"]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class SheetScore:
    """The score of one answer sheet.

    ``per_subject`` and ``max_per_subject`` are keyed by mandatory subject codes and by the codes
    of the chosen profile subjects, in sheet order. ``per_task`` holds each task's points in task
    order under the same keys (for answer analysis cards and appeals).
    """

    per_subject: dict[str, int]
    total: int
    max_total: int
    max_per_subject: dict[str, int] = field(default_factory=dict)
    per_task: dict[str, tuple[int, ...]] = field(default_factory=dict)
