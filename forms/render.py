"""Print a :class:`~common.omr.layout.Layout` with reportlab, and rasterise it as a perfect scan.

The PDF is drawn from the layout data alone, so what is printed is what the reader reads. Bubbles
are thin grey ellipses; only the letter and digit grids print a light glyph inside (lighter than
the reader's ink margin), so a bubble's interior reads as paper until someone marks it.
``marks`` (bubble id → fill ratio) prints bubbles filled: a centred ellipse covering that share
of the interior, for the control sheet and the tests.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import numpy as np
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from common.files import atomic_write_bytes
from common.omr.layout import Bubble, Layout, Rect

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONTS_DIR = Path(__file__).resolve().parent.parent / "common" / "fonts"

BUBBLE_OUTLINE_GRAY = 0.4  # darkness 0.6: even a blurred scan of it stays clear of ink
MARK_FILL_GRAY = 0.12  # a soft-pencil mark as printed on control sheets
BARCODE_MODULE_MM = 0.5  # 3 px at 150 dpi: still apart after a blurred 150 dpi scan
BARCODE_HEIGHT_MM = 9.0


@cache
def register_fonts() -> None:
    """Register DejaVu Sans (it has every Kazakh letter; reportlab's Vera has not)."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONTS_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONTS_DIR / "DejaVuSans-Bold.ttf")))


def pdf_bytes(layout: Layout, *, number: str | None, marks: Mapping[str, float] | None = None) -> bytes:
    """The one-page PDF of ``layout`` as bytes (see :func:`render_pdf`)."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(layout.width_mm * mm, layout.height_mm * mm), invariant=True)
    canvas.setTitle(layout.title or layout.form)
    canvas.setAuthor("ent-arm")
    _draw_page(canvas, layout, number=number, marks=marks or {})
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_pdf(layout: Layout, out: Path, *, number: str | None, marks: Mapping[str, float] | None = None) -> None:
    """Write the form as a one-page PDF to ``out`` (atomically).

    ``number`` is the pre-printed sheet number (digits; printed and as a Code128 barcode), or None
    for a sheet without one. ``marks`` maps bubble ids to fill ratios 0–1 to print them filled.
    """
    atomic_write_bytes(out, pdf_bytes(layout, number=number, marks=marks))


def render_page_image(
    layout: Layout, dpi: int, *, number: str | None, marks: Mapping[str, float] | None = None
) -> np.ndarray:
    """The page rasterised at ``dpi`` from the same PDF (grey ``uint8``): a perfect scan of it."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf_bytes(layout, number=number, marks=marks))
    try:
        page = document[0]
        bitmap = page.render(scale=dpi / 72.0, grayscale=True)
        image = np.array(bitmap.to_numpy(), dtype=np.uint8, copy=True)
        page.close()
    finally:
        document.close()
    if image.ndim == 3:
        image = image[:, :, 0].copy()
    return image


def _y(layout: Layout, y_mm: float) -> float:
    return (layout.height_mm - y_mm) * mm


def _draw_page(canvas: Canvas, layout: Layout, *, number: str | None, marks: Mapping[str, float]) -> None:
    for frame in layout.frames:
        _draw_rect(canvas, layout, frame.rect, frame.line_mm, frame.fill_gray)
    canvas.setFillGray(0)
    for mark in layout.marks:
        left, top = mark.x_mm - mark.w_mm / 2, mark.y_mm - mark.h_mm / 2
        canvas.rect(left * mm, _y(layout, top + mark.h_mm), mark.w_mm * mm, mark.h_mm * mm, stroke=0, fill=1)
    for text in layout.texts:
        canvas.setFillGray(text.gray)
        canvas.setFont(FONT_BOLD if text.bold else FONT, text.size_pt)
        x, y = text.x_mm * mm, _y(layout, text.y_mm)
        if text.anchor == "middle":
            canvas.drawCentredString(x, y, text.text)
        elif text.anchor == "end":
            canvas.drawRightString(x, y, text.text)
        else:
            canvas.drawString(x, y, text.text)
    canvas.setStrokeGray(BUBBLE_OUTLINE_GRAY)
    canvas.setLineWidth(layout.bubble_line_mm * mm)
    for bubble in layout.bubbles:
        _draw_bubble(canvas, layout, bubble)
    canvas.setFillGray(MARK_FILL_GRAY)
    for bubble_id, fill in marks.items():
        if fill > 0:
            _draw_fill(canvas, layout, layout.bubble_by_id[bubble_id], min(fill, 1.0))
    _draw_number(canvas, layout, number)


def _draw_rect(canvas: Canvas, layout: Layout, rect: Rect, line_mm: float, fill_gray: float | None) -> None:
    if fill_gray is not None:
        canvas.setFillGray(fill_gray)
    canvas.setStrokeGray(0)
    canvas.setLineWidth(line_mm * mm)
    canvas.rect(
        rect.x_mm * mm,
        _y(layout, rect.y_mm + rect.h_mm),
        rect.w_mm * mm,
        rect.h_mm * mm,
        stroke=1 if line_mm > 0 else 0,
        fill=0 if fill_gray is None else 1,
    )


def _draw_bubble(canvas: Canvas, layout: Layout, bubble: Bubble) -> None:
    half_line = layout.bubble_line_mm / 2
    rx, ry = bubble.w_mm / 2 - half_line, bubble.h_mm / 2 - half_line
    cx, cy = bubble.x_mm, bubble.y_mm
    canvas.ellipse((cx - rx) * mm, _y(layout, cy + ry), (cx + rx) * mm, _y(layout, cy - ry), stroke=1, fill=0)


def _draw_fill(canvas: Canvas, layout: Layout, bubble: Bubble, fill: float) -> None:
    """A centred ellipse covering ``fill`` of the interior (all of it, outline included, at 1)."""
    line = layout.bubble_line_mm
    if fill >= 1.0:
        rx, ry = bubble.w_mm / 2, bubble.h_mm / 2
    else:
        scale = fill**0.5
        rx, ry = (bubble.w_mm / 2 - line) * scale, (bubble.h_mm / 2 - line) * scale
    cx, cy = bubble.x_mm, bubble.y_mm
    canvas.ellipse((cx - rx) * mm, _y(layout, cy + ry), (cx + rx) * mm, _y(layout, cy - ry), stroke=0, fill=1)


def _draw_number(canvas: Canvas, layout: Layout, number: str | None) -> None:
    box = layout.number_box
    canvas.setFillGray(0)
    canvas.setFont(FONT_BOLD, 12)
    label = f"№ {number}" if number else "№"
    canvas.drawCentredString((box.x_mm + box.w_mm / 2) * mm, _y(layout, box.y_mm + box.h_mm - 1.2), label)
    if not number:
        return
    area = layout.barcode_box
    barcode = Code128(number, barWidth=BARCODE_MODULE_MM * mm, barHeight=BARCODE_HEIGHT_MM * mm, quiet=False)
    left = (area.x_mm + area.w_mm / 2) * mm - barcode.width / 2
    bottom = _y(layout, area.y_mm + area.h_mm / 2) - barcode.height / 2
    barcode.drawOn(canvas, left, bottom)
