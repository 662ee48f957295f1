"""Control answer sheets for the scanner check (п. 52.5): the answer-sheet layout printed with a
known mark pattern, and its key.

The pattern, fixed by a seed (the sheet number), marks every value of every kind of field (each
option letter, digit, profile subject) somewhere on the sheet, with fills from faint to full,
some double marks and some blank fields.
Fills are chosen away from the 50 % line (п. 196) so that a good scanner reads every field as
the key says; the key also lists every bubble's printed fill, for the fill-ratio check.
"""

from __future__ import annotations

import random
from typing import Any

from common.omr.layout import Field, Layout

FORM = "control-sheet"
MARKED_FILLS = (1.0, 0.9, 0.8, 0.7)
FAINT_FILLS = (0.1, 0.2, 0.3)
MARKED_AT = 0.5


def control_pattern(layout: Layout, seed: int) -> dict[str, float]:
    """Fill ratio of every bubble of the control sheet with ``seed`` (0 for unmarked ones).

    Fields with the same values (all tasks of five options, all digit columns, …) share the work:
    the first ones mark every value once between them (several marks in a field when there are
    more values than fields), the others get a single mark, a double mark, a faint touch beside a
    mark, or nothing.
    """
    chooser = random.Random(seed)
    fills = {bubble.id: 0.0 for bubble in layout.bubbles}
    classes: dict[tuple[str, ...], list[Field]] = {}
    for item in layout.fields:
        classes.setdefault(item.values, []).append(item)
    for values, members in classes.items():
        count = len(values)
        offset = chooser.randrange(count)
        for index, item in enumerate(members):
            primary = (index + offset) % count
            fills[f"{item.name}.{values[primary]}"] = chooser.choice(MARKED_FILLS)
            if index < count:  # the covering fields: every value once, extra ones where fields run out
                for extra in range(index + len(members), count, len(members)):
                    fills[f"{item.name}.{values[(extra + offset) % count]}"] = chooser.choice(MARKED_FILLS)
                continue
            role = chooser.choice(("single", "single", "double", "faint", "blank"))
            other = f"{item.name}.{values[(primary + 1 + chooser.randrange(count - 1)) % count]}"
            if role == "double":
                fills[other] = chooser.choice(MARKED_FILLS)
            elif role == "faint":
                fills[other] = chooser.choice(FAINT_FILLS)
            elif role == "blank":
                fills[f"{item.name}.{values[primary]}"] = 0.0
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
