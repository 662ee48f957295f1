"""The control set (п. 52.4–52.5): control answer sheets printed from the test specification of the
exam — the very answer sheet that will be scanned on exam day — with known marks, and their key.

A set is a few sheets, each with a pre-printed number bound to the key (``9`` + the set number in
three digits + the sheet in three, the seven digits of the sheet number):

1. ``every-bubble`` — every bubble position of the sheet filled, the fills running from faint (0.3)
   to full, so every cell the exam uses is proved once;
2. and 3. ``pattern`` — :func:`forms.control_sheet.control_pattern`: every value of every kind of
   field, single and double marks, faint touches beside marks, blank fields;
4. ``residue`` — a pattern sheet with erasure-like residue (fills 0.1–0.2) in empty bubbles;
5. ``blank`` — nothing marked: a scanner must not invent marks.

Fills avoid the 0.5 line (п. 196) by at least 0.2, so a fit scanner reads every decision as the key
says; the key keeps each bubble's printed fill for the fill-ratio check.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any, Final

from common.omr.layout import Layout
from common.testspec import TestSpecification, load_spec, shipped_spec
from forms.control_sheet import MARKED_AT, control_pattern
from forms.registry import DEFAULT_SPEC, get_layout

FORM: Final = "control-sheet"
SHEET_KINDS: Final = ("every-bubble", "pattern", "pattern", "residue", "blank")
EVERY_BUBBLE_FILLS: Final = (0.3, 0.7, 0.8, 0.9, 1.0)
"""The fills of the every-bubble sheet, bubble after bubble: from faint to full."""
RESIDUE_FILLS: Final = (0.1, 0.15, 0.2)
RESIDUE_SHARE: Final = 0.3
MAX_SET_NUMBER: Final = 999


@dataclass(frozen=True)
class ControlSheet:
    """One sheet of the set: its printed number, what kind it is, and every bubble's printed fill
    (bubbles not listed are unmarked)."""

    number: str
    kind: str
    fills: dict[str, float]

    def fill(self, bubble: str) -> float:
        return self.fills.get(bubble, 0.0)

    def marked(self, bubble: str) -> bool:
        return self.fill(bubble) >= MARKED_AT

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "kind": self.kind, "fills": dict(sorted(self.fills.items()))}


@dataclass(frozen=True)
class ControlSet:
    """A printed control set: its number, the specification it was printed from, its sheets in order."""

    number: int
    spec: TestSpecification
    sheets: tuple[ControlSheet, ...]

    @property
    def layout(self) -> Layout:
        return get_layout(FORM, self.spec)

    def sheet(self, number: str | None) -> ControlSheet | None:
        return next((sheet for sheet in self.sheets if sheet.number == number), None)

    @property
    def numbers(self) -> tuple[str, ...]:
        return tuple(sheet.number for sheet in self.sheets)

    def key_json(self) -> dict[str, Any]:
        """The key: what each sheet holds, bound to the set by the sheet numbers."""
        layout = self.layout
        return {
            "form": layout.form,
            "version": layout.version,
            "set": self.number,
            "specification": {"code": self.spec.code, "exam_year": self.spec.exam_year},
            "sheets": [sheet.to_json() | _expected_reading(layout, sheet) for sheet in self.sheets],
        }


def _expected_reading(layout: Layout, sheet: ControlSheet) -> dict[str, Any]:
    """What a fit scanner and the reader make of ``sheet``: every field's value (marked from 0.5,
    п. 196) and the fields holding more than one mark."""
    fields: dict[str, str] = {}
    multiple: list[str] = []
    for item in layout.fields:
        marked = [value for value in item.values if sheet.marked(f"{item.name}.{value}")]
        fields[item.name] = "".join(marked)
        if len(marked) > 1 and item.kind != "multi":
            multiple.append(item.name)
    return {"fields": fields, "multiple": multiple}


def sheet_number(set_number: int, index: int) -> str:
    """The pre-printed number of sheet ``index`` (1-based) of set ``set_number``."""
    return f"9{set_number:03d}{index:03d}"


def build_control_set(set_number: int, spec: TestSpecification) -> ControlSet:
    """The control set ``set_number`` for ``spec`` (the same inputs always give the same set)."""
    layout = get_layout(FORM, spec)
    sheets = []
    for index, kind in enumerate(SHEET_KINDS, start=1):
        number = sheet_number(set_number, index)
        sheets.append(ControlSheet(number, kind, _fills(layout, kind, int(number))))
    return ControlSet(set_number, spec, tuple(sheets))


def _fills(layout: Layout, kind: str, seed: int) -> dict[str, float]:
    if kind == "blank":
        return {}
    if kind == "every-bubble":
        return {bubble.id: EVERY_BUBBLE_FILLS[index % len(EVERY_BUBBLE_FILLS)]
                for index, bubble in enumerate(layout.bubbles)}  # fmt: skip
    fills = {bubble: fill for bubble, fill in control_pattern(layout, seed).items() if fill > 0}
    if kind == "residue":
        chooser = random.Random(seed)
        for bubble in layout.bubbles:
            if bubble.id not in fills and chooser.random() < RESIDUE_SHARE:
                fills[bubble.id] = chooser.choice(RESIDUE_FILLS)
    return fills


def spec_from_json(text: str | None) -> TestSpecification:
    """The specification a set was printed from (kept with the set as JSON); the shipped 2018 ЕНТ
    for ``None``."""
    if text is None:
        return shipped_spec(DEFAULT_SPEC)
    return load_spec(json.loads(text))
