"""The corpus filled as real pencils do (``real_pencils``, issue 10): what the held-out corpus had."""

from __future__ import annotations

import numpy as np

from forms.corpus import REAL_PENCILS, build_corpus


def test_real_pencils_add_light_fills_spills_ticks_and_stray_touches() -> None:
    sheets = build_corpus(8, 31, dpi=150, workers=2, other_dpi_share=0.0, real_pencils=True)
    plain = build_corpus(8, 31, dpi=150, workers=2, other_dpi_share=0.0)
    styles = [mark.style for sheet in sheets for mark in sheet.marks.values()]
    answers = [sheet.true_fills[bubble] for sheet in sheets for bubble, mark in sheet.marks.items() if mark.fill >= 0.5]
    light = np.mean([0.6 <= fill <= 0.77 for fill in answers])
    low, high = REAL_PENCILS["light_fill"][1]
    assert (low, high) == (0.62, 0.75)
    assert 0.05 <= light <= 0.16, light
    light_marks = [
        sheet.true_fills[bubble]
        for sheet in sheets
        for bubble, mark in sheet.marks.items()
        if mark.style in ("pencil", "partial", "scribble") and low <= mark.fill <= high
    ]
    # drawn inside the light range, not just aimed at it: a scribble or partial fill aimed at 0.63
    # once landed at 0.59 — in no guarantee's range, and a needless review charged to the reader
    assert light_marks and min(light_marks) >= low, sorted(light_marks)[:5]
    assert "spill" in styles and "residue" in styles and "tick" in styles
    touches = [
        sheet.true_fills[bubble] for sheet in sheets for bubble, mark in sheet.marks.items() if mark.style == "residue"
    ]
    assert touches and all(fill <= 0.32 for fill in touches)
    plain_light = np.mean(
        [
            0.6 <= sheet.true_fills[bubble] <= 0.77
            for sheet in plain
            for bubble, mark in sheet.marks.items()
            if mark.fill >= 0.5
        ]
    )
    assert plain_light < 0.02, "the default corpus keeps clear of the promised band's edges"
