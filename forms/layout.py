"""A machine-readable form as data: what the renderer prints is exactly what the reader reads.

All coordinates are millimetres from the page's top-left corner, y growing downwards. A mark or a
bubble is given by its centre and its outer size; a :class:`Rect` (frames, boxes, the barcode
area) by its top-left corner and size. ``to_json`` gives the shape of ``ent-omr layout --json``
(READER.md); the decorations (texts, frames, boxes) are for the renderer only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

FieldKind = Literal["choice", "multi", "digits", "letters"]
FIELD_KINDS: tuple[FieldKind, ...] = ("choice", "multi", "digits", "letters")


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle: top-left corner and size in mm."""

    x_mm: float
    y_mm: float
    w_mm: float
    h_mm: float

    def to_json(self) -> dict[str, float]:
        return {"x_mm": self.x_mm, "y_mm": self.y_mm, "w_mm": self.w_mm, "h_mm": self.h_mm}


@dataclass(frozen=True)
class Mark:
    """A solid printed square the reader locates the page by: centre and size in mm."""

    id: str
    x_mm: float
    y_mm: float
    w_mm: float
    h_mm: float

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "x_mm": self.x_mm, "y_mm": self.y_mm, "w_mm": self.w_mm, "h_mm": self.h_mm}


@dataclass(frozen=True)
class Field:
    """The bubbles of which one value is read; ``values`` in layout order."""

    name: str
    kind: FieldKind
    group: str
    values: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "group": self.group, "values": list(self.values)}


@dataclass(frozen=True)
class Bubble:
    """One printed mark area: ``id`` is ``f"{field}.{value}"``; centre and outer size in mm."""

    id: str
    field: str
    value: str
    x_mm: float
    y_mm: float
    w_mm: float
    h_mm: float

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "field": self.field,
            "value": self.value,
            "x_mm": self.x_mm,
            "y_mm": self.y_mm,
            "w_mm": self.w_mm,
            "h_mm": self.h_mm,
        }


TextAnchor = Literal["start", "middle", "end"]


@dataclass(frozen=True)
class Text:
    """A printed label; ``y_mm`` is its baseline. ``gray`` 0 is black, 1 white."""

    x_mm: float
    y_mm: float
    text: str
    size_pt: float
    bold: bool = False
    anchor: TextAnchor = "start"
    gray: float = 0.0


@dataclass(frozen=True)
class Frame:
    """A printed rectangle outline (a sector border, a box to write in), optionally shaded."""

    rect: Rect
    line_mm: float = 0.3
    fill_gray: float | None = None


@dataclass(frozen=True, eq=False)
class Layout:
    """A form: page, location marks, fields and their bubbles, and what else is printed.

    ``bubbles`` are grouped by field in field order, each field's bubbles in value order.
    ``barcode_box`` is where the sheet number's Code128 barcode is printed (and read);
    ``number_box`` where it is printed for people. ``code_cells`` are the form-identity and
    specification cells of the top edge (see :mod:`forms.marks`); the ones printed black are also in
    ``marks``. ``spec_identity`` is the number the specification cells spell (0: none).
    Layouts compare and hash by identity (they are built once and cached); compare ``to_json()``
    for content.
    """

    form: str
    version: int
    width_mm: float
    height_mm: float
    marks: tuple[Mark, ...]
    fields: tuple[Field, ...]
    bubbles: tuple[Bubble, ...]
    barcode_box: Rect
    number_box: Rect
    code_cells: tuple[Mark, ...] = ()
    spec_identity: int = 0
    texts: tuple[Text, ...] = ()
    frames: tuple[Frame, ...] = ()
    title: str = ""
    bubble_line_mm: float = 0.2
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_json(self) -> dict[str, Any]:
        """The object ``ent-omr layout FORM --json`` prints (READER.md)."""
        return {
            "form": self.form,
            "version": self.version,
            "page": {"width_mm": self.width_mm, "height_mm": self.height_mm},
            "marks": [mark.to_json() for mark in self.marks],
            "fields": [item.to_json() for item in self.fields],
            "bubbles": [bubble.to_json() for bubble in self.bubbles],
        }

    @cached_property
    def bubble_by_id(self) -> dict[str, Bubble]:
        return {bubble.id: bubble for bubble in self.bubbles}

    @cached_property
    def field_by_name(self) -> dict[str, Field]:
        return {item.name: item for item in self.fields}

    @cached_property
    def fields_by_group(self) -> dict[str, tuple[Field, ...]]:
        """Every group's fields in layout order (the groups in order of their first field)."""
        groups: dict[str, list[Field]] = {}
        for item in self.fields:
            groups.setdefault(item.group, []).append(item)
        return {name: tuple(members) for name, members in groups.items()}

    @cached_property
    def bubbles_by_field(self) -> dict[str, tuple[Bubble, ...]]:
        found: dict[str, list[Bubble]] = {item.name: [] for item in self.fields}
        for bubble in self.bubbles:
            found[bubble.field].append(bubble)
        return {name: tuple(members) for name, members in found.items()}


def check_layout(layout: Layout) -> None:
    """Raise ValueError if the layout breaks the contract's invariants (ids, order, page)."""
    names = [item.name for item in layout.fields]
    if len(set(names)) != len(names):
        raise ValueError(f"{layout.form}: duplicate field names")
    ids = [bubble.id for bubble in layout.bubbles]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{layout.form}: duplicate bubble ids")
    fields = layout.field_by_name
    for bubble in layout.bubbles:
        owner = fields.get(bubble.field)
        if owner is None or bubble.value not in owner.values or bubble.id != f"{bubble.field}.{bubble.value}":
            raise ValueError(f"{layout.form}: bubble {bubble.id} does not match its field")
        if not (
            bubble.w_mm / 2 <= bubble.x_mm <= layout.width_mm - bubble.w_mm / 2
            and bubble.h_mm / 2 <= bubble.y_mm <= layout.height_mm - bubble.h_mm / 2
        ):
            raise ValueError(f"{layout.form}: bubble {bubble.id} is off the page")
    for item in layout.fields:
        if item.kind not in FIELD_KINDS:
            raise ValueError(f"{layout.form}: field {item.name} has unknown kind {item.kind}")
        values = [bubble.value for bubble in layout.bubbles_by_field[item.name]]
        if tuple(values) != item.values:
            raise ValueError(f"{layout.form}: bubbles of {item.name} are not its values in order")
