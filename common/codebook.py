"""The code book: every code width and code rule of the suite, in one place.

The instruction (the 2018 НЦТ instruction on organising the ЕНТ, ``п. N`` below) names the codes
on the forms but is silent on most of their widths. The widths here are the defaults of SPEC.md's
section "Code book" and are assumptions until НЦТ's directories say otherwise; change them here
and nowhere else. What the instruction itself fixes is cited by paragraph:

- п. 80.4–80.6: a room has 30–120 seats in multiples of 10, two persons a desk; a stream has at
  most 12 rooms and at most 2 reserve rooms (so room numbers run 01–14 within a stream).
- п. 80.2: four room language statuses (Kazakh; Russian; English with the history of Kazakhstan in
  Kazakh; English with the history of Kazakhstan in Russian).
- п. 94.1: names are marked on the application form in letter grids of the Kazakh Cyrillic
  alphabet without Ё and Ъ; «ё» is marked as «е», «ъ» as «ь».
- п. 94.3: the ИИН (12 digits); without one the birth date goes into the first six positions.
- п. 108: names with «ё» or «ъ», a space, a hyphen, or longer than the grid go to the journal of
  changes of applicants' data.

ИИН and БИН check digits follow the official algorithm (two passes of weights, modulo 11).
Everything in this module is pure: no database, no Qt, no input or output.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Final, Literal

from common.errors import Refused
from common.i18n import N_, _

# --- Widths of the codes (digits) — SPEC.md "Code book"; assumptions marked so -----------------
IKT_DIGITS: Final = 9  # applicant test code (ИКТ); assumption
IIN_DIGITS: Final = 12  # individual identification number (ИИН); fixed by law
BIN_DIGITS: Final = 12  # business identification number (БИН) of a school; fixed by law
SEAT_DIGITS: Final = 3
SEAT_MIN: Final = 1
SEAT_MAX: Final = 120  # the largest room (п. 80.4)
ROOM_DIGITS: Final = 2  # 01, 02, … (прил. 11)
MAX_ROOMS_PER_STREAM: Final = 12  # п. 80.5
MAX_RESERVE_ROOMS_PER_STREAM: Final = 2  # п. 80.5
MAX_ROOM_NUMBER: Final = MAX_ROOMS_PER_STREAM + MAX_RESERVE_ROOMS_PER_STREAM
STREAM_DIGITS: Final = 2
VARIANT_DIGITS: Final = 4  # booklet variant (п. 148); assumption
CITIZENSHIP_DIGITS: Final = 3  # assumption until НЦТ's directory
NATIONALITY_DIGITS: Final = 3  # assumption until НЦТ's directory
REGION_DIGITS: Final = 2  # assumption until НЦТ's directory
DISTRICT_DIGITS: Final = 3  # assumption until НЦТ's directory
SCHOOL_DIGITS: Final = 4  # assumption until НЦТ's directory
SHEET_NUMBER_DIGITS: Final = 7  # pre-printed answer-sheet number (п. 157); assumption
PROFILE_SUBJECT_DIGITS: Final = 2  # profile subject chosen on the answer sheet; assumption

# --- ИКТ blocks and registration journals (SPEC.md, п. 90–91); assumptions --------------------
# НЦТ allocates each site blocks of ИКТ (the ``site-plan`` package) that never overlap, so an ИКТ
# is unique in the country; the site's journals take their rows' ИКТ from its blocks in order.
IKT_FIRST: Final = 100_000_001  # the first ИКТ НЦТ allocates: no ИКТ starts with a zero
IKT_BLOCK_SIZE: Final = 10_000  # ИКТ in one block
IKT_BLOCK_COVER: Final = 2  # a site's blocks hold at least this many ИКТ per expected applicant
JOURNAL_MARGIN_SHARE: Final = 0.2  # a journal has this share of the expected applicants in spare rows
JOURNAL_MARGIN_MIN: Final = 5  # and at least this many spare rows


def journal_rows(expected: int) -> int:
    """Rows of a school's registration journal for ``expected`` applicants: the margin added."""
    margin = max(JOURNAL_MARGIN_MIN, -(-expected * int(JOURNAL_MARGIN_SHARE * 100) // 100))
    return max(expected, 0) + margin


# --- Error protocol of the application-form scanning report (п. 96) ---------------------------
# The instruction prints each error framed in bold with codes after "/" from its прил. 29 and 30;
# the seeds do not hold those tables. ASSUMPTION: this table is this program's design, kept here
# and nowhere else, until НЦТ's tables replace it. Code → (sector, untranslated message id).
FORM_ERRORS: Final[dict[str, tuple[str, str]]] = {
    "01": ("1", N_("surname not marked")),
    "02": ("2", N_("name not marked")),
    "03": ("1–3", N_("an empty cell inside a name")),
    "04": ("1–3", N_("a letter not marked clearly")),
    "05": ("4", N_("ИКТ incomplete")),
    "06": ("4", N_("ИКТ not in this school's journal")),
    "07": ("4", N_("ИКТ already used by another application")),
    "08": ("4", N_("ИКТ row struck out or missing in the journal")),
    "09": ("5", N_("ИИН incomplete or with a wrong check digit")),
    "10": ("5", N_("ИИН does not match the sex marked")),
    "11": ("5", N_("birth date impossible")),
    "12": ("5", N_("ИИН already registered for another application")),
    "13": ("6", N_("citizenship code not in the directory")),
    "14": ("7", N_("nationality code not in the directory")),
    "15": ("8–10", N_("region, district or school is not the school being scanned")),
    "16": ("11", N_("sex not marked")),
    "17": ("12", N_("test language not marked")),
    "18": ("13", N_("history language marked wrongly for the test language")),
    "19": ("14–15", N_("both «changed» and «annulled» marked")),
    "20": ("4–13", N_("a mark not clear (ambiguous or several)")),
    "21": ("12, 4", N_("a change of test language or ИКТ needs annulment and re-entry (п. 103)")),
    "22": ("15", N_("annulment of an ИКТ that has no application")),
}


# --- Answer-sheet numbers and spare sheets of a stream (п. 142, 157); assumptions -------------
# НЦТ allocates the pre-printed sheet numbers of each room in blocks that never overlap (the
# ``variants`` package), so no number repeats in the country for the exam; numbers from 9000000
# are the control sheets' of the scanner check (``arm_scanner_check/control_set.py``).
SHEET_FIRST: Final = 1  # the first exam answer-sheet number НЦТ allocates ("0000001")
SHEET_LAST: Final = 8_999_999  # the last one: 9xxxxxx are control sheets
SPARE_SHEETS_SHARE: Final = 0.05  # spare sheets of a stream, as a share of its rooms' sheets (п. 142)
SPARE_SHEETS_MIN: Final = 10  # and at least this many


# --- Rooms (п. 80.4, 80.6) ---------------------------------------------------------------------
ROOM_SEATS_MIN: Final = 30
ROOM_SEATS_MAX: Final = 120
ROOM_SEATS_STEP: Final = 10
SEATS_PER_DESK: Final = 2

# --- Letter grids of the application form (п. 94.1) --------------------------------------------
# The instruction does not give the grid lengths. These are chosen so that the three grids, each
# a column of 40 letter rows (one row per letter of ALPHABET) under its cells, fit side by side
# on an A4 page with the other sectors; the forms package draws the grids from these constants.
SURNAME_LETTERS: Final = 20
NAME_LETTERS: Final = 16
PATRONYMIC_LETTERS: Final = 18

ALPHABET: Final[tuple[str, ...]] = (
    "А", "Ә", "Б", "В", "Г", "Ғ", "Д", "Е", "Ж", "З",
    "И", "Й", "К", "Қ", "Л", "М", "Н", "Ң", "О", "Ө",
    "П", "Р", "С", "Т", "У", "Ұ", "Ү", "Ф", "Х", "Һ",
    "Ц", "Ч", "Ш", "Щ", "Ы", "І", "Ь", "Э", "Ю", "Я",
)  # fmt: skip
"""The Kazakh Cyrillic alphabet in its official order without Ё and Ъ: 40 letters (п. 94.1)."""

_ALPHABET_SET: Final = frozenset(ALPHABET)
_REPLACED_LETTERS: Final = {"Ё": "Е", "Ъ": "Ь"}
_HYPHENS: Final = frozenset("-‐‑‒–—")

_LETTER_PLACE: Final = {letter: index for index, letter in enumerate(ALPHABET)}


def kazakh_order(text: str) -> tuple[int, ...]:
    """A sort key by the Kazakh alphabet (:data:`ALPHABET`): Ё as Е, Ъ as Ь, a space
    or hyphen before every letter, any other character after the alphabet by its code point."""
    key = []
    for character in text.upper():
        character = _REPLACED_LETTERS.get(character, character)
        if character in _LETTER_PLACE:
            key.append(_LETTER_PLACE[character] + 1)
        elif character.isspace() or character in _HYPHENS:
            key.append(0)
        else:
            key.append(len(ALPHABET) + 1 + ord(character))
    return tuple(key)


NameGridProblem = Literal["space", "hyphen", "letter", "yo_hard_sign", "too_long"]
NAME_GRID_PROBLEMS: Final[tuple[NameGridProblem, ...]] = (
    "space", "hyphen", "letter", "yo_hard_sign", "too_long",
)  # fmt: skip
"""Reasons a name goes to the journal of changes (п. 108), in the order they are reported."""

_NAME_GRID_PROBLEM_TEXTS: Final[dict[str, str]] = {
    "space": N_("The name has a space, which the letter grid cannot hold"),
    "hyphen": N_("The name has a hyphen, which the letter grid cannot hold"),
    "letter": N_("The name has a character that is not in the Kazakh alphabet of the grid"),
    "yo_hard_sign": N_("The name has «ё» or «ъ», marked in the grid as «е» or «ь»"),
    "too_long": N_("The name is longer than its letter grid"),
}


def grid_form_of_name(name: str) -> str:
    """``name`` as it is marked in a letter grid: upper case, «ё» → «Е», «ъ» → «Ь» (п. 94.1).

    Surrounding white space is dropped; nothing else is changed, so a result may still hold
    characters the grid cannot (see :func:`name_grid_problem`).
    """
    upper = name.strip().upper()
    return "".join(_REPLACED_LETTERS.get(character, character) for character in upper)


def name_grid_problems(name: str, length: int) -> tuple[NameGridProblem, ...]:
    """Every reason why ``name`` cannot be marked exactly in a grid of ``length`` cells (п. 108)."""
    stripped = name.strip().upper()
    grid_form = grid_form_of_name(name)
    found: list[NameGridProblem] = []
    if any(character.isspace() for character in stripped):
        found.append("space")
    if any(character in _HYPHENS for character in stripped):
        found.append("hyphen")
    if any(
        character not in _ALPHABET_SET and not character.isspace() and character not in _HYPHENS
        for character in grid_form
    ):
        found.append("letter")
    if any(character in _REPLACED_LETTERS for character in stripped):
        found.append("yo_hard_sign")
    if len(grid_form) > length:
        found.append("too_long")
    return tuple(found)


def name_grid_problem(name: str, length: int) -> NameGridProblem | None:
    """The first reason (in :data:`NAME_GRID_PROBLEMS` order) why ``name`` goes to the journal of
    changes, or None when it fits the grid of ``length`` cells exactly (п. 94.1, 108).

    An empty name (no patronymic) fits.
    """
    problems = name_grid_problems(name, length)
    return problems[0] if problems else None


def name_grid_problem_text(problem: str) -> str:
    """The translated description of a reason code of :func:`name_grid_problem`."""
    return _(_NAME_GRID_PROBLEM_TEXTS[problem])


# --- Languages and sexes -----------------------------------------------------------------------
TEST_LANGUAGES: Final[tuple[str, ...]] = ("kk", "ru", "en")
HISTORY_LANGUAGES: Final[tuple[str, ...]] = ("kk", "ru")  # history of Kazakhstan for English takers
ROOM_LANGUAGE_STATUSES: Final[tuple[str, ...]] = ("kk", "ru", "en-kk", "en-ru")  # п. 80.2
SEXES: Final[tuple[str, ...]] = ("M", "F")

_TEST_LANGUAGE_NAMES: Final[dict[str, str]] = {
    "kk": N_("Kazakh"),
    "ru": N_("Russian"),
    "en": N_("English"),
}
ROOM_LANGUAGE_STATUS_NAMES: Final[dict[str, str]] = {
    "kk": N_("Kazakh"),
    "ru": N_("Russian"),
    "en-kk": N_("English, history of Kazakhstan in Kazakh"),
    "en-ru": N_("English, history of Kazakhstan in Russian"),
}
_SEX_NAMES: Final[dict[str, str]] = {"M": N_("male"), "F": N_("female")}


def test_language_name(language: str) -> str:
    """The translated name of a test language (``kk``, ``ru``, ``en``)."""
    return _(_TEST_LANGUAGE_NAMES[language])


def room_language_status_name(status: str) -> str:
    """The translated name of a room language status (п. 80.2)."""
    return _(ROOM_LANGUAGE_STATUS_NAMES[status])


def sex_name(sex: str) -> str:
    """The translated word for ``M`` or ``F``."""
    return _(_SEX_NAMES[sex])


def room_language_status(test_language: str, history_language: str | None = None) -> str:
    """The status of the rooms an applicant may sit in: ``kk``, ``ru``, ``en-kk`` or ``en-ru``.

    ``history_language`` matters only for English takers, for whom it is required (п. 80.2).
    """
    if test_language not in TEST_LANGUAGES:
        raise Refused(_("Unknown test language {language}.").format(language=test_language))
    if test_language != "en":
        return test_language
    if history_language not in HISTORY_LANGUAGES:
        raise Refused(_("An English taker needs the language of the history of Kazakhstan test: kk or ru."))
    return f"en-{history_language}"


# --- Fixed-width digit codes -------------------------------------------------------------------
def is_code(value: str, digits: int) -> bool:
    """True when ``value`` is exactly ``digits`` ASCII digits (leading zeros included)."""
    return len(value) == digits and value.isascii() and value.isdigit()


def format_code(number: int, digits: int) -> str:
    """``number`` written with leading zeros in ``digits`` digits, e.g. room 3 → ``"03"``."""
    if number < 0 or number >= 10**digits:
        message = _("The number {number} does not fit a code of {digits} digits.")
        raise Refused(message.format(number=number, digits=digits))
    return f"{number:0{digits}d}"


def validate_room_seats(seats: int) -> str | None:
    """A translated message when a room's seat count breaks п. 80.4, else None."""
    if ROOM_SEATS_MIN <= seats <= ROOM_SEATS_MAX and seats % ROOM_SEATS_STEP == 0:
        return None
    return _(
        "A room must have from {minimum} to {maximum} seats in multiples of {step}; {seats} is not allowed."
    ).format(minimum=ROOM_SEATS_MIN, maximum=ROOM_SEATS_MAX, step=ROOM_SEATS_STEP, seats=seats)


# --- ИИН and БИН -------------------------------------------------------------------------------
_FIRST_PASS_WEIGHTS: Final = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_SECOND_PASS_WEIGHTS: Final = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def iin_check_digit(first11: str) -> int | None:
    """The check digit (12th) of an ИИН or БИН whose first 11 digits are ``first11``.

    Official algorithm: the sum of the digits with weights 1…11, modulo 11. If that is 10, a second
    pass with weights 3…11, 1, 2; if it is 10 again, no number is issued with these 11 digits and
    the result is None.
    """
    if not is_code(first11, IIN_DIGITS - 1):
        raise ValueError("an ИИН or БИН check digit needs exactly 11 digits")
    digits = [int(character) for character in first11]
    for weights in (_FIRST_PASS_WEIGHTS, _SECOND_PASS_WEIGHTS):
        remainder = sum(digit * weight for digit, weight in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def _has_valid_check_digit(value: str, digits: int) -> bool:
    if not is_code(value, digits):
        return False
    return iin_check_digit(value[:-1]) == int(value[-1])


def is_valid_iin(value: str) -> bool:
    """True when ``value`` is 12 digits with the right check digit.

    The birth date and the century digit are not checked here (see :func:`iin_birth_date`):
    the check digit is what a mistyped or misread ИИН fails.
    """
    return _has_valid_check_digit(value, IIN_DIGITS)


def is_valid_bin(value: str) -> bool:
    """True when ``value`` is 12 digits with the right check digit (same algorithm as the ИИН)."""
    return _has_valid_check_digit(value, BIN_DIGITS)


# 7th digit of the ИИН: century of birth and sex (odd = male).
_CENTURY_BY_DIGIT: Final = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


def iin_birth_date(iin: str) -> date | None:
    """The birth date an ИИН encodes (YYMMDD + the century digit), or None if it encodes none."""
    if not is_code(iin, IIN_DIGITS) or iin[6] not in _CENTURY_BY_DIGIT:
        return None
    year = _CENTURY_BY_DIGIT[iin[6]] + int(iin[0:2])
    try:
        return date(year, int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return None


def iin_sex(iin: str) -> Literal["M", "F"] | None:
    """``M`` or ``F`` from the 7th digit of an ИИН (odd = male), or None if it encodes no sex."""
    if not is_code(iin, IIN_DIGITS) or iin[6] not in _CENTURY_BY_DIGIT:
        return None
    return "M" if int(iin[6]) % 2 == 1 else "F"


class AppealGround(enum.Enum):
    """The grounds of an appeal (п. 195), one per disputed task: five on the content of the task, three technical."""

    KEY_MISMATCH = "key-mismatch"
    NO_RIGHT_ANSWER = "no-right-answer"
    SEVERAL_RIGHT = "several-right"
    INCORRECT_TASK = "incorrect-task"
    MISSING_FRAGMENT = "missing-fragment"
    READ_AS_SEVERAL = "read-as-several"
    READ_AS_EMPTY = "read-as-empty"
    DEFECTIVE_SHEET = "defective-sheet"

    @property
    def technical(self) -> bool:
        """The three technical grounds; the other five are on the content of the task."""
        return self in (AppealGround.READ_AS_SEVERAL, AppealGround.READ_AS_EMPTY, AppealGround.DEFECTIVE_SHEET)


APPEAL_GROUND_TEXTS: Final[dict[AppealGround, str]] = {
    AppealGround.KEY_MISMATCH: N_("the right answer differs from the answer code (the right option is named) (п. 195)"),
    AppealGround.NO_RIGHT_ANSWER: N_("there is no right answer (п. 195)"),
    AppealGround.SEVERAL_RIGHT: N_("a single-answer task has more than one right answer (all are named) (п. 195)"),
    AppealGround.INCORRECT_TASK: N_("the task is incorrectly composed (п. 195)"),
    AppealGround.MISSING_FRAGMENT: N_("a fragment of the task's condition is missing: the right answer cannot be "
                                      "found (п. 195)"),
    AppealGround.READ_AS_SEVERAL: N_("a marked bubble matching the answer code was read as two or more bubbles "
                                     "(п. 195)"),
    AppealGround.READ_AS_EMPTY: N_("a marked bubble matching the answer code was read as empty (п. 195)"),
    AppealGround.DEFECTIVE_SHEET: N_("the answer sheet is defective (п. 195, 196)"),
}
