"""The location and identity marks every form shares, so the reader can find and name any page.

Four solid squares at the corners locate the page. Along the top edge, between the two upper
squares, a strip of cells says which form the page is: the first and last cells are always black
(they also serve the fit), the eight between spell the form's code. The bottom edge under the strip
is kept blank, so a page turned upside down reads no code there and the reader tries 180°.
The codes differ pairwise in at least four cells, so one cell spoilt by a stray mark still reads.

Beside the strip, on the same line, eight more cells name the test specification a sheet was
printed for (:func:`spec_identity`: its code, exam year and variant set, hashed to 1–255; all
white on a form not drawn from a specification). A sheet printed for another exam reads as
``wrong_form`` instead of being scored against the wrong key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
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


SPEC_CELL_XS_MM: Final = (26.0, 34.0, 42.0, 150.0, 158.0, 166.0, 174.0, 182.0)
"""Centres of the specification cells: left and right of the form strip, clear of the corner squares."""
NO_SPEC: Final = 0


def spec_identity(code: str, exam_year: int | None, variants: Sequence[str]) -> int:
    """The 1–255 number the specification cells spell for a specification (never :data:`NO_SPEC`)."""
    text = "\x1f".join([code, str(exam_year or ""), *variants])
    return 1 + hashlib.sha256(text.encode("utf-8")).digest()[0] % 255


def spec_cells() -> tuple[Mark, ...]:
    """Every specification cell, most significant bit first."""
    return tuple(
        Mark(f"spec{index}", x, CODE_Y_MM, CODE_CELL_MM, CODE_CELL_MM) for index, x in enumerate(SPEC_CELL_XS_MM)
    )


def spec_bits(identity: int) -> tuple[int, ...]:
    """The cells (1 = printed black) that spell ``identity``."""
    count = len(SPEC_CELL_XS_MM)
    return tuple((identity >> (count - 1 - index)) & 1 for index in range(count))


def spec_from_bits(bits: Sequence[int]) -> int:
    value = 0
    for bit in bits:
        value = value << 1 | int(bit)
    return value


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


def standard_marks(form: str, spec_identity: int = NO_SPEC) -> tuple[Mark, ...]:
    """The printed solid marks of ``form``: the corner squares, its black strip cells, then the
    black cells of its specification's identity."""
    corners = tuple(Mark(mark_id, x, y, CORNER_SIZE_MM, CORNER_SIZE_MM) for mark_id, (x, y) in corner_centres().items())
    black = tuple(cell for cell, bit in zip(code_cells(), code_bits(form), strict=True) if bit)
    spec = tuple(cell for cell, bit in zip(spec_cells(), spec_bits(spec_identity), strict=True) if bit)
    return corners + black + spec


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
