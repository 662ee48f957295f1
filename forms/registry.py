"""The forms ``ent-omr`` knows: their builders registered with the core's registry
(:mod:`common.omr.registry`), which names them and caches their layouts."""

from __future__ import annotations

from common.omr.layout import Layout
from common.omr.registry import DEFAULT_SPEC, FORM_NAMES, get_layout, register, uses_spec
from common.testspec import TestSpecification

__all__ = ["DEFAULT_SPEC", "FORM_NAMES", "get_layout", "uses_spec"]


def _application(_spec: TestSpecification | None) -> Layout:
    from forms.application import build_application

    return build_application()


def _answer_sheet(spec: TestSpecification | None) -> Layout:
    from forms.answer_sheet import build_answer_sheet

    assert spec is not None
    return build_answer_sheet(spec)


def _control_sheet(spec: TestSpecification | None) -> Layout:
    from forms.answer_sheet import build_answer_sheet

    assert spec is not None
    return build_answer_sheet(spec, form="control-sheet")


register("application", _application)
register("answer-sheet", _answer_sheet)
register("control-sheet", _control_sheet)
