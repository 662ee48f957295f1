"""Test specifications: what an exam looks like and how its sheets are scored, as versioned data.

НЦТ sends a specification (subjects, tasks, options, scoring rules, profile subjects, variants)
and, after identification, the answer key; the suite validates both and scores sheets with them.
Shipped examples: ``shipped_spec("ent2018")`` (the ЕНТ of 2018, 140 points) and
``shipped_spec("kt")`` (the complex testing of seed 003, 5 × 25 tasks).
"""

from common.testspec.answer_key import keyed_subjects, load_answer_key, parse_marks
from common.testspec.model import (
    FORMAT_VERSION,
    OPTION_LETTERS,
    AnswerKey,
    ProfileSubject,
    ScoringRule,
    SheetScore,
    Subject,
    SubjectKind,
    Task,
    TestSpecification,
)
from common.testspec.scoring import max_points, random_answer_key, score_sheet, subject_max_points
from common.testspec.validation import SHIPPED_SPECS, load_spec, shipped_spec

__all__ = [
    "FORMAT_VERSION",
    "OPTION_LETTERS",
    "SHIPPED_SPECS",
    "AnswerKey",
    "ProfileSubject",
    "ScoringRule",
    "SheetScore",
    "Subject",
    "SubjectKind",
    "Task",
    "TestSpecification",
    "keyed_subjects",
    "load_answer_key",
    "load_spec",
    "max_points",
    "parse_marks",
    "random_answer_key",
    "score_sheet",
    "shipped_spec",
    "subject_max_points",
]
