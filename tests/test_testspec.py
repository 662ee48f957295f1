"""Test specifications: the shipped ЕНТ 2018 and КТ examples, format versions, and scoring."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest

from common.errors import Refused
from common.i18n import set_language
from common.testspec import (
    AnswerKey,
    TestSpecification,
    load_answer_key,
    load_spec,
    max_points,
    random_answer_key,
    score_sheet,
    shipped_spec,
    subject_max_points,
)

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@pytest.fixture(scope="module")
def ent() -> TestSpecification:
    return shipped_spec("ent2018")


@pytest.fixture(scope="module")
def kt() -> TestSpecification:
    return shipped_spec("kt")


def key_codes(spec: TestSpecification, profile_subjects: list[str]) -> dict[str, str]:
    """Sheet block code → the code its answers are keyed by."""
    slots = dict(zip((s.code for s in spec.profile_slot_subjects), profile_subjects, strict=True))
    return {subject.code: slots.get(subject.code, subject.code) for subject in spec.subjects}


def right_answers(
    spec: TestSpecification, key: AnswerKey, variant: str, profile_subjects: list[str]
) -> dict[str, dict[int, str]]:
    return {
        block: {number: "".join(sorted(letters)) for number, letters in key.variants[variant][keyed].items()}
        for block, keyed in key_codes(spec, profile_subjects).items()
    }


def a_wrong_single_answer(right: str) -> str:
    return "A" if right != "A" else "B"


# --- the shipped specifications -----------------------------------------------------------------


def test_ent2018_structure(ent: TestSpecification) -> None:
    assert [s.code for s in ent.mandatory_subjects] == ["history_kz", "math_literacy", "reading_literacy"]
    for subject in ent.mandatory_subjects:
        assert len(subject.tasks) == 20
        assert all(t.options == 5 and not t.multiple for t in subject.tasks)
    assert ent.profile_slots == len(ent.profile_slot_subjects) == 2
    for slot in ent.profile_slot_subjects:
        assert [t.multiple for t in slot.tasks] == [False] * 20 + [True] * 10
        assert {t.options for t in slot.tasks if t.multiple} == {6}
        assert ent.rule(slot.tasks[-1].rule).points_by_errors == (2, 1, 0)
    assert {"02", "03", "04"} <= {p.code for p in ent.profile_subject_choices}
    assert ent.duration_minutes == 3 * 60 + 50  # п. 149
    assert ent.languages == ("kk", "ru", "en")
    assert max_points(ent) == 140


def test_kt_structure_follows_seed_003(kt: TestSpecification) -> None:
    # sectors 6–9: Kazakh, Russian, history of Kazakhstan, mathematics; sector 10: the chosen subject
    assert [s.name("kk") for s in kt.subjects[:4]] == [
        "Қазақ тілі",
        "Орыс тілі",
        "Қазақстан тарихы",
        "Математика",
    ]
    assert kt.profile_slots == 1
    for subject in kt.subjects:
        assert len(subject.tasks) == 25
        assert all(t.options == 5 and not t.multiple for t in subject.tasks)
    assert kt.duration_minutes == 150
    assert max_points(kt) == 5 * 25


def test_names_in_every_language(ent: TestSpecification) -> None:
    history = ent.subject("history_kz")
    assert history is not None
    assert history.name("ru") == "История Казахстана"
    assert history.name("en") == "History of Kazakhstan"
    assert ent.title_in("kk").startswith("Ұлттық бірыңғай тестілеу")
    physics = ent.profile_subject("02")
    assert physics is not None and physics.name("ru") == "Физика"


@pytest.mark.parametrize("name", ["ent2018", "kt"])
def test_json_round_trip(name: str) -> None:
    spec = shipped_spec(name)
    again = load_spec(json.loads(spec.to_json()))
    assert again == spec
    assert again.to_json() == spec.to_json()


def test_loading_from_a_file_equals_loading_the_object(tmp_path: Path, ent: TestSpecification) -> None:
    path = tmp_path / "spec.json"
    path.write_text(ent.to_json(), encoding="utf-8")
    assert load_spec(path) == ent
    assert load_spec(str(path)) == ent


def test_unknown_shipped_spec_is_refused() -> None:
    with pytest.raises(Refused, match="ent2018, kt"):
        shipped_spec("ent2030")


# --- one sample per format version ---------------------------------------------------------------


def test_format_version_1_samples_load() -> None:
    ent = load_spec(DATA / "testspec_v1_ent2018.json")
    kt = load_spec(DATA / "testspec_v1_kt.json")
    # upgraded to the current version: a version 1 test has no creative exam (sector 6)
    assert (ent.format_version, max_points(ent), ent.creative_exam) == (2, 140, None)
    assert (kt.format_version, max_points(kt), kt.creative_exam) == (2, 125, None)
    assert ent.subjects == shipped_spec("ent2018").subjects and ent.variants == shipped_spec("ent2018").variants
    # the creative exam is a field of version 2: a version 1 file that has it is refused, not half-read
    document = json.loads((DATA / "testspec_v1_ent2018.json").read_text(encoding="utf-8"))
    document["creative_exam"] = {"subjects": ["history_kz"]}
    with pytest.raises(Refused, match="the field 'creative_exam' is unknown"):
        load_spec(document)
    key = load_answer_key(DATA / "answer_key_v1_kt.json", kt)
    assert set(key.variants) == {"0001", "0002"}
    sheet = right_answers(kt, key, "0002", ["05"])
    assert score_sheet(kt, key, "0002", sheet, ["05"]).total == 125


@pytest.mark.parametrize("document", ["spec", "key"])
def test_a_newer_format_version_is_refused_with_advice(document: str, ent: TestSpecification) -> None:
    data = ent.to_dict() if document == "spec" else random_answer_key(ent, ["0001"]).to_dict()
    newer = 3 if document == "spec" else 2
    data["format_version"] = newer
    with pytest.raises(Refused, match=f"format version {newer} is newer than this program reads") as caught:
        load_spec(data) if document == "spec" else load_answer_key(data, ent)
    assert "НЦТ" in str(caught.value)


# --- answer keys --------------------------------------------------------------------------------


def test_random_answer_key_is_deterministic_and_valid(ent: TestSpecification) -> None:
    key = random_answer_key(ent, ["0001", "0002"], seed=7)
    assert key == random_answer_key(ent, ["0001", "0002"], seed=7)
    assert key != random_answer_key(ent, ["0001", "0002"], seed=8)
    assert set(key.variants) == {"0001", "0002"}
    assert load_answer_key(json.loads(key.to_json()), ent) == key
    for subject in ent.mandatory_subjects:
        assert all(len(key.correct("0001", subject.code, t.number)) == 1 for t in subject.tasks)
    slot = ent.profile_slot_subjects[0]
    for choice in ent.profile_subject_choices:
        for task in slot.tasks:
            correct = key.correct("0002", choice.code, task.number)
            assert correct and correct <= set(task.option_letters)
            assert task.multiple or len(correct) == 1
    assert set(random_answer_key(ent).variants) == set(ent.variants)


def test_random_answer_key_refuses_an_unknown_variant(ent: TestSpecification) -> None:
    with pytest.raises(Refused, match="9999"):
        random_answer_key(ent, ["9999"])


# --- scoring ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ent_key(ent: TestSpecification) -> AnswerKey:
    return random_answer_key(ent, ["0001", "0002"], seed=2018)


PROFILES = ["02", "01"]  # physics in slot 1, mathematics in slot 2


def test_perfect_ent_sheet_scores_140(ent: TestSpecification, ent_key: AnswerKey) -> None:
    score = score_sheet(ent, ent_key, "0001", right_answers(ent, ent_key, "0001", PROFILES), PROFILES)
    assert score.total == score.max_total == 140
    assert score.per_subject == {
        "history_kz": 20,
        "math_literacy": 20,
        "reading_literacy": 20,
        "02": 40,
        "01": 40,
    }
    assert score.per_subject == score.max_per_subject


def test_blank_sheet_scores_nothing(ent: TestSpecification, ent_key: AnswerKey) -> None:
    blank = {subject.code: {task.number: "" for task in subject.tasks} for subject in ent.subjects}
    assert score_sheet(ent, ent_key, "0001", blank, PROFILES).total == 0
    absent = score_sheet(ent, ent_key, "0001", {}, PROFILES)
    assert absent.total == 0 and absent.max_total == 140
    assert all(points == 0 for row in absent.per_task.values() for points in row)


def test_two_marks_on_a_single_answer_task_score_nothing(ent: TestSpecification, ent_key: AnswerKey) -> None:
    sheet = right_answers(ent, ent_key, "0001", PROFILES)
    right = sheet["history_kz"][5]
    sheet["history_kz"][5] = "".join(sorted({right, a_wrong_single_answer(right)}))
    score = score_sheet(ent, ent_key, "0001", sheet, PROFILES)
    assert score.per_subject["history_kz"] == 19
    assert score.per_task["history_kz"][4] == 0
    assert score.total == 139


def test_profile_blocks_are_scored_against_the_chosen_subjects(
    ent: TestSpecification, ent_key: AnswerKey
) -> None:
    sheet = right_answers(ent, ent_key, "0001", PROFILES)
    swapped = score_sheet(ent, ent_key, "0001", sheet, list(reversed(PROFILES)))
    assert list(swapped.per_subject) == ["history_kz", "math_literacy", "reading_literacy", "01", "02"]
    assert swapped.per_subject["01"] < 40 and swapped.per_subject["02"] < 40
    other_variant = score_sheet(ent, ent_key, "0002", sheet, PROFILES)
    assert other_variant.total < 140


@pytest.mark.parametrize(
    ("correct", "marked", "points"),
    [
        ("AC", "AC", 2),
        ("AC", "A", 1),  # one right option missed
        ("AC", "ACD", 1),  # one wrong option marked
        ("AC", "AD", 0),  # two errors
        ("AC", "BDEF", 0),
        ("AC", "", 0),
        ("B", "B", 2),
        ("B", "BC", 1),
        ("B", "", 0),  # nothing marked scores nothing, though it is a single error
        ("ABC", "ABCDEF", 0),
    ],
)
def test_multiple_answer_rule_2_1_0(
    ent: TestSpecification, ent_key: AnswerKey, correct: str, marked: str, points: int
) -> None:
    variants = {v: {s: dict(t) for s, t in subjects.items()} for v, subjects in ent_key.variants.items()}
    variants["0001"]["02"][21] = frozenset(correct)
    key = AnswerKey(ent.code, variants)
    sheet = right_answers(ent, key, "0001", PROFILES)
    sheet["profile_1"][21] = marked
    score = score_sheet(ent, key, "0001", sheet, PROFILES)
    assert score.per_task["02"][20] == points
    assert score.total == 140 - 2 + points


def test_kt_sheet(kt: TestSpecification) -> None:
    key = random_answer_key(kt, ["0003"], seed=11)
    sheet = right_answers(kt, key, "0003", ["04"])
    # subject i (0–4) gets its first 5·i tasks wrong
    for index, subject in enumerate(kt.subjects):
        for number in range(1, 5 * index + 1):
            sheet[subject.code][number] = a_wrong_single_answer(sheet[subject.code][number])
    score = score_sheet(kt, key, "0003", sheet, ["04"])
    assert list(score.per_subject.values()) == [25, 20, 15, 10, 5]
    assert score.total == 75 and score.max_total == 125
    assert all(subject_max_points(kt, s) == 25 for s in kt.subjects)


@pytest.mark.parametrize(
    ("variant", "profiles", "answers", "message"),
    [
        ("0099", PROFILES, {}, "Variant 0099 is not in test specification 'ent2018'"),
        ("0003", PROFILES, {}, "The answer key has no variant 0003"),
        ("0001", ["02"], {}, "1 profile subjects are given; the test has 2 profile slots"),
        ("0001", ["02", "99"], {}, "Profile subject '99' is not a choice"),
        ("0001", ["02", "02"], {}, "Profile subject '02' is chosen twice"),
        (
            "0001",
            PROFILES,
            {"02": {1: "A"}},
            "Answers are given for '02', which is not a subject or profile slot",
        ),
        ("0001", PROFILES, {"history_kz": {21: "A"}}, "subject 'history_kz': there is no task 21"),
        ("0001", PROFILES, {"history_kz": {1: "F"}}, "task 1: 'F' is not a set of options from A to E"),
        ("0001", PROFILES, {"profile_2": {30: "AG"}}, "task 30: 'AG' is not a set of options from A to F"),
        ("0001", PROFILES, {"history_kz": {1: "a"}}, "task 1: 'a' is not a set of options"),
    ],
)
def test_sheets_that_cannot_be_scored_are_refused(
    ent: TestSpecification,
    ent_key: AnswerKey,
    variant: str,
    profiles: list[str],
    answers: Mapping[str, Mapping[int, str]],
    message: str,
) -> None:
    with pytest.raises(Refused, match=message.replace("(", r"\(")):
        score_sheet(ent, ent_key, variant, answers, profiles)


def test_a_key_of_another_specification_is_refused(ent: TestSpecification, kt: TestSpecification) -> None:
    with pytest.raises(Refused, match="is for test specification 'kt', not 'ent2018'"):
        score_sheet(ent, random_answer_key(kt, ["0001"]), "0001", {}, PROFILES)


def test_messages_are_translated(ent: TestSpecification, ent_key: AnswerKey) -> None:
    set_language("ru")
    with pytest.raises(Refused) as caught:
        score_sheet(ent, ent_key, "0099", {}, PROFILES)
    assert "0099" in str(caught.value)
    assert any("а" <= character <= "я" for character in str(caught.value))


# --- the creative exam (sector 6, п. 150 note; format version 2) --------------------------------


def test_the_shipped_ent_has_the_creative_exam_in_two_subjects(ent: TestSpecification) -> None:
    assert ent.format_version == 2
    assert ent.creative_exam is not None and ent.creative_exam.subjects == ("history_kz", "reading_literacy")
    assert (max_points(ent), max_points(ent, creative=True)) == (140, 40)
    assert load_spec(json.loads(ent.to_json())).creative_exam == ent.creative_exam


def test_a_sheet_with_sector_6_marked_is_scored_in_the_creative_subjects_only(
    ent: TestSpecification, ent_key: AnswerKey
) -> None:
    sheet = right_answers(ent, ent_key, "0001", PROFILES)
    creative_sheet = {code: marks for code, marks in sheet.items() if code in ("history_kz", "reading_literacy")}
    score = score_sheet(ent, ent_key, "0001", creative_sheet, [], creative=True)
    assert score.per_subject == {"history_kz": 20, "reading_literacy": 20}
    assert (score.total, score.max_total) == (40, 40)
    # marks in the blocks of subjects it is not tested in do not count, right or wrong
    math = sheet["math_literacy"]
    sheet["math_literacy"] = {number: a_wrong_single_answer(letters) for number, letters in math.items()}
    assert score_sheet(ent, ent_key, "0001", {**sheet, "profile_1": {}, "profile_2": {}}, [], creative=True) == score


def test_sector_6_unmarked_scores_every_subject_as_before(ent: TestSpecification, ent_key: AnswerKey) -> None:
    # a creative-speciality applicant tested in all five subjects leaves sector 6 blank (п. 150 note)
    sheet = right_answers(ent, ent_key, "0001", PROFILES)
    assert score_sheet(ent, ent_key, "0001", sheet, PROFILES).total == 140


def test_sector_6_with_profile_subjects_or_on_a_test_without_it_is_refused(
    ent: TestSpecification, kt: TestSpecification, ent_key: AnswerKey
) -> None:
    with pytest.raises(Refused, match="creative-exam applicant is tested in 2 subjects only"):
        score_sheet(ent, ent_key, "0001", {}, PROFILES, creative=True)
    kt_key = random_answer_key(kt, ["0001"])
    with pytest.raises(Refused, match="test specification 'kt' has no creative exam"):
        score_sheet(kt, kt_key, "0001", {}, [], creative=True)
    v1 = load_spec(DATA / "testspec_v1_ent2018.json")
    with pytest.raises(Refused, match="'ent2018' has no creative exam"):
        max_points(v1, creative=True)
