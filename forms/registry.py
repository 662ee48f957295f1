"""The forms ``ent-omr`` knows, by name, and their layouts (built once, then cached)."""

from __future__ import annotations

import threading
from typing import Final

from common.testspec import TestSpecification, shipped_spec
from forms.layout import Layout

FORM_NAMES: Final = ("answer-sheet", "application", "control-sheet")
DEFAULT_SPEC: Final = "ent2018"
_SPEC_FORMS: Final = frozenset({"answer-sheet", "control-sheet"})

_cache: dict[tuple[str, str], Layout] = {}
_lock = threading.Lock()


def uses_spec(form: str) -> bool:
    """True for the forms drawn from a test specification (the answer sheet and its control sheet)."""
    return form in _SPEC_FORMS


def get_layout(form: str, spec: TestSpecification | None = None) -> Layout:
    """The layout of ``form``; ``spec`` shapes the answer sheet (default: the 2018 ЕНТ).

    Raises KeyError for an unknown form name. The same object is returned for equal inputs.
    """
    if form not in FORM_NAMES:
        raise KeyError(form)
    spec_key = ""
    if uses_spec(form):
        spec = spec if spec is not None else shipped_spec(DEFAULT_SPEC)
        spec_key = spec.to_json()
    key = (form, spec_key)
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    layout = _build(form, spec)
    with _lock:
        return _cache.setdefault(key, layout)


def _build(form: str, spec: TestSpecification | None) -> Layout:
    if form == "application":
        from forms.application import build_application

        return build_application()
    from forms.answer_sheet import build_answer_sheet

    assert spec is not None
    return build_answer_sheet(spec, form=form)
