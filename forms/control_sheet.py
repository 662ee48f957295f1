"""Control answer sheets for the scanner check (п. 52.5): the answer-sheet layout printed with a
known mark pattern, and its key.

The pattern, fixed by a seed (the sheet number), marks every option letter and every digit
somewhere on the sheet, with fills from faint to full, some double marks and some blank fields.
Fills are chosen away from the 50 % line (п. 196) so that a good scanner reads every field as
the key says; the key also lists every bubble's printed fill, for the fill-ratio check.
"""

from __future__ import annotations

import random
from typing import Any

from forms.layout import Layout

FORM = "control-sheet"
MARKED_FILLS = (1.0, 0.9, 0.8, 0.7)
FAINT_FILLS = (0.1, 0.2, 0.3)
MARKED_AT = 0.5


def control_pattern(layout: Layout, seed: int) -> dict[str, float]:
    """Fill ratio of every bubble of the control sheet with ``seed`` (0 for unmarked ones)."""
    chooser = random.Random(seed)
    fills = {bubble.id: 0.0 for bubble in layout.bubbles}
    offset = chooser.randrange(10)
    for index, item in enumerate(layout.fields):
        values = item.values
        position = (index + offset) % len(values)
        role = (index + offset) % 7
        if len(values) == 1:  # a lone bubble (creative exam): marked on even seeds
            fills[f"{item.name}.{values[0]}"] = MARKED_FILLS[0] if seed % 2 == 0 else 0.0
            continue
        if role == 5:  # blank field
            continue
        fills[f"{item.name}.{values[position]}"] = chooser.choice(MARKED_FILLS)
        if role == 3:  # a double mark, or two answers of a multiple-answer task
            other = (position + 1 + chooser.randrange(len(values) - 1)) % len(values)
            fills[f"{item.name}.{values[other]}"] = chooser.choice(MARKED_FILLS)
        elif role in (1, 6):  # a faint stray touch in another bubble of the field
            other = (position + 1 + chooser.randrange(len(values) - 1)) % len(values)
            fills[f"{item.name}.{values[other]}"] = chooser.choice(FAINT_FILLS)
    return fills


def control_key(layout: Layout, seed: int, number: str | None = None) -> dict[str, Any]:
    """The key of a control sheet: printed fills, expected field values and ``multiple`` fields."""
    fills = control_pattern(layout, seed)
    fields: dict[str, str] = {}
    multiple: list[str] = []
    for item in layout.fields:
        marked = [value for value in item.values if fills[f"{item.name}.{value}"] >= MARKED_AT]
        fields[item.name] = "".join(marked)
        if len(marked) > 1 and item.kind != "multi":
            multiple.append(item.name)
    return {
        "form": layout.form,
        "version": layout.version,
        "seed": seed,
        "sheet_number": number,
        "fields": fields,
        "multiple": multiple,
        "bubbles": {bubble_id: round(fill, 2) for bubble_id, fill in fills.items()},
    }


def seed_of(number: str | None) -> int:
    """The pattern seed of a control sheet: its number (0 without one)."""
    return int(number) if number and number.isdigit() else 0
