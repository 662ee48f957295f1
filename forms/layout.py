"""The layout model now lives in the core (:mod:`common.omr.layout`); this name is kept for code
written before the move."""

from common.omr.layout import (
    FIELD_KINDS,
    Bubble,
    Field,
    FieldKind,
    Frame,
    Layout,
    Mark,
    Rect,
    Text,
    TextAnchor,
    check_layout,
)

__all__ = [
    "FIELD_KINDS",
    "Bubble",
    "Field",
    "FieldKind",
    "Frame",
    "Layout",
    "Mark",
    "Rect",
    "Text",
    "TextAnchor",
    "check_layout",
]
