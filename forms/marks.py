"""The location and identity marks every form shares, so the reader can find and name any page.

Four solid squares at the corners locate the page. Along the top edge, between the two upper
squares, a strip of cells says which form the page is: the first and last cells are always black
(they also serve the fit), the eight between spell the form's code. The bottom edge under the strip
is kept blank, so a page turned upside down reads no code there and the reader tries 180°.
The codes differ pairwise in at least four cells, so one cell spoilt by a stray mark still reads.
"""

from __future__ import annotations

from typing import Final

from forms.layout import Mark

PAGE_WIDTH_MM: Final = 210.0
PAGE_HEIGHT_MM: Final = 297.0

CORNER_SIZE_MM: Final = 7.0
CORNER_INSET_MM: Final = 11.0  # from each page edge to a corner square's centre
CORNER_IDS: Final = ("tl", "tr", "br", "bl")

CODE_CELL_MM: Final = 4.0
CODE_PITCH_MM: Final = 10.0
CODE_FIRST_X_MM: Final = 50.0
CODE_Y_MM: Final = CORNER_INSET_MM
CODE_PAYLOAD_BITS: Final = 8

FORM_CODES: Final[dict[str, tuple[int, ...]]] = {
    "answer-sheet": (1, 0, 1, 1, 0, 0, 1, 0),
    "application": (0, 1, 1, 0, 1, 0, 0, 1),
    "control-sheet": (1, 1, 0, 0, 0, 1, 1, 1),
}
"""Payload cells of each form's identity strip (1 = printed black)."""


def corner_centres() -> dict[str, tuple[float, float]]:
    """Centre of each corner square in page mm."""
    left, top = CORNER_INSET_MM, CORNER_INSET_MM
    right, bottom = PAGE_WIDTH_MM - CORNER_INSET_MM, PAGE_HEIGHT_MM - CORNER_INSET_MM
    return {"tl": (left, top), "tr": (right, top), "br": (right, bottom), "bl": (left, bottom)}


def code_cells() -> tuple[Mark, ...]:
    """Every cell of the identity strip, sync cells included, left to right."""
    count = CODE_PAYLOAD_BITS + 2
    return tuple(
        Mark(f"code{index}", CODE_FIRST_X_MM + index * CODE_PITCH_MM, CODE_Y_MM, CODE_CELL_MM, CODE_CELL_MM)
        for index in range(count)
    )


def code_bits(form: str) -> tuple[int, ...]:
    """All cells of ``form``'s strip: sync, payload, sync."""
    return (1, *FORM_CODES[form], 1)


def standard_marks(form: str) -> tuple[Mark, ...]:
    """The printed solid marks of ``form``: the corner squares, then its black strip cells."""
    corners = tuple(Mark(mark_id, x, y, CORNER_SIZE_MM, CORNER_SIZE_MM) for mark_id, (x, y) in corner_centres().items())
    black = tuple(cell for cell, bit in zip(code_cells(), code_bits(form), strict=True) if bit)
    return corners + black


def decode_form(cells: tuple[int, ...]) -> str | None:
    """The form whose strip ``cells`` (sync included) spell, allowing one wrong payload cell."""
    if len(cells) != CODE_PAYLOAD_BITS + 2 or cells[0] != 1 or cells[-1] != 1:
        return None
    payload = cells[1:-1]
    best: str | None = None
    for form, code in FORM_CODES.items():
        distance = sum(a != b for a, b in zip(payload, code, strict=True))
        if distance <= 1:
            best = form
    return best
