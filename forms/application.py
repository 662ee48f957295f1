"""The application form «Заявление на ЕНТ» (п. 93–94): sectors 1–18 on one A4 page.

Sectors 1–3: surname, name and patronymic, each a row of boxes for the printed letters over a
letter grid of the 40-letter alphabet (``common.codebook``; lengths SURNAME_LETTERS,
NAME_LETTERS, PATRONYMIC_LETTERS). 4 ИКТ, 5 ИИН, 6 citizenship, 7 nationality, 8 region,
9 district, 10 school: digit grids. 11 sex, 12 test language, 13 language of the history of
Kazakhstan test for English takers. 14 «изменен», 15 «аннулирован» (п. 104–105) and 16 the date
of the change, for the technical secretary only. 17, 18: the signatures of the technical
secretary and of the applicant, in pen.

Field names: ``surname.c01``…, ``name.c01``…, ``patronymic.c01``… (letters); ``ikt``, ``iin``,
``citizenship``, ``nationality``, ``region``, ``district``, ``school`` ``.cNN`` (digits);
``sex`` (M, F), ``language`` (kk, ru, en), ``history_language`` (kk, ru), ``changed`` and
``annulled`` (one bubble each, value ``Y``).
"""

from __future__ import annotations

from collections.abc import Callable

from common.codebook import (
    ALPHABET,
    CITIZENSHIP_DIGITS,
    DISTRICT_DIGITS,
    HISTORY_LANGUAGES,
    IIN_DIGITS,
    IKT_DIGITS,
    NAME_LETTERS,
    NATIONALITY_DIGITS,
    PATRONYMIC_LETTERS,
    REGION_DIGITS,
    SCHOOL_DIGITS,
    SURNAME_LETTERS,
    TEST_LANGUAGES,
)
from common.omr.layout import Layout, Rect
from forms.builder import (
    DIGIT_STYLE,
    LETTER_STYLE,
    LayoutBuilder,
    common_title_size,
    grid_width,
    header_height,
)

FORM = "application"
VERSION = 1
LEFT, RIGHT, TOP, BOTTOM = 13.5, 196.5, 17.0, 281.0
GAP = 1.5
NUMBER_BOX = Rect(140.5, 17.0, 56.0, 6.0)
BARCODE_BOX = Rect(140.5, 23.0, 56.0, 11.0)

_LANGUAGE_LABELS = {"kk": "Қазақ / Казахский", "ru": "Орыс / Русский", "en": "Ағылшын / Английский"}


def build_application() -> Layout:
    builder = LayoutBuilder(FORM, VERSION, "ЕНТ-ге өтініш / Заявление на ЕНТ")
    builder.text(LEFT, TOP + 4.5, "ЕНТ-ге қатысуға өтініш / Заявление на участие в ЕНТ", 11.0, bold=True)
    for line, text in enumerate((
        "Қарындашпен толтырыңыз; дөңгелекті толық бояңыз. Ё орнына Е, Ъ орнына Ь белгіленеді.",
        "Заполняется карандашом; закрашивайте кружок полностью. Вместо Ё отмечается Е, вместо Ъ — Ь.",
    )):  # fmt: skip
        builder.text(LEFT, TOP + 9.5 + line * 3.2, text, 6.0)
    builder.frame(NUMBER_BOX.x_mm, NUMBER_BOX.y_mm, NUMBER_BOX.w_mm,
                  BARCODE_BOX.y_mm + BARCODE_BOX.h_mm - NUMBER_BOX.y_mm, 0.25)  # fmt: skip
    y = BARCODE_BOX.y_mm + BARCODE_BOX.h_mm + GAP
    x = LEFT
    bottom = y
    grids = (
        ("surname", SURNAME_LETTERS, "1. Тегі / Фамилия"),
        ("name", NAME_LETTERS, "2. Аты / Имя"),
        ("patronymic", PATRONYMIC_LETTERS, "3. Әкесінің аты / Отчество"),
    )
    title_pt = common_title_size(
        [(title, grid_width(letters, LETTER_STYLE, glyphs=True)) for _g, letters, title in grids]
    )
    for group, letters, title in grids:
        size = builder.letter_grid(group, x, y, letters, ALPHABET, title, style=LETTER_STYLE, title_pt=title_pt)
        x += size.width + GAP
        bottom = max(bottom, y + size.height)
    if x - GAP > RIGHT:
        used = x - GAP - LEFT
        raise ValueError(f"the letter grids are {used:.1f} mm wide; the page has {RIGHT - LEFT:.1f}")
    y = bottom + GAP
    bottom = _first_code_row(builder, y)
    bottom = _second_code_row(builder, bottom + GAP)
    if bottom > BOTTOM:
        raise ValueError(f"the application form ends at {bottom:.1f} mm, below the page's {BOTTOM} mm")
    return builder.build(barcode_box=BARCODE_BOX, number_box=NUMBER_BOX)


RowRest = Callable[[LayoutBuilder, float, float, float, float], float]

_SEX = ("sex", "11. Жынысы / Пол")
_LANGUAGE = ("language", "12. Тест тілі / Язык теста")
_HISTORY = ("history_language", "13. Қазақстан тарихы тілі / Язык истории Казахстана")
_CHANGED = ("changed", "14. Өзгертілді / Изменен", "Деректер өзгертілді / Данные изменены")
_ANNULLED = ("annulled", "15. Күші жойылды / Аннулирован", "Өтініш жойылды / Заявление аннулировано")
_CHANGE_DATE = "16. Өзгерту күні / Дата изменения"
_SECRETARY = "17. Техникалық хатшының қолы / Подпись технического секретаря"
_APPLICANT = "18. Түсушінің қолы / Подпись поступающего"


def _digit_row(
    builder: LayoutBuilder, y: float, sectors: tuple[tuple[str, int, str], ...],
    rest_titles: Callable[[float], list[tuple[str, float]]], rest: RowRest,
) -> float:  # fmt: skip
    """Digit grids side by side with one title height, then ``rest`` fills the row to the right.

    Every title of the row (``rest_titles(x)`` gives those of ``rest`` starting at ``x``) is set at
    one size."""
    widths = [grid_width(digits, DIGIT_STYLE) for _group, digits, _title in sectors]
    rest_x = LEFT + sum(width + GAP for width in widths)
    grids = [(title, width) for (_group, _digits, title), width in zip(sectors, widths, strict=True)]
    title_pt = common_title_size([*grids, *rest_titles(rest_x)])
    header = max(header_height(title, width, title_pt) for title, width in grids)
    x = LEFT
    bottom = y
    for group, digits, title in sectors:
        size = builder.digit_grid(group, x, y, digits, title, header=header, title_pt=title_pt)
        x += size.width + GAP
        bottom = max(bottom, y + size.height)
    return rest(builder, x, y, bottom, title_pt)


def _first_code_row(builder: LayoutBuilder, y: float) -> float:
    return _digit_row(builder, y, (
        ("ikt", IKT_DIGITS, "4. ТЖК / ИКТ"),
        ("iin", IIN_DIGITS, "5. ЖСН / ИИН"),
        ("citizenship", CITIZENSHIP_DIGITS, "6. Азаматтығы / Гражданство"),
    ), lambda x: [(title, RIGHT - x) for _name, title in (_SEX, _LANGUAGE, _HISTORY)],
       _personal_choices)  # fmt: skip


def _personal_choices(builder: LayoutBuilder, x: float, y: float, bottom: float, title_pt: float) -> float:
    width = RIGHT - x
    top = y
    languages = [(code, _LANGUAGE_LABELS[code]) for code in TEST_LANGUAGES]
    history = [(code, _LANGUAGE_LABELS[code]) for code in HISTORY_LANGUAGES]
    for (name, title), options in (
        (_SEX, [("M", "Ер / Мужской"), ("F", "Әйел / Женский")]),
        (_LANGUAGE, languages),
        (_HISTORY, history),
    ):
        size = builder.choice_rows(name, name, x, top, width, title, options, title_pt=title_pt)
        top += size.height + GAP
    return max(bottom, top - GAP)


def _second_code_row(builder: LayoutBuilder, y: float) -> float:
    def titles(x: float) -> list[tuple[str, float]]:
        column = (RIGHT - x - GAP) / 2
        return [(title, column) for title in (_CHANGED[1], _ANNULLED[1], _CHANGE_DATE, _SECRETARY, _APPLICANT)]

    return _digit_row(builder, y, (
        ("nationality", NATIONALITY_DIGITS, "7. Ұлты / Национальность"),
        ("region", REGION_DIGITS, "8. Облыс / Область"),
        ("district", DISTRICT_DIGITS, "9. Аудан / Район"),
        ("school", SCHOOL_DIGITS, "10. Мектеп / Школа"),
    ), titles, _secretary_sectors)  # fmt: skip


def _secretary_sectors(builder: LayoutBuilder, x: float, y: float, bottom: float, title_pt: float) -> float:
    column = (RIGHT - x - GAP) / 2
    top = y
    for name, title, label in (_CHANGED, _ANNULLED):
        size = builder.choice_rows(name, name, x, top, column, title, [("Y", label)], title_pt=title_pt)
        top += size.height + GAP
    builder.sector(x, top, column, bottom - top, _CHANGE_DATE, title_pt=title_pt)
    signature_height = (bottom - y - GAP) / 2
    right = x + column + GAP
    builder.sector(right, y, column, signature_height, _SECRETARY, title_pt=title_pt)
    builder.sector(right, y + signature_height + GAP, column, signature_height, _APPLICANT, title_pt=title_pt)
    return bottom
