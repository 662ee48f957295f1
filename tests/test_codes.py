"""Typable codes: format, check symbol, forgiving reading, verifiers bound to their context."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.errors import Refused
from common.i18n import set_language
from common.security.codes import (
    ALPHABET,
    DATA_SYMBOLS,
    ENTROPY_BITS,
    CodeContext,
    CodeVerifier,
    KdfCost,
    code_from_bytes,
    generate_code,
    is_well_formed,
    make_verifier,
    normalize_code,
)


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


SYMBOL = "[0-9A-HJKMNP-TV-Z]"
CODE_SHAPE = re.compile(rf"^{SYMBOL}{{4}}-{SYMBOL}{{4}}-{SYMBOL}{{4}}-{SYMBOL}$")
FAST = KdfCost(memory_kib=1024, iterations=1, lanes=1)
codes = st.binary(min_size=8, max_size=8).map(code_from_bytes)


def symbols(code: str) -> list[str]:
    return list(code.replace("-", ""))


def test_a_code_has_sixty_random_bits_and_prints_in_groups() -> None:
    assert ENTROPY_BITS >= 60
    drawn = [generate_code() for _ in range(3000)]
    assert all(CODE_SHAPE.match(code) for code in drawn)
    assert len(set(drawn)) == len(drawn)
    for position in range(DATA_SYMBOLS):
        assert {symbols(code)[position] for code in drawn} == set(ALPHABET), position


def test_different_material_gives_different_codes() -> None:
    first = code_from_bytes(bytes(8))
    assert code_from_bytes(bytes(7) + b"\x10") != first  # bit 4 is the lowest of the 60 used
    assert code_from_bytes(b"\x80" + bytes(7)) != first


@settings(max_examples=40, deadline=None)
@given(codes)
def test_every_single_substitution_is_caught(code: str) -> None:
    for position, original in enumerate(symbols(code)):
        for replacement in ALPHABET:
            if replacement == original:
                continue
            typed = symbols(code)
            typed[position] = replacement
            assert not is_well_formed("".join(typed)), (code, position, replacement)


@settings(max_examples=200, deadline=None)
@given(codes)
def test_every_adjacent_transposition_is_caught(code: str) -> None:
    for position in range(DATA_SYMBOLS):
        typed = symbols(code)
        if typed[position] == typed[position + 1]:
            continue
        typed[position], typed[position + 1] = typed[position + 1], typed[position]
        assert not is_well_formed("".join(typed)), (code, position)


@given(codes)
def test_case_spaces_hyphens_and_lookalikes_do_not_matter(code: str) -> None:
    plain = code.replace("-", "")
    assert normalize_code(plain.lower()) == code
    assert normalize_code(" ".join(plain)) == code
    assert normalize_code(code.replace("1", "l").replace("0", "O")) == code
    cyrillic = code.translate(str.maketrans("ABEKMHPCTX", "АВЕКМНРСТХ"))
    assert normalize_code(cyrillic.lower()) == code


def test_typing_errors_are_refused_with_a_reason() -> None:
    code = generate_code()
    with pytest.raises(Refused, match="13"):
        normalize_code(code[:-1])
    with pytest.raises(Refused, match="U"):
        normalize_code("U" + code[1:])
    wrong = ("1" if code[0] != "1" else "2") + code[1:]
    with pytest.raises(Refused, match="typing error"):
        normalize_code(wrong)


def test_a_verifier_accepts_its_code_only_in_its_context() -> None:
    code, other = generate_code(), generate_code()
    context = CodeContext("017", "seating-draw", 2)
    verifier = make_verifier(code, context, FAST)
    assert verifier.matches(code.lower().replace("-", " "))
    assert not verifier.matches(other)
    for elsewhere in (
        CodeContext("018", "seating-draw", 2),
        CodeContext("017", "seating-draw", 3),
        CodeContext("017", "re-identification", 2),
        CodeContext("017", "seating-draw", 2, "unlock-1"),
    ):
        moved = CodeVerifier(elsewhere, verifier.salt, verifier.digest, verifier.cost)
        assert not moved.matches(code), elsewhere


def test_a_verifier_travels_as_json_without_the_code() -> None:
    code = generate_code()
    verifier = make_verifier(code, CodeContext("017", "close-applications"), FAST)
    data = verifier.to_dict()
    assert code not in repr(data) and code.replace("-", "") not in repr(data)
    restored = CodeVerifier.from_dict(data)
    assert restored == verifier and restored.matches(code)


def test_the_default_cost_is_a_slow_memory_hard_kdf() -> None:
    verifier = make_verifier(generate_code(), CodeContext("017", "seating-draw", 1))
    assert verifier.cost.memory_kib >= 64 * 1024 and verifier.cost.iterations >= 3
    with pytest.raises(ValueError, match="cost"):
        KdfCost.from_dict({"memory_kib": 1, "iterations": 1, "lanes": 4})
