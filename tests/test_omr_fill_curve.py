"""Fills read as the expected share of ink (issue 10): light pencil marks read closely on production
scans, so the band that sends a page to review can be narrow there — and only there."""

from __future__ import annotations

import numpy as np
import pytest

from common.omr.pagecheck import DPI_RANGE, MAX_BLUR_MM
from common.omr.reader import AMBIGUOUS_BAND, PRODUCTION_BAND, ambiguous_band, read_page
from common.omr.sampling import fill_features, fills_from_features
from forms.corpus import build_corpus
from forms.registry import get_layout


@pytest.mark.parametrize("level", [0.45, 0.6, 0.8, 1.0])
@pytest.mark.parametrize("share", [0.0, 0.25, 0.5, 0.7, 1.0])
def test_a_clean_mark_of_any_darkness_reads_its_share(level: float, share: float) -> None:
    samples = 288
    darkness = np.zeros((1, samples), np.float32)
    darkness[0, : round(share * samples)] = level
    fills = fills_from_features(*fill_features(darkness))
    # a real mark is never this even (its grain and edges are what the curve is fitted on): 0.035 at most
    assert abs(float(fills[0]) - share) <= 0.04, (level, share, fills)


def test_the_band_is_narrow_only_where_the_page_check_passes_resolution_and_sharpness() -> None:
    assert ambiguous_band(200, 0.1) == PRODUCTION_BAND
    assert ambiguous_band(DPI_RANGE[1], MAX_BLUR_MM) == PRODUCTION_BAND
    assert ambiguous_band(150, 0.1) == AMBIGUOUS_BAND
    assert ambiguous_band(600, 0.05) == AMBIGUOUS_BAND
    assert ambiguous_band(200, MAX_BLUR_MM + 0.01) == AMBIGUOUS_BAND
    assert ambiguous_band(200, None) == AMBIGUOUS_BAND
    low, high = PRODUCTION_BAND
    assert AMBIGUOUS_BAND[0] <= low < 0.42 and 0.58 < high <= AMBIGUOUS_BAND[1]


def test_light_pencil_marks_on_production_scans_read_closely_and_rarely_go_to_review() -> None:
    """Real pencils leave many marks of 0.62–0.75: read with a hard ink threshold they scattered by
    sd 0.022, and the wide band sent every page to review."""
    sheets = build_corpus(12, 2026, dpi=200, workers=2, other_dpi_share=0.0, harsh_share=0.0, real_pencils=True)
    errors: list[float] = []
    needless = pages = 0
    for sheet in sheets:
        layout = get_layout(sheet.form)
        result = read_page(sheet.image, layout)
        assert not result.unreadable
        for bubble in layout.bubbles:
            truth = sheet.true_fills[bubble.id]
            if 0.62 <= truth <= 0.75:
                errors.append(result.bubbles[bubble.id] - truth)
            if truth >= 0.62 or truth <= 0.38:
                assert (bubble.value in result.fields[bubble.field]) == (truth >= 0.5) or any(
                    flag.kind == "ambiguous" and flag.field == bubble.field for flag in result.flags
                ), bubble.id
        if not sheet.borderline:
            pages += 1
            needless += result.has_flag("ambiguous")
    assert len(errors) >= 60
    assert abs(float(np.mean(errors))) <= 0.01 and float(np.std(errors)) <= SD_LIMIT, (np.mean(errors), np.std(errors))
    assert needless <= NEEDLESS_LIMIT * pages, (needless, pages)


SD_LIMIT = 0.010
"""The hard threshold read these 12 pages' light marks with sd 0.022; the fitted curve 0.014, the
curve and its linear refinement 0.009, with the refinement's trees 0.008."""
NEEDLESS_LIMIT = 0.3
"""The hard threshold and the wide band sent 10 of their 10 pages without a borderline mark to
review; the curve and the band 0.38–0.62 5; the refinement and the band 0.40–0.60 1, and so do
its trees with the band 0.39–0.60."""
