"""A scanner that "prints and scans" filled forms: for the demo and the tests.

Each :class:`SimulatedSheet` says what a person marked; the scanner renders the blank form,
fills it in pencil (:mod:`common.omr.synth`), scans it with the damage of a
:class:`~common.omr.damage.Profile`, and delivers the page like any driver. Everything is drawn
from ``seed``, so the same sheets give the same pages (and page ids) every time. What was really
drawn — every bubble's true fill and the field values a perfect reader gives — is kept in
:attr:`SimulatedScanner.truths` by page id. :meth:`SimulatedScanner.export` writes the pages as a
scanner's capture software would, for a :class:`~common.scanning.watched_folder.WatchedFolder`.
"""

from __future__ import annotations

import hashlib
import struct
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Final

import numpy as np
from PIL import Image

from common.files import atomic_write_bytes
from common.omr.damage import DamageRecord, Profile, damage_with_record
from common.omr.layout import Layout
from common.omr.synth import TRUTH_MARGIN, MarkSpec, SheetPainter, answers_to_marks, name_box, read_back
from common.scanning.driver import ScannedPage


@dataclass(frozen=True)
class SimulatedSheet:
    """One sheet as filled in: field answers (READER.md values), extra marks, the sheet number.

    ``marks`` add to or replace the answers' marks (a borderline mark, a tick, an erasure).
    ``name`` is written by hand in the form's name box, if it has one. ``printed`` are marks
    printed with the form (bubble id → fill ratio), as on the scanner-check control sheet.
    """

    answers: Mapping[str, str] = field(default_factory=dict)
    marks: Mapping[str, MarkSpec] = field(default_factory=dict)
    number: str | None = None
    name: str | None = None
    stray_marks: int = 0
    printed: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class SimulatedTruth:
    """What is really on a simulated page."""

    sheet: SimulatedSheet
    true_fills: dict[str, float]
    fields: dict[str, str]
    damage: DamageRecord


class SimulatedScanner:
    """A :class:`~common.scanning.driver.ScannerDriver` that fills, prints and scans ``sheets``.

    ``damage_profile`` ``None`` gives perfect scans. ``natural`` varies each mark as people's
    vary (pressure, pen now and then); without it every mark is a firm, full pencil fill.

    ``sheet_seed`` makes the sheets physical: what is written on a sheet (its name, every mark, stray
    strokes) is drawn from ``sheet_seed``, the sheet's number and each bubble, and only the scan's damage
    from ``seed`` — so two scanners with one ``sheet_seed`` and other seeds scan the same paper twice, as the
    programmer's two passes do, and a mark changed on one sheet changes nothing else. Without it both are
    drawn from ``seed`` (a new sheet every scan).
    """

    def __init__(
        self,
        layout: Layout,
        sheets: Iterable[SimulatedSheet],
        dpi: int = 200,
        damage_profile: Profile | None = None,
        seed: int = 0,
        *,
        natural: bool = True,
        sheet_seed: int | None = None,
    ) -> None:
        self.layout = layout
        self.sheets = sheets
        self.dpi = dpi
        self.damage_profile = damage_profile if damage_profile is not None else Profile.none()
        self.seed = seed
        self.natural = natural
        self.sheet_seed = sheet_seed
        self.truths: dict[str, SimulatedTruth] = {}
        self._stop = threading.Event()

    def acquire(self) -> Iterator[ScannedPage]:
        self._stop.clear()
        for index, sheet in enumerate(self.sheets, start=1):
            if self._stop.is_set():
                return
            yield self.scan(sheet, index)

    def acknowledge(self, page_id: str) -> None:
        """Nothing to record: the sheets are drawn afresh each time."""

    def stop(self) -> None:
        self._stop.set()

    def scan(self, sheet: SimulatedSheet, index: int) -> ScannedPage:
        """Fill, print and scan one sheet (``index`` picks its share of the seed)."""
        rng = np.random.default_rng([self.seed, index])
        printed = tuple(sorted(sheet.printed.items()))
        page = _printed_page(self.layout, self.dpi, sheet.number, printed)
        if self.sheet_seed is None:
            painter = SheetPainter(page, self.layout, self.dpi, rng)
            self._write(painter, sheet, rng, lambda _bubble: rng)
        else:
            paper = [self.sheet_seed, int(sheet.number) if sheet.number and sheet.number.isdigit() else index]
            painter = SheetPainter(page, self.layout, self.dpi, np.random.default_rng(paper))
            bubble_index = {bubble.id: number for number, bubble in enumerate(self.layout.bubbles)}
            self._write(painter, sheet, painter.rng,
                        lambda bubble: np.random.default_rng([*paper, 1, bubble_index[bubble]]))
        fills = painter.true_fills()
        if printed:
            printed_fills = _printed_fills(self.layout, self.dpi, sheet.number, printed)
            fills = {bubble: max(fill, printed_fills[bubble]) for bubble, fill in fills.items()}
        image, record = damage_with_record(painter.image(), rng, self.damage_profile, dpi=self.dpi)
        digest = hashlib.sha256(np.ascontiguousarray(image).tobytes()).hexdigest()
        page_id = f"{digest}:{index}"
        self.truths[page_id] = SimulatedTruth(sheet, fills, read_back(self.layout, fills), record)
        return ScannedPage(image=image, source=f"simulated:{self.layout.form}#{index}", page_id=page_id, dpi=self.dpi)

    def _write(self, painter: SheetPainter, sheet: SimulatedSheet, rng: np.random.Generator,
               pencil_for: Callable[[str], np.random.Generator]) -> None:
        """What the person wrote on ``sheet``: the name, the marks (each drawn from ``pencil_for(bubble)``), the
        stray strokes (from ``rng``)."""
        box = name_box(self.layout)
        if sheet.name and box is not None:
            painter.handwriting(sheet.name, box)
        marks = answers_to_marks(self.layout, sheet.answers, rng=rng if self.natural else None)
        marks.update(sheet.marks)
        for bubble, spec in marks.items():
            painter.rng = pencil_for(bubble)
            painter.mark(bubble, spec)
        painter.rng = rng
        if sheet.stray_marks:
            painter.stray_marks(sheet.stray_marks)

    def export(self, folder: Path, *, jpeg_quality: int | None = None, prefix: str = "scan") -> list[Path]:
        """Scan every sheet into ``folder`` as numbered PNG (or JPEG) files with their dpi, as
        high-speed scanners' capture software does; returns the paths in scan order."""
        paths: list[Path] = []
        for page in self.acquire():
            number = len(paths) + 1
            suffix = ".jpg" if jpeg_quality else ".png"
            path = folder / f"{prefix}{number:04d}{suffix}"
            atomic_write_bytes(path, encode_page(page.image, self.dpi, jpeg_quality))
            paths.append(path)
        return paths


def encode_page(image: np.ndarray, dpi: int, jpeg_quality: int | None = None) -> bytes:
    """A page array (grey or BGR) as PNG or JPEG bytes stating ``dpi``.

    PNG is written by libpng (OpenCV) with fast deflate as capture programs write it, with two shortcuts
    that leave the file as large and as dear to decode: Huffman coding only (the scanner's noise leaves
    deflate's string matching almost nothing to find) and the Paeth filter on every row (the one libpng
    and Pillow choose for most rows of a scan, which the decoder then undoes) instead of trying all five
    on each row. Encoding takes half Pillow's time (``benchmarks/png_encoding.py``). The pixels are the array's,
    bit for bit."""
    import io

    if not jpeg_quality:
        import cv2

        ok, encoded = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, 1,
                                                   cv2.IMWRITE_PNG_STRATEGY, cv2.IMWRITE_PNG_STRATEGY_HUFFMAN_ONLY,
                                                   cv2.IMWRITE_PNG_FILTER, cv2.IMWRITE_PNG_FILTER_PAETH])
        if not ok:
            raise ValueError("the page could not be encoded")
        return _with_dpi(encoded.tobytes(), dpi)
    picture = Image.fromarray(image if image.ndim == 2 else image[:, :, ::-1])
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=jpeg_quality, dpi=(dpi, dpi))
    return buffer.getvalue()


_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
_IHDR_END: Final = len(_PNG_SIGNATURE) + 4 + 4 + 13 + 4
"""Where a PNG's header chunk ends (length, type, 13 bytes, CRC): it comes first."""


def _with_dpi(png: bytes, dpi: int) -> bytes:
    """``png`` with a ``pHYs`` chunk stating ``dpi`` (in pixels a metre, as PNG states it) after its header."""
    if png[:len(_PNG_SIGNATURE)] != _PNG_SIGNATURE or png[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    per_metre = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)
    chunk = struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))
    return png[:_IHDR_END] + chunk + png[_IHDR_END:]


@lru_cache(maxsize=8)
def _printed_page(
    layout: Layout, dpi: int, number: str | None, printed: tuple[tuple[str, float], ...] = ()
) -> np.ndarray:
    from forms.render import render_page_image

    image = render_page_image(layout, dpi, number=number, marks=dict(printed) or None)
    image.setflags(write=False)
    return image


@lru_cache(maxsize=8)
def _printed_fills(
    layout: Layout, dpi: int, number: str | None, printed: tuple[tuple[str, float], ...]
) -> dict[str, float]:
    """True fills of printed marks: the share of each interior the print darkens by the margin
    (measured on the rendered page against the blank, as :mod:`common.omr.synth` measures pencil)."""
    blank = _printed_page(layout, dpi, number)
    with_marks = _printed_page(layout, dpi, number, printed)
    transmitted = with_marks.astype(np.float32) / np.maximum(blank, 1).astype(np.float32)
    darkness = np.clip((1.0 - transmitted) * 255.0 + 0.5, 0, 255).astype(np.uint8)
    measuring = SheetPainter(blank, layout, dpi, np.random.default_rng(0))
    measuring.darkness = darkness
    measuring.ink = (darkness >= TRUTH_MARGIN).astype(np.float32)  # print is solid: its pixels past the margin
    return measuring.true_fills()
