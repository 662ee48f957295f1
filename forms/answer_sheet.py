"""The ЕНТ answer sheet (лист ответов), built from a test specification.

Page plan (A4, mm): title (the control sheet, п. 52.5, is titled as such) over the exam's name
with the year the specification gives (none without one: the year is never the program's);
sector 1 the name written by hand and the pre-printed sheet number with its barcode (п. 157,
164); service sectors 2 ИКТ, 3 seat, 4 booklet variant (п. 148), 5 stream and room,
6 «Творческий экзамен» (п. 150), 7 signature; sector 8 the profile subject chosen for each
profile slot; then one answer block per subject of the specification, the titles of all blocks
at one size, each run of tasks with the same options headed by its own letters (A–E over
five-option rows, A–F over six, "one or several" over multiple-answer tasks).

Field names: ``ikt.c01``…, ``seat.c01``…, ``variant.c01``…, ``stream.c01``…, ``room.c01``…
(digits); ``creative`` (one bubble, value ``Y``); ``<slot>_subject`` (choice of the profile
subject codes); ``<subject>.q01``… (``choice``, or ``multi`` for multiple-answer tasks).
``layout.extra["name_box"]`` is the box the name is written in by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from common.codebook import IKT_DIGITS, ROOM_DIGITS, SEAT_DIGITS, STREAM_DIGITS, VARIANT_DIGITS
from common.testspec.model import OPTION_LETTERS, Subject, Task, TestSpecification
from forms.builder import (
    ANSWER_STYLE,
    DIGIT_STYLE,
    LABEL_PT,
    TITLE_PT,
    BubbleStyle,
    LayoutBuilder,
    common_title_size,
    grid_width,
    header_height,
)
from forms.layout import FieldKind, Layout, Rect
from forms.marks import spec_identity
from forms.text_fit import fitting_size, shorten, text_width_mm

FORM = "answer-sheet"
CONTROL_FORM = "control-sheet"
TITLE = "ЖАУАП ПАРАҒЫ / ЛИСТ ОТВЕТОВ"
CONTROL_TITLE = "БАҚЫЛАУ ЖАУАП ПАРАҒЫ / КОНТРОЛЬНЫЙ ЛИСТ ОТВЕТОВ"  # п. 6, 52.5: «контрольные листы ответов»
VERSION = 1
LEFT, RIGHT, TOP, BOTTOM = 14.0, 196.0, 17.0, 281.0
GAP = 2.0
NUMBER_BOX = Rect(140.0, 24.0, 56.0, 7.0)
BARCODE_BOX = Rect(140.0, 31.0, 56.0, 12.5)
ANSWER_PITCHES_X = (5.2, 4.9, 4.6)


def build_answer_sheet(spec: TestSpecification, *, form: str = FORM) -> Layout:
    """The answer-sheet layout for ``spec`` (``form`` lets the control sheet reuse it)."""
    builder = LayoutBuilder(form, VERSION, exam_title(spec))
    title = CONTROL_TITLE if form == CONTROL_FORM else TITLE
    builder.text(LEFT, TOP + 4.0, title, fitting_size(title, NUMBER_BOX.x_mm - GAP - LEFT, 12.0, bold=True),
                 bold=True)  # fmt: skip
    builder.text(LEFT, TOP + 8.5, shorten(builder.title, 128.0, 7.0), 7.0)
    y, name_box = _name_and_number(builder, TOP + 10.0)
    y = _service_sectors(builder, y + GAP)
    y = _profile_choice(builder, spec, y + GAP)
    _answer_blocks(builder, spec, y + GAP)
    identity = spec_identity(spec.code, spec.exam_year, spec.variants)
    return builder.build(
        barcode_box=BARCODE_BOX, number_box=NUMBER_BOX, extra={"name_box": name_box}, spec_identity=identity
    )


def exam_title(spec: TestSpecification) -> str:
    """The exam's name in Kazakh and Russian, with its year if the specification gives one."""
    kk, ru = spec.title_in("kk"), spec.title_in("ru")
    if spec.exam_year is not None:
        kk, ru = f"{kk}, {spec.exam_year} жыл", f"{ru}, {spec.exam_year} год"
    return f"{kk} / {ru}"


def _name_and_number(builder: LayoutBuilder, y: float) -> tuple[float, Rect]:
    width = NUMBER_BOX.x_mm - GAP - LEFT
    height = 17.0
    top = builder.sector(LEFT, y, width, height, "1. Тегі, аты, әкесінің аты / Фамилия, имя, отчество")
    name_box = Rect(LEFT + 1.5, top + 0.5, width - 3.0, 9.0)
    builder.frame(name_box.x_mm, name_box.y_mm, name_box.w_mm, name_box.h_mm, 0.2)
    hint = "Дөңгелекті толық бояңыз ● / Закрашивайте кружок полностью ●"
    builder.text(LEFT + 1.5, y + height - 1.2, hint, 5.5, gray=0.25)
    number_height = BARCODE_BOX.y_mm + BARCODE_BOX.h_mm - NUMBER_BOX.y_mm
    builder.frame(NUMBER_BOX.x_mm, NUMBER_BOX.y_mm, NUMBER_BOX.w_mm, number_height, 0.25)
    return max(y + height, BARCODE_BOX.y_mm + BARCODE_BOX.h_mm), name_box


def _service_sectors(builder: LayoutBuilder, y: float) -> float:
    sectors = (
        ("ikt", IKT_DIGITS, "2. ТЖК / ИКТ"),
        ("seat", SEAT_DIGITS, "3. Орын / Место"),
        ("variant", VARIANT_DIGITS, "4. Нұсқа / Вариант"),
        ("stream", STREAM_DIGITS, "5. Ағын / Поток"),
        ("room", ROOM_DIGITS, "Аудитория"),
    )
    creative_title, signature_title = "6. Шығармашылық емтихан", "7. Қолы / Подпись"
    widths = [grid_width(digits, DIGIT_STYLE) for _group, digits, _title in sectors]
    right_x = LEFT + sum(widths) + GAP * (len(sectors) - 2)  # stream and room share a border
    width = RIGHT - right_x
    title_pt = common_title_size([
        *((title, grid) for (_group, _digits, title), grid in zip(sectors, widths, strict=True)),
        (creative_title, width), (signature_title, width),
    ])  # fmt: skip
    header = max(header_height(title, grid, title_pt) for (_g, _d, title), grid in zip(sectors, widths, strict=True))
    x = LEFT
    bottom = y
    for group, digits, title in sectors:
        size = builder.digit_grid(group, x, y, digits, title, header=header, title_pt=title_pt)
        x += size.width + (0.0 if group == "stream" else GAP)
        bottom = max(bottom, y + size.height)
    creative = builder.choice_rows(
        "creative", "creative", x, y, width, creative_title,
        [("Y", "Творческий экзамен")], style=DIGIT_STYLE, title_pt=title_pt,
    )  # fmt: skip
    signature_top = y + creative.height + GAP
    builder.sector(x, signature_top, width, bottom - signature_top, signature_title, title_pt=title_pt)
    return bottom


def _profile_choice(builder: LayoutBuilder, spec: TestSpecification, y: float) -> float:
    slots = spec.profile_slot_subjects
    choices = spec.profile_subject_choices
    if not slots or not choices:
        return y - GAP
    width = RIGHT - LEFT
    columns = 3 if len(choices) > 4 else max(1, len(choices))
    rows = -(-len(choices) // columns)
    pitch_y = 4.0
    title = "8. Бейіндік пәндер / Профильные предметы"
    height = header_height(title, width) + 3.2 + rows * pitch_y + 1.0
    top = builder.sector(LEFT, y, width, height, title)
    column_width = (width - 2.0) / columns
    style = DIGIT_STYLE
    fields = [
        builder.field(f"{slot.code}_subject", "choice", f"{slot.code}_subject", [c.code for c in choices])
        for slot in slots
    ]
    slot_pitch = style.width + 1.0
    for column in range(columns):
        left = LEFT + 1.0 + column * column_width
        for index in range(len(slots)):
            cx = left + style.width / 2 + index * slot_pitch
            builder.text(cx, top + 2.4, str(index + 1), LABEL_PT, bold=True, anchor="middle")
        builder.text(left + len(slots) * slot_pitch + 0.5, top + 2.4, "Пән / Предмет", LABEL_PT)
    label_top = top + 3.2
    for index, choice in enumerate(choices):
        column, row = divmod(index, rows)
        left = LEFT + 1.0 + column * column_width
        cy = label_top + pitch_y / 2 + row * pitch_y
        for slot_index, item in enumerate(fields):
            builder.bubble(item, choice.code, left + style.width / 2 + slot_index * slot_pitch, cy, style)
        label = _bilingual(choice.names)
        label_left = left + len(slots) * slot_pitch + 0.5
        room = column_width - (label_left - left) - 1.0
        builder.text(label_left, cy + 0.9, shorten(label, room, fitting_size(label, room, LABEL_PT)),
                     fitting_size(label, room, LABEL_PT))  # fmt: skip
    _reorder_profile_bubbles(builder, [item.name for item in fields])
    return y + height


def _reorder_profile_bubbles(builder: LayoutBuilder, names: list[str]) -> None:
    """Keep bubbles grouped by field in field order (they were added row by row)."""
    rank = {name: index for index, name in enumerate(names)}
    chosen = [bubble for bubble in builder.bubbles if bubble.field in rank]
    others = [bubble for bubble in builder.bubbles if bubble.field not in rank]
    chosen.sort(key=lambda bubble: rank[bubble.field])  # stable: values stay in choice order
    builder.bubbles = others + chosen


def _bilingual(names: dict[str, str]) -> str:
    kk, ru = names.get("kk", ""), names.get("ru", "")
    return kk if kk == ru or not ru else f"{kk} / {ru}" if kk else ru


LETTER_BAND = 3.4  # the option letters over a section's first row (baseline 2.6 below its top)
NOTE_LINE = 2.1  # a line of "one or several" over the letters of a multiple-answer section
NOTE = "Бір немесе бірнеше / Один или несколько"
NOTE_PT, NOTE_MIN_PT = 5.5, 5.0  # the note goes on two lines (Kazakh over Russian) below 5 pt


@dataclass(frozen=True)
class _Section:
    """Consecutive tasks of a subject with the same options and multiplicity: one letter header."""

    tasks: tuple[Task, ...]
    note: bool  # a multiple-answer section after single-answer ones (or first): says so over its letters

    @property
    def options(self) -> int:
        return self.tasks[0].options

    def band(self, width: float) -> float:
        return LETTER_BAND + (NOTE_LINE * len(_note_lines(width)[0]) if self.note else 0.0)


def _note_lines(width: float) -> tuple[tuple[str, ...], float]:
    """The "one or several" note in a block ``width`` wide: one line, or two if one would be too small."""
    size = fitting_size(NOTE, width - 2.4, NOTE_PT)
    if size >= NOTE_MIN_PT:
        return (NOTE,), size
    lines = tuple(NOTE.split(" / "))
    return lines, min(fitting_size(line, width - 2.4, NOTE_PT) for line in lines)


@dataclass(frozen=True)
class _Block:
    subject: Subject
    options: int

    @property
    def sections(self) -> tuple[_Section, ...]:
        return _sections(self.subject)


def _sections(subject: Subject) -> tuple[_Section, ...]:
    runs: list[list[Task]] = []
    for task in subject.tasks:
        if runs and (runs[-1][-1].options, runs[-1][-1].multiple) == (task.options, task.multiple):
            runs[-1].append(task)
        else:
            runs.append([task])
    return tuple(
        _Section(tuple(run), note=run[0].multiple and (index == 0 or not runs[index - 1][0].multiple))
        for index, run in enumerate(runs)
    )


def _answer_blocks(builder: LayoutBuilder, spec: TestSpecification, y: float) -> None:
    blocks = [_Block(s, max(t.options for t in s.tasks)) for s in spec.subjects if s.tasks]
    for pitch_x in ANSWER_PITCHES_X:
        style = BubbleStyle(ANSWER_STYLE.width, ANSWER_STYLE.height, pitch_x, ANSWER_STYLE.pitch_y)
        widths = [_block_width(block, style) for block in blocks]
        if sum(widths) + GAP * (len(blocks) - 1) <= RIGHT - LEFT:
            break
    else:
        raise ValueError(f"the answer blocks of {spec.code} do not fit the page width")
    body = max((_body_height(block, style) for block in blocks), default=0.0)
    titles = _block_titles(blocks, style, BOTTOM - y - body)
    if titles is None:
        raise ValueError(f"the answer blocks of {spec.code} do not fit the page height")
    x = LEFT
    for block, lines in zip(blocks, titles.lines, strict=True):
        x += _answer_block(builder, block, x, y, style, lines, titles) + GAP


@dataclass(frozen=True)
class _Titles:
    """The subject titles of the answer blocks: one size, each wrapped to its block; one band height."""

    size: float
    lines: tuple[tuple[str, ...], ...]

    @property
    def band(self) -> float:
        return _title_band(max(len(lines) for lines in self.lines), self.size)

    def baseline(self, index: int) -> float:
        return 1.2 + 0.29 * self.size + index * _line_pitch(self.size)


def _line_pitch(size: float) -> float:
    return 0.415 * size  # 2.9 mm at 7 pt, as the other sector titles


def _title_band(lines: int, size: float) -> float:
    """Height of a title band of ``lines`` lines at ``size`` (4.6 mm for one line at 7 pt)."""
    return 1.2 + 0.29 * size + (lines - 1) * _line_pitch(size) + 1.4


def _block_titles(blocks: list[_Block], style: BubbleStyle, room: float) -> _Titles | None:
    """The largest title size (7 pt down to 4.5 pt) at which every subject title fits its block,
    wrapped at " / " and then between words, in a band no taller than ``room``."""
    size = TITLE_PT
    while size >= 4.5:
        lines = [_wrap_title(_bilingual(b.subject.names), _block_width(b, style) - 2.0, size) for b in blocks]
        if all(item is not None for item in lines):
            titles = _Titles(size, tuple(item for item in lines if item is not None))
            if titles.band <= room:
                return titles
        size -= 0.25
    return None


def _wrap_title(title: str, room: float, size: float) -> tuple[str, ...] | None:
    """``title`` on one line if it fits, else Kazakh over Russian, each wrapped between words;
    None if a word is wider than ``room``."""
    if text_width_mm(title, size, bold=True) <= room:
        return (title,)
    lines: list[str] = []
    for part in title.split(" / "):
        line = ""
        for word in part.split():
            if text_width_mm(word, size, bold=True) > room:
                return None
            candidate = f"{line} {word}".strip()
            if text_width_mm(candidate, size, bold=True) <= room:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return tuple(lines)


def _block_width(block: _Block, style: BubbleStyle) -> float:
    return 2.4 + 5.0 + block.options * style.pitch_x


def _body_height(block: _Block, style: BubbleStyle) -> float:
    """Height of a block under its title: each section's letters (and note), its rows, a margin."""
    bands = sum(section.band(_block_width(block, style)) for section in block.sections)
    return bands + len(block.subject.tasks) * style.pitch_y + 1.0


def _answer_block(
    builder: LayoutBuilder, block: _Block, x: float, y: float, style: BubbleStyle, lines: tuple[str, ...],
    titles: _Titles,
) -> float:  # fmt: skip
    """A subject's block: its title, then each section's option letters over its rows of bubbles;
    returns its width."""
    subject = block.subject
    width = _block_width(block, style)
    builder.frame(x, y, width, titles.band + _body_height(block, style))
    for index, line in enumerate(lines):
        builder.text(x + 1.2, y + titles.baseline(index), line, titles.size, bold=True)
    top = y + titles.band
    first_x = x + 1.2 + 5.0 + style.pitch_x / 2
    band_top = top
    for section in block.sections:
        if section.note:
            lines, note_size = _note_lines(width)
            for line in lines:
                builder.text(x + 1.2, band_top + 1.7, line, note_size, gray=0.2)
                band_top += NOTE_LINE
        for index in range(section.options):
            builder.text(first_x + index * style.pitch_x, band_top + 2.6, OPTION_LETTERS[index], LABEL_PT,
                         bold=True, anchor="middle")  # fmt: skip
        cy = band_top + LETTER_BAND + style.pitch_y / 2
        for task in section.tasks:
            kind: FieldKind = "multi" if task.multiple else "choice"
            item = builder.field(f"{subject.code}.q{task.number:02d}", kind, subject.code,
                                 list(OPTION_LETTERS[: task.options]))  # fmt: skip
            builder.text(x + 1.2 + 4.4, cy + 0.9, str(task.number), LABEL_PT, anchor="end", bold=task.multiple)
            for index, value in enumerate(item.values):
                builder.bubble(item, value, first_x + index * style.pitch_x, cy, style)
            cy += style.pitch_y
        band_top = cy - style.pitch_y / 2
    return width
