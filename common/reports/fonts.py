"""The fonts of every printed form: DejaVu Sans from ``common/fonts`` (it has all Kazakh letters).

reportlab's bundled fonts lack Ә Ғ Қ Ң Ө Ұ Ү Һ І; the fonts ship inside the package so that Windows
and frozen bundles have them too. Registration happens once per process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Final

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR: Final = Path(__file__).resolve().parent.parent / "fonts"
REGULAR: Final = "DejaVuSans"
BOLD: Final = "DejaVuSans-Bold"


@cache
def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular and bold) with reportlab; returns their names."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    # <b> inside a Paragraph picks the bold face of the family.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of ``text`` set in the form font at ``size``."""
    register_fonts()
    return float(pdfmetrics.stringWidth(text, BOLD if bold else REGULAR, size))


def shortened(text: str, room: float, size: float, bold: bool = False) -> str:
    """``text`` on one line, cut short with «…» where it would run past ``room`` points at ``size``."""
    line = text.replace("\n", " ")
    while len(line) > 1 and text_width(line, size, bold) > room:
        line = line[:-2] + "…"
    return line
