"""Building blocks of the form layouts: digit and letter grids, answer blocks, choice lists.

Each helper appends fields, bubbles, labels and frames to a :class:`LayoutBuilder` at a given
top-left position (mm) and returns the size it took, so a form module reads as a page plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from forms.layout import Bubble, Field, FieldKind, Frame, Layout, Mark, Rect, Text, check_layout
from forms.marks import NO_SPEC, PAGE_HEIGHT_MM, PAGE_WIDTH_MM, code_cells, spec_cells, standard_marks
from forms.text_fit import fitting_size, shorten, text_width_mm

DIGITS: tuple[str, ...] = tuple("0123456789")
LABEL_PT = 6.0
LABEL_MIN_PT = 5.5  # an option label smaller than this goes on two lines
LABEL_LINE_MM = 2.3  # between the lines of a two-line option label
TITLE_PT = 7.0
SECTOR_LINE_MM = 0.25
WRITE_BOX_LINE_MM = 0.2
GLYPH_GRAY = 0.82  # glyphs inside bubbles: darkness 0.18, far under the reader's ink margin


@dataclass(frozen=True)
class BubbleStyle:
    """Outer size of a bubble and the distance between neighbouring bubble centres (mm)."""

    width: float
    height: float
    pitch_x: float
    pitch_y: float


ANSWER_STYLE = BubbleStyle(width=4.2, height=3.0, pitch_x=5.2, pitch_y=4.2)
DIGIT_STYLE = BubbleStyle(width=4.0, height=2.9, pitch_x=5.0, pitch_y=3.7)
LETTER_STYLE = BubbleStyle(width=2.8, height=2.5, pitch_x=3.2, pitch_y=3.15)


@dataclass(frozen=True)
class Size:
    width: float
    height: float


class LayoutBuilder:
    """Collects the pieces of one form and makes the :class:`Layout`."""

    def __init__(self, form: str, version: int, title: str) -> None:
        self.form = form
        self.version = version
        self.title = title
        self.fields: list[Field] = []
        self.bubbles: list[Bubble] = []
        self.texts: list[Text] = []
        self.frames: list[Frame] = []

    # --- primitives -------------------------------------------------------------------------
    def text(
        self, x: float, y: float, text: str, size: float = LABEL_PT, *, bold: bool = False,
        anchor: str = "start", gray: float = 0.0,
    ) -> None:  # fmt: skip
        assert anchor in ("start", "middle", "end")
        self.texts.append(Text(x, y, text, size, bold, anchor, gray))  # type: ignore[arg-type]

    def frame(self, x: float, y: float, width: float, height: float, line: float = SECTOR_LINE_MM) -> None:
        self.frames.append(Frame(Rect(x, y, width, height), line))

    def sector(
        self, x: float, y: float, width: float, height: float, title: str, header: float | None = None,
        *, title_pt: float | None = None,
    ) -> float:  # fmt: skip
        """A framed sector with a bold title (two lines, Kazakh over Russian, if one does not fit);
        returns the y where its content starts (``y + header_height(title, width)``).

        ``title_pt`` sets the title's size (see :func:`common_title_size`: sectors side by side
        print their titles at one size)."""
        self.frame(x, y, width, height)
        lines, size = title_lines(title, width, title_pt)
        for index, line in enumerate(lines):
            self.text(x + 1.2, y + 3.2 + index * 2.9, line, size, bold=True)
        return y + (header if header is not None else header_height(title, width, title_pt))

    def field(self, name: str, kind: FieldKind, group: str, values: Sequence[str]) -> Field:
        item = Field(name, kind, group, tuple(values))
        self.fields.append(item)
        return item

    def bubble(self, item: Field, value: str, x: float, y: float, style: BubbleStyle) -> None:
        self.bubbles.append(Bubble(f"{item.name}.{value}", item.name, value, x, y, style.width, style.height))

    # --- blocks -----------------------------------------------------------------------------
    def digit_grid(
        self, group: str, x: float, y: float, digits: int, title: str, *, style: BubbleStyle = DIGIT_STYLE,
        glyphs: bool = False, header: float | None = None, title_pt: float | None = None,
    ) -> Size:  # fmt: skip
        """A framed sector: ``digits`` columns, each a box to write the digit in over 0–9 bubbles.

        Row labels 0–9 stand left of the grid, or (``glyphs``) inside the bubbles in light grey.
        """
        return self._grid(group, "digits", DIGITS, x, y, digits, title, style, glyphs, header, title_pt)

    def letter_grid(
        self, group: str, x: float, y: float, letters: int, alphabet: Sequence[str], title: str,
        *, style: BubbleStyle = LETTER_STYLE, title_pt: float | None = None,
    ) -> Size:  # fmt: skip
        """A framed sector of ``letters`` columns over the whole alphabet, letters inside bubbles."""
        return self._grid(group, "letters", tuple(alphabet), x, y, letters, title, style, True, None, title_pt)

    def _grid(
        self, group: str, kind: FieldKind, values: tuple[str, ...], x: float, y: float, columns: int,
        title: str, style: BubbleStyle, glyphs: bool, header: float | None, title_pt: float | None = None,
    ) -> Size:  # fmt: skip
        label_width = 0.0 if glyphs else 3.2
        pad = 1.2
        width = grid_width(columns, style, glyphs=glyphs)
        box_width = style.pitch_x - 0.4
        box_height = max(box_width, 4.4)
        header = header if header is not None else header_height(title, width, title_pt)
        height = header + box_height + 1.0 + len(values) * style.pitch_y + pad
        top = self.sector(x, y, width, height, title, header, title_pt=title_pt)
        first_x = x + pad + label_width + style.pitch_x / 2
        for column in range(columns):
            cx = first_x + column * style.pitch_x
            self.frame(cx - box_width / 2, top, box_width, box_height, WRITE_BOX_LINE_MM)
        first_y = top + box_height + 1.0 + style.pitch_y / 2
        glyph_pt = min(6.0, style.height * 1.6)
        for row, value in enumerate(values):
            cy = first_y + row * style.pitch_y
            if not glyphs:
                self.text(x + pad + label_width / 2, cy + 0.75, value, LABEL_PT, anchor="middle")
        for column in range(columns):
            item = self.field(f"{group}.c{column + 1:02d}", kind, group, values)
            cx = first_x + column * style.pitch_x
            for row, value in enumerate(values):
                cy = first_y + row * style.pitch_y
                self.bubble(item, value, cx, cy, style)
                if glyphs:
                    self.text(cx, cy + glyph_pt * 0.125, value, glyph_pt, anchor="middle", gray=GLYPH_GRAY)
        return Size(width, height)

    def choice_rows(
        self, name: str, group: str, x: float, y: float, width: float, title: str,
        options: Sequence[tuple[str, str]], *, style: BubbleStyle = DIGIT_STYLE, kind: FieldKind = "choice",
        title_pt: float | None = None,
    ) -> Size:  # fmt: skip
        """A framed sector: one bubble per option, each followed by its label, one option a row.

        A bilingual label that would shrink below :data:`LABEL_MIN_PT` on one line is printed on
        two (Kazakh over Russian), its row taller by a line."""
        cx = x + 1.5 + style.width / 2
        label_x = cx + style.width / 2 + 1.2
        room = x + width - label_x - 0.8
        labels = [_label_lines(label, room) for _value, label in options]
        heights = [style.pitch_y + (len(lines) - 1) * LABEL_LINE_MM for lines, _size in labels]
        height = header_height(title, width, title_pt) + sum(heights) + 1.0
        top = self.sector(x, y, width, height, title, title_pt=title_pt)
        item = self.field(name, kind, group, [value for value, _label in options])
        row_top = top
        for (value, _label), (lines, size), row_height in zip(options, labels, heights, strict=True):
            cy = row_top + row_height / 2
            self.bubble(item, value, cx, cy, style)
            first = cy + 0.9 - (len(lines) - 1) * LABEL_LINE_MM / 2
            for index, line in enumerate(lines):
                self.text(label_x, first + index * LABEL_LINE_MM, shorten(line, room, size), size)
            row_top += row_height
        return Size(width, height)

    def build(
        self,
        *,
        barcode_box: Rect,
        number_box: Rect,
        extra: Mapping[str, Any] | None = None,
        spec_identity: int = NO_SPEC,
    ) -> Layout:
        layout = Layout(
            form=self.form,
            version=self.version,
            width_mm=PAGE_WIDTH_MM,
            height_mm=PAGE_HEIGHT_MM,
            marks=standard_marks(self.form, spec_identity),
            fields=tuple(self.fields),
            bubbles=tuple(self.bubbles),
            barcode_box=barcode_box,
            number_box=number_box,
            code_cells=code_cells() + spec_cells(),
            spec_identity=spec_identity,
            texts=tuple(self.texts),
            frames=tuple(self.frames),
            title=self.title,
            extra=dict(extra or {}),
        )
        check_layout(layout)
        return layout


def _label_lines(label: str, room: float) -> tuple[tuple[str, ...], float]:
    """An option label as printed: one line, or Kazakh over Russian if one line would be too small."""
    size = fitting_size(label, room, LABEL_PT)
    if size >= LABEL_MIN_PT or " / " not in label:
        return (label,), size
    lines = tuple(label.split(" / ", 1))
    return lines, min(fitting_size(line, room, LABEL_PT) for line in lines)


def title_lines(title: str, width: float, size: float | None = None) -> tuple[tuple[str, ...], float]:
    """A sector title as printed: one line if it fits at 6 pt or more, else split at " / ".

    With ``size`` the title is printed at that size: on one line if it fits, else split (a size
    from :func:`common_title_size` fits every title it was computed for, on one line or two).
    """
    room = width - 2.0
    if size is not None:
        if text_width_mm(title, size, bold=True) <= room or " / " not in title:
            return (title,), size
        return tuple(title.split(" / ", 1)), size
    size = fitting_size(title, room, TITLE_PT, bold=True)
    if size >= 6.0 or " / " not in title:
        return (title,), size
    first, second = title.split(" / ", 1)
    size = min(fitting_size(line, room, TITLE_PT, bold=True) for line in (first, second))
    return (first, second), size


def best_title_size(title: str, width: float) -> float:
    """The largest size (up to 7 pt) at which ``title`` fits a sector ``width`` wide, on one line or
    split at " / " into two."""
    room = width - 2.0
    one = fitting_size(title, room, TITLE_PT, bold=True)
    if " / " not in title:
        return one
    two = min(fitting_size(line, room, TITLE_PT, bold=True) for line in title.split(" / ", 1))
    return max(one, two)


def common_title_size(titles: Sequence[tuple[str, float]]) -> float:
    """One title size for sectors printed side by side (``(title, width)`` each): the largest at
    which every one of them fits, so that no sector's title is set smaller than its neighbours'."""
    return min((best_title_size(title, width) for title, width in titles), default=TITLE_PT)


def grid_width(columns: int, style: BubbleStyle, *, glyphs: bool = False) -> float:
    """Width of a digit or letter grid sector of ``columns`` columns."""
    return 2.4 + (0.0 if glyphs else 3.2) + columns * style.pitch_x


def header_height(title: str, width: float, size: float | None = None) -> float:
    """Height of a sector's title band (one or two lines)."""
    return 4.6 if len(title_lines(title, width, size)[0]) == 1 else 7.5


def corner_marks(layout: Layout) -> tuple[Mark, ...]:
    """The four corner squares of a layout, in ``tl, tr, br, bl`` order."""
    by_id = {mark.id: mark for mark in layout.marks}
    return tuple(by_id[mark_id] for mark_id in ("tl", "tr", "br", "bl"))
