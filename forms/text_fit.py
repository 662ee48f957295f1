"""Text measurement for layouts: labels are shrunk to fit their boxes, never cut."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from forms.render import FONT, FONT_BOLD, register_fonts


def text_width_mm(text: str, size_pt: float, *, bold: bool = False) -> float:
    register_fonts()
    return pdfmetrics.stringWidth(text, FONT_BOLD if bold else FONT, size_pt) / mm


def fitting_size(text: str, width_mm: float, size_pt: float, *, bold: bool = False, smallest: float = 4.5) -> float:
    """The largest size up to ``size_pt`` at which ``text`` fits ``width_mm`` (at least ``smallest``)."""
    size = size_pt
    while size > smallest and text_width_mm(text, size, bold=bold) > width_mm:
        size -= 0.25
    return size


def shorten(text: str, width_mm: float, size_pt: float, *, bold: bool = False) -> str:
    """``text`` cut with an ellipsis so that it fits ``width_mm`` at ``size_pt``."""
    if text_width_mm(text, size_pt, bold=bold) <= width_mm:
        return text
    while text and text_width_mm(text + "…", size_pt, bold=bold) > width_mm:
        text = text[:-1]
    return text.rstrip() + "…"
