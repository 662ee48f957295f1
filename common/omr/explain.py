"""Evidence for a person: why each bubble of a page was read as it was (``ent-omr explain``).

:func:`explain` draws the page (or one field) upright from the scan, every bubble outlined in the
colour of the decision, its measured fill ratio printed on it, and a header with the sheet, the
page check and — for a field — the value read, every bubble's fill beside its value and the flag.
It is what an operator confirming a flagged field, the technical-appeal commission and an appellant
are shown; the review widget and the appeal screen call the same function. The picture is built
from the scan and the reader's :class:`~common.omr.reader.PageResult` only, so it shows exactly what
the reader measured.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from common.i18n import _
from common.omr.images import as_gray
from common.omr.reader import MARKED_AT, PageResult
from forms.layout import Bubble, Layout

PAGE_PIXELS_PER_MM = 12.0
FIELD_PIXELS_PER_MM = 40.0
FIELD_MARGIN_MM = 3.0
# RGB
MARKED = (20, 150, 40)
EMPTY = (60, 110, 200)
AMBIGUOUS = (235, 120, 0)
MULTIPLE = (210, 30, 30)
_FONT = Path(__file__).resolve().parent.parent / "fonts" / "DejaVuSans.ttf"
_BOLD = Path(__file__).resolve().parent.parent / "fonts" / "DejaVuSans-Bold.ttf"


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(_BOLD if bold else _FONT), size)


def explain(image: np.ndarray, layout: Layout, result: PageResult, field: str | None = None) -> np.ndarray:
    """An RGB picture explaining ``result`` (read from ``image`` as ``layout``); ``field`` narrows
    it to one field. Raises ValueError when the page was not located (there is nothing to show) or
    ``field`` is not a field of ``layout``."""
    if result.transform is None or not result.bubbles:
        raise ValueError("the page was not read, so there is nothing to explain")
    if field is not None and field not in layout.field_by_name:
        raise ValueError(f"{layout.form} has no field {field}")
    bubbles = layout.bubbles if field is None else layout.bubbles_by_field[field]
    if field is None:
        left, top, right, bottom = 0.0, 0.0, layout.width_mm, layout.height_mm
        scale = PAGE_PIXELS_PER_MM
    else:
        left = min(b.x_mm - b.w_mm / 2 for b in bubbles) - FIELD_MARGIN_MM
        top = min(b.y_mm - b.h_mm / 2 for b in bubbles) - FIELD_MARGIN_MM
        right = max(b.x_mm + b.w_mm / 2 for b in bubbles) + FIELD_MARGIN_MM
        bottom = max(b.y_mm + b.h_mm / 2 for b in bubbles) + FIELD_MARGIN_MM
        scale = FIELD_PIXELS_PER_MM
    upright = _upright(as_gray(image), np.asarray(result.transform, dtype=np.float64), left, top, right, bottom, scale)
    # the scan is lightened a little so that outlines and figures stand out over it
    picture = Image.fromarray(cv2.cvtColor((upright * 0.8 + 51).astype(np.uint8), cv2.COLOR_GRAY2RGB))
    pen = ImageDraw.Draw(picture)
    colours = _colours(layout, result)
    label = _font(max(10, round(scale * 1.05)))
    for bubble in bubbles:
        _draw_bubble(pen, bubble, result.bubbles.get(bubble.id, 0.0), colours[bubble.id], left, top, scale, label)
    header = _header_lines(layout, result, field)
    return np.asarray(_with_header(picture, header, field is not None))


def _upright(
    gray: np.ndarray, transform: np.ndarray, left: float, top: float, right: float, bottom: float, scale: float
) -> np.ndarray:
    crop_to_page = np.array([[1 / scale, 0.0, left], [0.0, 1 / scale, top], [0.0, 0.0, 1.0]])
    size = (round((right - left) * scale), round((bottom - top) * scale))
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    warped = cv2.warpPerspective(
        gray, transform @ crop_to_page, size, flags=flags, borderMode=cv2.BORDER_CONSTANT, borderValue=255
    )
    return np.asarray(warped).astype(np.float32)


def _colours(layout: Layout, result: PageResult) -> dict[str, tuple[int, int, int]]:
    ambiguous = {b for flag in result.flags if flag.kind == "ambiguous" for b in flag.bubbles}
    multiple = {b for flag in result.flags if flag.kind == "multiple" for b in flag.bubbles}
    colours = {}
    for bubble in layout.bubbles:
        fill = result.bubbles.get(bubble.id, 0.0)
        if bubble.id in ambiguous:
            colours[bubble.id] = AMBIGUOUS
        elif bubble.id in multiple:
            colours[bubble.id] = MULTIPLE
        else:
            colours[bubble.id] = MARKED if fill >= MARKED_AT else EMPTY
    return colours


def _draw_bubble(
    pen: ImageDraw.ImageDraw,
    bubble: Bubble,
    fill: float,
    colour: tuple[int, int, int],
    left: float,
    top: float,
    scale: float,
    font: ImageFont.FreeTypeFont,
) -> None:
    box = (
        (bubble.x_mm - bubble.w_mm / 2 - left) * scale,
        (bubble.y_mm - bubble.h_mm / 2 - top) * scale,
        (bubble.x_mm + bubble.w_mm / 2 - left) * scale,
        (bubble.y_mm + bubble.h_mm / 2 - top) * scale,
    )
    width = max(1, round(scale / (5 if fill >= MARKED_AT or colour != EMPTY else 10)))
    pen.ellipse(box, outline=colour, width=width)
    centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    pen.text(centre, f"{fill:.2f}", fill=colour, font=font, anchor="mm", stroke_width=max(1, round(scale / 8)),
             stroke_fill=(255, 255, 255))  # fmt: skip


def _header_lines(layout: Layout, result: PageResult, field: str | None) -> list[tuple[str, tuple[int, int, int]]]:
    black = (0, 0, 0)
    title = _("{form}, sheet {number}, page {page} of {image}; quality {quality:.2f}").format(
        form=layout.form,
        number=result.sheet_number or "—",
        page=result.page,
        image=Path(result.image).name or "—",
        quality=result.quality,
    )
    lines = [(title, black)]
    lines.append((_("Figures: the share of each bubble's inside that is marked; marked from 0.50."), black))
    lines.append((_("Colours: green marked, blue empty, orange undecided (ambiguous), red two marks or more."), black))
    flags = [flag for flag in result.flags if field is None or flag.field in (field, None)]
    if field is not None:
        item = layout.field_by_name[field]
        value = result.fields.get(field, "")
        lines.append((_("Field {field}: read «{value}»").format(field=field, value=value or _("nothing")), black))
        for bubble in layout.bubbles_by_field[field]:
            fill = result.bubbles.get(bubble.id, 0.0)
            decision = _("marked") if fill >= MARKED_AT else _("not marked")
            lines.append((f"  {bubble.value}: {fill:.2f} — {decision}", MARKED if fill >= MARKED_AT else EMPTY))
        if item.kind in ("choice", "digits", "letters"):
            lines.append((_("One value may be marked in this field."), black))
    for flag in flags:
        colour = AMBIGUOUS if flag.kind == "ambiguous" else MULTIPLE
        lines.append((_flag_line(flag.kind, flag.field, flag.bubbles), colour))
    if not flags:
        lines.append((_("No flag: every bubble was read clearly on one side of 0.50."), MARKED))
    return lines


def _flag_line(kind: str, field: str | None, bubbles: tuple[str, ...]) -> str:
    where = ", ".join(bubbles) or field or ""
    if kind == "ambiguous":
        text = _("Flag: undecided — the fill of {where} is too close to 0.50 to promise a side; a person decides.")
        return text.format(where=where)
    if kind == "multiple":
        return _("Flag: more than one mark in {field} ({where}).").format(field=field, where=where)
    if kind == "blank":
        return _("Flag: the sheet has no mark at all.")
    return _("Flag: {kind}").format(kind=kind)


def _with_header(picture: Image.Image, lines: list[tuple[str, tuple[int, int, int]]], large: bool) -> Image.Image:
    font = _font(22 if large else 28)
    line_height = round(font.size * 1.35)
    pen = ImageDraw.Draw(picture)
    width = max([picture.width] + [round(pen.textlength(text, font=font)) + 40 for text, _colour in lines])
    height = line_height * len(lines) + 30
    canvas = Image.new("RGB", (width, picture.height + height), (255, 255, 255))
    pen = ImageDraw.Draw(canvas)
    for index, (text, colour) in enumerate(lines):
        pen.text((20, 15 + index * line_height), text, fill=colour, font=font)
    canvas.paste(picture, (0, height))
    return canvas


def explain_png(image: np.ndarray, layout: Layout, result: PageResult, field: str | None = None) -> bytes:
    """:func:`explain` encoded as PNG."""
    picture = explain(image, layout, result, field)
    ok, encoded = cv2.imencode(".png", cv2.cvtColor(picture, cv2.COLOR_RGB2BGR))
    if not ok:
        raise RuntimeError("PNG encoding failed")
    return encoded.tobytes()
