"""The machine-read forms, by name, and their layouts (built once, then cached).

The core knows the names and caches the layouts; how each form is drawn lives in ``forms/``,
which registers a builder per form when :mod:`forms.registry` is imported (every program that
prints or reads forms imports it). The reader itself never needs the builders: it is handed
:class:`~common.omr.layout.Layout` objects, and its worker processes get them pickled.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from common.omr.layout import Layout

if TYPE_CHECKING:
    from common.testspec import TestSpecification

FORM_NAMES: Final = ("answer-sheet", "application", "control-sheet")
DEFAULT_SPEC: Final = "ent2018"
_SPEC_FORMS: Final = frozenset({"answer-sheet", "control-sheet"})

Builder = Callable[["TestSpecification | None"], Layout]
_builders: dict[str, Builder] = {}
_cache: dict[tuple[str, str], Layout] = {}
_lock = threading.Lock()


def uses_spec(form: str) -> bool:
    """True for the forms drawn from a test specification (the answer sheet and its control sheet)."""
    return form in _SPEC_FORMS


def register(form: str, builder: Builder) -> None:
    """Say how ``form`` (one of :data:`FORM_NAMES`) is built; ``forms.registry`` calls this."""
    if form not in FORM_NAMES:
        raise KeyError(form)
    _builders[form] = builder


def get_layout(form: str, spec: TestSpecification | None = None) -> Layout:
    """The layout of ``form``; ``spec`` shapes the answer sheet (default: the 2018 ЕНТ).

    Raises KeyError for an unknown form name, or for a form whose builder was not registered
    (import :mod:`forms.registry` first). The same object is returned for equal inputs.
    """
    if form not in FORM_NAMES:
        raise KeyError(form)
    spec_key = ""
    if uses_spec(form):
        from common.testspec import shipped_spec

        spec = spec if spec is not None else shipped_spec(DEFAULT_SPEC)
        spec_key = spec.to_json()
    key = (form, spec_key)
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    builder = _builders.get(form)
    if builder is None:
        raise KeyError(f"{form}: no builder registered (import forms.registry)")
    layout = builder(spec if uses_spec(form) else None)
    with _lock:
        return _cache.setdefault(key, layout)
