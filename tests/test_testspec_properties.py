"""Properties of scoring that must hold for every sheet, on the shipped specifications."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from common.testspec import (
    ScoringRule,
    TestSpecification,
    max_points,
    random_answer_key,
    score_sheet,
    shipped_spec,
)

SPECS = {name: shipped_spec(name) for name in ("ent2018", "kt")}
KEYS = {name: random_answer_key(spec, spec.variants[:2], seed=42) for name, spec in SPECS.items()}
Sheet = dict[str, dict[int, str]]


@st.composite
def sheets(draw: st.DrawFn) -> tuple[str, str, list[str], Sheet]:
    name = draw(st.sampled_from(sorted(SPECS)))
    spec = SPECS[name]
    variant = draw(st.sampled_from(spec.variants[:2]))
    codes = [choice.code for choice in spec.profile_subject_choices]
    profiles = draw(st.lists(st.sampled_from(codes), min_size=spec.profile_slots, max_size=spec.profile_slots,
                             unique=True))  # fmt: skip
    sheet: Sheet = {}
    for subject in spec.subjects:
        sheet[subject.code] = {
            task.number: "".join(draw(st.sets(st.sampled_from(task.option_letters), max_size=task.options)))
            for task in subject.tasks
        }
    return name, variant, profiles, sheet


def keyed_code(spec: TestSpecification, block: str, profiles: list[str]) -> str:
    slots = [slot.code for slot in spec.profile_slot_subjects]
    return profiles[slots.index(block)] if block in slots else block


@settings(max_examples=60, deadline=None)
@given(sheets())
def test_score_stays_within_the_maximum(drawn: tuple[str, str, list[str], Sheet]) -> None:
    name, variant, profiles, sheet = drawn
    spec = SPECS[name]
    score = score_sheet(spec, KEYS[name], variant, sheet, profiles)
    assert 0 <= score.total <= score.max_total == max_points(spec)
    assert score.total == sum(score.per_subject.values())
    for code, points in score.per_subject.items():
        assert 0 <= points <= score.max_per_subject[code]
        assert points == sum(score.per_task[code])


@settings(max_examples=60, deadline=None)
@given(sheets(), st.data())
def test_correcting_a_wrong_answer_never_lowers_the_score(
    drawn: tuple[str, str, list[str], Sheet], data: st.DataObject
) -> None:
    name, variant, profiles, sheet = drawn
    spec, key = SPECS[name], KEYS[name]
    before = score_sheet(spec, key, variant, sheet, profiles)
    subject = data.draw(st.sampled_from(spec.subjects))
    task = data.draw(st.sampled_from(subject.tasks))
    correct = key.correct(variant, keyed_code(spec, subject.code, profiles), task.number)
    sheet[subject.code][task.number] = "".join(sorted(correct))
    after = score_sheet(spec, key, variant, sheet, profiles)
    assert after.total >= before.total
    gained = (
        spec.rule(task.rule).max_points
        - before.per_task[keyed_code(spec, subject.code, profiles)][task.number - 1]
    )
    assert after.total - before.total == gained


RULES = [rule for spec in SPECS.values() for rule in spec.scoring_rules.values()]
LETTERS = "ABCDEF"


@settings(max_examples=300)
@given(
    st.sampled_from(RULES),
    st.sets(st.sampled_from(LETTERS), min_size=1),
    st.sets(st.sampled_from(LETTERS)),
    st.sampled_from(LETTERS),
)
def test_one_step_towards_the_right_answer_never_scores_less(
    rule: ScoringRule, correct: set[str], marked: set[str], letter: str
) -> None:
    """Marking a missing right option or unmarking a wrong one never lowers a task's points."""
    closer = marked | {letter} if letter in correct else marked - {letter}
    assert rule.points(frozenset(closer), frozenset(correct)) >= rule.points(
        frozenset(marked), frozenset(correct)
    )
    assert 0 <= rule.points(frozenset(marked), frozenset(correct)) <= rule.max_points
