"""The code book: ИИН/БИН check digits, name grids, code widths and the room-seat rule."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from common import codebook
from common.codebook import (
    ALPHABET,
    NAME_GRID_PROBLEMS,
    NAME_LETTERS,
    ROOM_LANGUAGE_STATUSES,
    format_code,
    grid_form_of_name,
    iin_birth_date,
    iin_check_digit,
    iin_sex,
    is_code,
    is_valid_bin,
    is_valid_iin,
    name_grid_problem,
    name_grid_problems,
    room_language_status,
    validate_room_seats,
)
from common.errors import Refused
from common.i18n import set_language

CENTURY_DIGIT = {(1800, "M"): "1", (1800, "F"): "2", (1900, "M"): "3", (1900, "F"): "4",
                 (2000, "M"): "5", (2000, "F"): "6"}  # fmt: skip


def first_pass_remainder(first11: str) -> int:
    return sum(int(digit) * weight for digit, weight in zip(first11, range(1, 12), strict=True)) % 11


def make_iin(born: date, sex: str, serial: int) -> str | None:
    first11 = born.strftime("%y%m%d") + CENTURY_DIGIT[(born.year // 100 * 100, sex)] + f"{serial:04d}"
    check = iin_check_digit(first11)
    return None if check is None else first11 + str(check)


birth_dates = st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31))
sexes = st.sampled_from(codebook.SEXES)
serials = st.integers(min_value=0, max_value=9999)


# --- ИИН and БИН ------------------------------------------------------------------------------


def test_check_digit_worked_examples() -> None:
    # 1·1 = 1 → 1
    assert iin_check_digit("10000000000") == 1
    # weight 11 on the last digit: 11 mod 11 = 0
    assert iin_check_digit("00000000001") == 0
    # first pass: 1+4+9+16+25+36+49+64+81+0+11 = 296 ≡ 10 → second pass:
    # 3+8+15+24+35+48+63+80+99+0+2 = 377 ≡ 3
    assert iin_check_digit("12345678901") == 3
    # 5·1 + 6·10 = 65 ≡ 10, then 5·3 + 6·1 = 21 ≡ 10: no number is issued
    assert iin_check_digit("50000000060") is None


def test_valid_and_invalid_numbers() -> None:
    assert is_valid_iin("123456789013")
    assert is_valid_bin("123456789013")
    assert not is_valid_iin("123456789012")
    assert not is_valid_iin("12345678901")  # 11 digits
    assert not is_valid_iin("1234567890133")  # 13 digits
    assert not is_valid_iin("12345678901a")
    assert not is_valid_iin("１２３４５６７８９０１３")  # full-width digits are not ASCII
    # a number whose first 11 digits have no check digit can never be valid
    assert not any(is_valid_iin("50000000060" + str(digit)) for digit in range(10))


@settings(max_examples=200)
@given(born=birth_dates, sex=sexes, serial=serials)
def test_generated_iin_validates_and_round_trips(born: date, sex: str, serial: int) -> None:
    iin = make_iin(born, sex, serial)
    assume(iin is not None)
    assert iin is not None
    assert is_valid_iin(iin)
    assert iin_birth_date(iin) == born
    assert iin_sex(iin) == sex


@settings(max_examples=200)
@given(born=birth_dates, sex=sexes, serial=serials, new_digit=st.integers(0, 9))
def test_changing_the_check_digit_always_invalidates(
    born: date, sex: str, serial: int, new_digit: int
) -> None:
    iin = make_iin(born, sex, serial)
    assume(iin is not None and iin[11] != str(new_digit))
    assert iin is not None
    assert not is_valid_iin(iin[:11] + str(new_digit))


@settings(max_examples=300)
@given(born=birth_dates, sex=sexes, serial=serials, position=st.integers(0, 9), new_digit=st.integers(0, 9))
def test_changing_one_of_the_first_ten_digits_is_caught_by_the_first_pass(
    born: date, sex: str, serial: int, position: int, new_digit: int
) -> None:
    """Weights 1–10 are invertible modulo 11, so a one-digit change moves the first-pass remainder.

    When the first pass decides both numbers (remainder ≠ 10), the check digit therefore differs.
    (Through the second pass a changed number may collide with the old check digit by chance.)
    """
    iin = make_iin(born, sex, serial)
    assume(iin is not None and iin[position] != str(new_digit))
    assert iin is not None
    changed = iin[:position] + str(new_digit) + iin[position + 1 :]
    assert first_pass_remainder(changed[:11]) != first_pass_remainder(iin[:11])
    assume(first_pass_remainder(iin[:11]) != 10 and first_pass_remainder(changed[:11]) != 10)
    assert not is_valid_iin(changed)


@settings(max_examples=100)
@given(born=birth_dates, sex=sexes, serial=serials, new_digit=st.integers(0, 9))
def test_the_eleventh_digit_is_not_protected_by_the_first_pass(
    born: date, sex: str, serial: int, new_digit: int
) -> None:
    """Its first-pass weight is 11 ≡ 0: a misread 11th digit keeps the ИИН valid.

    The check digit alone cannot catch such a misread; the reader must compare with the journal.
    """
    iin = make_iin(born, sex, serial)
    assume(iin is not None and first_pass_remainder(iin[:11]) != 10)
    assert iin is not None
    assert is_valid_iin(iin[:10] + str(new_digit) + iin[11])


def test_birth_date_and_sex_of_numbers_that_encode_none() -> None:
    assert iin_birth_date("900230300000") is None  # 30 February
    assert iin_birth_date("900515700000") is None  # no century 7
    assert iin_sex("900515000000") is None
    assert iin_birth_date("9005153") is None
    assert iin_birth_date("000229500000") == date(2000, 2, 29)
    assert iin_sex("000229600000") == "F"


# --- the alphabet and name grids --------------------------------------------------------------


def test_alphabet_has_forty_distinct_capital_letters_without_yo_and_hard_sign() -> None:
    assert len(ALPHABET) == 40
    assert len(set(ALPHABET)) == 40
    assert all(len(letter) == 1 and letter.isupper() for letter in ALPHABET)
    assert "Ё" not in ALPHABET and "Ъ" not in ALPHABET
    assert "I" not in ALPHABET  # the Kazakh І is Cyrillic, not Latin


def test_alphabet_order() -> None:
    russian = [letter for letter in ALPHABET if "А" <= letter <= "Я"]
    assert russian == [chr(code) for code in range(ord("А"), ord("Я") + 1) if chr(code) != "Ъ"]
    for base, kazakh in [("А", "Ә"), ("Г", "Ғ"), ("К", "Қ"), ("Н", "Ң"), ("О", "Ө"), ("У", "Ұ"),
                         ("Ұ", "Ү"), ("Х", "Һ"), ("Ы", "І")]:  # fmt: skip
        assert ALPHABET.index(kazakh) == ALPHABET.index(base) + 1


@given(st.text())
def test_grid_form_never_contains_yo_or_hard_sign(name: str) -> None:
    grid = grid_form_of_name(name)
    assert "Ё" not in grid and "Ъ" not in grid
    assert grid == grid.upper()


@given(st.lists(st.sampled_from(ALPHABET), max_size=NAME_LETTERS))
def test_names_of_alphabet_letters_that_fit_have_no_problem(letters: list[str]) -> None:
    name = "".join(letters).lower()
    assert name_grid_problem(name, NAME_LETTERS) is None
    assert grid_form_of_name(name) == "".join(letters)


def test_grid_form_replaces_yo_and_hard_sign() -> None:
    assert grid_form_of_name(" Пётр ") == "ПЕТР"
    assert grid_form_of_name("Подъячев") == "ПОДЬЯЧЕВ"
    assert grid_form_of_name("Әлихан") == "ӘЛИХАН"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Анна Мария", "space"),
        ("Нұр-Әли", "hyphen"),
        ("Ivan", "letter"),
        ("О'Нил", "letter"),
        ("Пётр", "yo_hard_sign"),
        ("Подъячев", "yo_hard_sign"),
        ("Б" * (NAME_LETTERS + 1), "too_long"),
        ("Қуанышбек", None),
        ("Б" * NAME_LETTERS, None),
        ("", None),
    ],
)
def test_name_grid_problem(name: str, reason: str | None) -> None:
    assert name_grid_problem(name, NAME_LETTERS) == reason


def test_all_problems_are_listed_in_order() -> None:
    assert name_grid_problems("Пётр-Ёж Ann" + "а" * 20, NAME_LETTERS) == NAME_GRID_PROBLEMS


def test_every_problem_has_a_translated_description() -> None:
    try:
        for language in ("en", "ru", "kk"):
            set_language(language)
            texts = {codebook.name_grid_problem_text(problem) for problem in NAME_GRID_PROBLEMS}
            assert len(texts) == len(NAME_GRID_PROBLEMS)
        set_language("en")
        english = codebook.name_grid_problem_text("too_long")
        set_language("ru")
        assert codebook.name_grid_problem_text("too_long") != english
    finally:
        set_language("ru")


# --- codes, rooms, languages ------------------------------------------------------------------


def test_is_code() -> None:
    assert is_code("03", codebook.ROOM_DIGITS)
    assert is_code("000000001", codebook.IKT_DIGITS)
    assert not is_code("3", codebook.ROOM_DIGITS)
    assert not is_code("0a", codebook.ROOM_DIGITS)
    assert not is_code("٠٣", codebook.ROOM_DIGITS)  # Arabic-Indic digits
    assert not is_code(" 3", codebook.ROOM_DIGITS)


def test_format_code() -> None:
    assert format_code(3, codebook.ROOM_DIGITS) == "03"
    assert format_code(7, codebook.VARIANT_DIGITS) == "0007"
    with pytest.raises(Refused):
        format_code(100, codebook.ROOM_DIGITS)
    with pytest.raises(Refused):
        format_code(-1, codebook.SEAT_DIGITS)


@given(st.integers(0, 10**codebook.SEAT_DIGITS - 1))
def test_formatted_codes_are_codes(number: int) -> None:
    assert is_code(format_code(number, codebook.SEAT_DIGITS), codebook.SEAT_DIGITS)


def test_room_numbers_fit_their_width() -> None:
    assert is_code(format_code(codebook.MAX_ROOM_NUMBER, codebook.ROOM_DIGITS), codebook.ROOM_DIGITS)
    assert is_code(format_code(codebook.SEAT_MAX, codebook.SEAT_DIGITS), codebook.SEAT_DIGITS)


@pytest.mark.parametrize("seats", [30, 40, 110, 120])
def test_allowed_room_sizes(seats: int) -> None:
    assert validate_room_seats(seats) is None


@pytest.mark.parametrize("seats", [0, 20, 35, 125, 130])
def test_refused_room_sizes_say_why(seats: int) -> None:
    message = validate_room_seats(seats)
    assert message is not None and str(seats) in message


def test_room_language_status() -> None:
    assert room_language_status("kk") == "kk"
    assert room_language_status("ru", "kk") == "ru"
    assert room_language_status("en", "kk") == "en-kk"
    assert room_language_status("en", "ru") == "en-ru"
    with pytest.raises(Refused):
        room_language_status("en")
    with pytest.raises(Refused):
        room_language_status("de")


def test_every_room_status_has_its_own_name() -> None:
    names = {codebook.room_language_status_name(status) for status in ROOM_LANGUAGE_STATUSES}
    assert len(names) == len(ROOM_LANGUAGE_STATUSES)
