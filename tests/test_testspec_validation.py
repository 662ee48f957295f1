"""Every way a test specification or answer key can be wrong is refused with its own message."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from common.errors import Refused
from common.i18n import set_language
from common.testspec import TestSpecification, load_answer_key, load_spec, random_answer_key, shipped_spec

Document = dict[str, Any]
Mutation = Callable[[Document], Any]


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def ent_document() -> Document:
    return shipped_spec("ent2018").to_dict()


def subject(document: Document, code: str) -> Document:
    return next(s for s in document["subjects"] if s["code"] == code)


def setting(path: str, value: Any) -> Mutation:
    def mutate(document: Document) -> None:
        *parents, last = path.split(".")
        target: Any = document
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        target[int(last) if isinstance(target, list) else last] = value

    return mutate


def deleting(path: str) -> Mutation:
    def mutate(document: Document) -> None:
        *parents, last = path.split(".")
        target: Any = document
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        del target[last]

    return mutate


def seventh_task_without_options(document: Document) -> None:
    subject(document, "history_kz")["tasks"] = [
        {"count": 6, "options": 5, "multiple": False, "rule": "single"},
        {"count": 14, "options": 0, "multiple": False, "rule": "single"},
    ]


def without_profile_slots(document: Document) -> None:
    document["subjects"] = [s for s in document["subjects"] if s["kind"] == "mandatory"]
    document["profile_slots"] = 0


def duplicate(path: str, index: int = 0) -> Mutation:
    def mutate(document: Document) -> None:
        items = document[path]
        items.append(copy.deepcopy(items[index]))

    return mutate


SPEC_ERRORS: list[tuple[str, Mutation, str]] = [
    ("kind", setting("kind", "ent-arm/answer-key"), "The file is not a test specification."),
    (
        "no version",
        deleting("format_version"),
        "test specification: the format version is missing or not valid.",
    ),
    (
        "version 0",
        setting("format_version", 0),
        "test specification: the format version is missing or not valid.",
    ),
    ("missing field", deleting("title"), "test specification: the field 'title' is missing."),
    ("unknown field", setting("colour", "blue"), "test specification: the field 'colour' is unknown."),
    ("bad code", setting("code", "ЕНТ-2018"), "test specification: 'ЕНТ-2018' is not a valid code"),
    ("code type", setting("code", 2018), "test specification: 'code' must be text."),
    ("title language", deleting("title.kk"), "test specification: the text in 'kk' is missing."),
    ("blank title", setting("title.ru", " "), "test specification: the text in 'ru' is missing."),
    ("title extra", setting("title.de", "Test"), "test specification: 'de' is not a language of the suite."),
    ("title type", setting("title", "ЕНТ"), "test specification: 'title' must be an object."),
    ("languages type", setting("languages", "kk"), "test specification: 'languages' must be a list."),
    ("no language", setting("languages", []), "test specification: no test language is given."),
    (
        "language item",
        setting("languages", [1]),
        "test specification: every item of 'languages' must be text.",
    ),
    (
        "unknown language",
        setting("languages", ["kk", "de"]),
        "test specification: unknown test language 'de'.",
    ),
    (
        "language twice",
        setting("languages", ["kk", "kk"]),
        "test specification: language 'kk' is listed twice.",
    ),
    ("duration type", setting("duration_minutes", "230"), "'duration_minutes' must be a whole number."),
    ("duration bool", setting("duration_minutes", True), "'duration_minutes' must be a whole number."),
    ("duration zero", setting("duration_minutes", 0), "the duration must be a positive number of minutes."),
    ("no variant", setting("variants", []), "test specification: no variant is given."),
    ("short variant", setting("variants", ["001"]), "variant '001' is not a code of 4 digits."),
    ("variant twice", setting("variants", ["0001", "0001"]), "variant 0001 is listed twice."),
    ("no rule", setting("scoring_rules", {}), "test specification: no scoring rule is given."),
    ("rule name", setting("scoring_rules.Single", {"points_by_errors": [1]}), "'Single' is not a valid code"),
    ("rule type", setting("scoring_rules.single", [1]), "test specification: 'single' must be an object."),
    (
        "rule field",
        setting("scoring_rules.single.bonus", 1),
        "scoring rule 'single': the field 'bonus' is unknown.",
    ),
    (
        "rule points",
        setting("scoring_rules.single.points_by_errors", [1, -1]),
        "non-empty list of whole numbers",
    ),
    ("rule empty", setting("scoring_rules.single.points_by_errors", []), "non-empty list of whole numbers"),
    (
        "rule zero",
        setting("scoring_rules.single.points_by_errors", [0]),
        "a right answer must score at least one",
    ),
    ("rule grows", setting("scoring_rules.multi_2_1_0.points_by_errors", [2, 0, 1]), "must not grow"),
    ("no subject", setting("subjects", []), "test specification: no subject is given."),
    ("subject type", setting("subjects.0", "history"), "every item of 'subjects' must be an object."),
    ("subject field", deleting("subjects.0.kind"), "subject no. 1: the field 'kind' is missing."),
    ("subject code", setting("subjects.1.code", "2math"), "subject no. 2: '2math' is not a valid code"),
    ("subject twice", duplicate("subjects"), "test specification: the code 'history_kz' is used twice."),
    (
        "subject name",
        deleting("subjects.2.names.en"),
        "subject 'reading_literacy': the text in 'en' is missing.",
    ),
    (
        "subject kind",
        setting("subjects.0.kind", "optional"),
        "subject 'history_kz': unknown subject kind 'optional'",
    ),
    ("no tasks", setting("subjects.0.tasks", []), "subject 'history_kz': the subject has no tasks."),
    ("no options", seventh_task_without_options, "subject 'history_kz': task 7 has 0 options; from 2 to 8"),
    (
        "many options",
        setting("subjects.1.tasks.0.options", 9),
        "subject 'math_literacy': task 1 has 9 options",
    ),
    (
        "task count",
        setting("subjects.1.tasks.0.count", 0),
        "a group of tasks must have a count of at least 1.",
    ),
    (
        "task rule",
        setting("subjects.1.tasks.0.rule", "triple"),
        "task 1 uses the unknown scoring rule 'triple'.",
    ),
    ("task multiple", setting("subjects.1.tasks.0.multiple", "no"), "'multiple' must be true or false."),
    (
        "task field",
        deleting("subjects.1.tasks.0.rule"),
        "subject 'math_literacy': the field 'rule' is missing.",
    ),
    ("slots count", setting("profile_slots", 3), "profile_slots is 3, but 2 subjects are profile slots."),
    (
        "slots differ",
        setting("subjects.4.tasks.1.options", 5),
        "profile slots 'profile_1' and 'profile_2' must",
    ),
    (
        "profile code",
        setting("profile_subject_choices.0.code", "1"),
        "the profile subject code '1' is not 2 digits",
    ),
    ("profile twice", duplicate("profile_subject_choices", 3), "the code '04' is used twice."),
    (
        "profile name",
        deleting("profile_subject_choices.1.names.kk"),
        "profile subject '02': the text in 'kk'",
    ),
    (
        "profile field",
        setting("profile_subject_choices.1.rule", "single"),
        "profile subject no. 2: the field 'rule'",
    ),
    ("no slots", without_profile_slots, "profile subjects are listed, but the test has no profile slots."),
    (
        "few choices",
        lambda d: d["profile_subject_choices"].__delitem__(slice(1, None)),
        "2 profile slots need",
    ),
    ("notes", setting("notes", ["fine", 7]), "test specification: every item of 'notes' must be text."),
    ("creative object", setting("creative_exam", ["history_kz"]), "every item of 'creative_exam' must be an object."),
    ("creative field", setting("creative_exam.rule", 2), "creative exam: the field 'rule' is unknown."),
    (
        "creative slot",
        setting("creative_exam.subjects", ["history_kz", "profile_1"]),
        "creative exam: 'profile_1' is not a mandatory subject of the test.",
    ),
    (
        "creative unknown",
        setting("creative_exam.subjects", ["drawing"]),
        "creative exam: 'drawing' is not a mandatory subject of the test.",
    ),
    (
        "creative twice",
        setting("creative_exam.subjects", ["history_kz", "history_kz"]),
        "creative exam: the code 'history_kz' is used twice.",
    ),
    (
        "creative none",
        setting("creative_exam.subjects", []),
        "creative exam: a creative-exam sheet is tested in some of the test's subjects: from 1 to 4.",
    ),
]


@pytest.mark.parametrize(("mutate", "message"), [c[1:] for c in SPEC_ERRORS], ids=[c[0] for c in SPEC_ERRORS])
def test_each_spec_error_is_refused_with_its_message(mutate: Mutation, message: str) -> None:
    document = ent_document()
    mutate(document)
    with pytest.raises(Refused, match=re.escape(message)):
        load_spec(document)


def test_spec_errors_each_have_their_own_message() -> None:
    messages = []
    for _name, mutate, _message in SPEC_ERRORS:
        document = ent_document()
        mutate(document)
        with pytest.raises(Refused) as caught:
            load_spec(document)
        messages.append(str(caught.value))
    assert all("\n" not in message for message in messages)
    # cases sharing an expected message are the same error path with other bad values
    assert len(set(messages)) == len({expected for _name, _mutate, expected in SPEC_ERRORS})


def test_the_untouched_document_loads() -> None:
    assert load_spec(ent_document()) == shipped_spec("ent2018")


def test_a_creative_exam_in_every_subject_is_refused() -> None:
    document = ent_document()
    without_profile_slots(document)  # three mandatory subjects only
    document["profile_subject_choices"] = []
    document["creative_exam"] = {"subjects": [item["code"] for item in document["subjects"]]}
    with pytest.raises(Refused, match=re.escape("from 1 to 2.")):
        load_spec(document)
    document = shipped_spec("kt").to_dict()
    document["creative_exam"] = None  # null: no creative exam, as if absent
    assert load_spec(document) == shipped_spec("kt")


def test_not_a_json_object() -> None:
    with pytest.raises(Refused, match="the content must be a JSON object"):
        load_spec([1, 2])  # type: ignore[arg-type]


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(Refused, match=r"the file missing.json cannot be read"):
        load_spec(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "kind": "ent-arm/test-specification",\n  "code" "ent"\n}', encoding="utf-8")
    with pytest.raises(Refused, match=r"the file broken.json is not valid JSON \(line 3\)"):
        load_spec(broken)
    array = tmp_path / "array.json"
    array.write_text("[]", encoding="utf-8")
    with pytest.raises(Refused, match="must be a JSON object"):
        load_spec(array)


def test_the_message_names_no_folder(tmp_path: Path) -> None:
    with pytest.raises(Refused) as caught:
        load_spec(tmp_path / "secret-folder" / "spec.json")
    assert "secret-folder" not in str(caught.value)


# --- answer keys --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ent() -> TestSpecification:
    return shipped_spec("ent2018")


def key_document(ent: TestSpecification) -> Document:
    return random_answer_key(ent, ["0001"], seed=5).to_dict()


def subject_answers(path: str, change: Callable[[list[str]], Any]) -> Mutation:
    def mutate(document: Document) -> None:
        change(document["variants"]["0001"][path])

    return mutate


def replace_first(letters: str) -> Callable[[list[str]], None]:
    return lambda answers: answers.__setitem__(0, letters)


KEY_ERRORS: list[tuple[str, Mutation, str]] = [
    ("kind", setting("kind", "ent-arm/test-specification"), "The file is not an answer key."),
    ("field", setting("signed", True), "answer key: the field 'signed' is unknown."),
    ("other spec", setting("spec", "kt"), "answer key: it is for test specification 'kt', not 'ent2018'."),
    ("no variant", setting("variants", {}), "answer key: no variant is given."),
    ("variant", lambda d: d["variants"].__setitem__("9999", d["variants"]["0001"]), "variant 9999 is not in"),
    ("variant type", setting("variants.0001", []), "answer key: '0001' must be an object."),
    (
        "slot code",
        lambda d: d["variants"]["0001"].__setitem__("profile_1", []),
        "'profile_1' is not a subject",
    ),
    ("missing", lambda d: d["variants"]["0001"].__delitem__("14"), "the answers for '14' are missing."),
    ("list type", setting("variants.0001.history_kz", "ABCDE"), "'history_kz' must be a list."),
    (
        "count",
        subject_answers("history_kz", list.pop),
        "subject 'history_kz': 19 answers are given for 20 tasks.",
    ),
    (
        "item type",
        subject_answers("history_kz", replace_first(1)),
        "every item of 'history_kz' must be text.",
    ),
    (
        "letter",
        subject_answers("history_kz", replace_first("F")),
        "task 1: 'F' is not a set of options from A to E",
    ),
    ("twice", subject_answers("02", replace_first("AA")), "task 1: 'AA' is not a set of options from A to E"),
    ("no answer", subject_answers("history_kz", replace_first("")), "task 1 has no right answer."),
    (
        "two answers",
        subject_answers("history_kz", replace_first("AB")),
        "task 1 has one right answer, but 2 are",
    ),
]


@pytest.mark.parametrize(("mutate", "message"), [c[1:] for c in KEY_ERRORS], ids=[c[0] for c in KEY_ERRORS])
def test_each_key_error_is_refused_with_its_message(
    ent: TestSpecification, mutate: Mutation, message: str
) -> None:
    document = key_document(ent)
    mutate(document)
    with pytest.raises(Refused, match=re.escape(message)):
        load_answer_key(document, ent)


def test_several_right_options_are_allowed_on_multiple_answer_tasks(ent: TestSpecification) -> None:
    document = key_document(ent)
    document["variants"]["0001"]["02"][29] = "ABCDEF"
    key = load_answer_key(document, ent)
    assert key.correct("0001", "02", 30) == frozenset("ABCDEF")
