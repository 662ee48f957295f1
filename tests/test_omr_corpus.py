"""READER.md's guarantees, proved on a fixed-seed corpus of 200 filled and damaged sheets.

The sheets (``forms.corpus``) are answer sheets and applications filled with clear marks,
left empty, double-marked, deliberately borderline, ticked, crossed, erased and scribbled, then
scanned with rotation up to ±10° and upside down, shift, scale, perspective, white and dark
backing, dust, blur, uneven light, low contrast, noise and JPEG down to quality 50, at 150–600
dpi. Every truth is measured on what was drawn. A failure message names the sheets and the
damage they got.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pytest
from corpus_cache import cached_corpus

from common.omr.pagecheck import MAX_BLUR_MM
from common.omr.reader import PRODUCTION_BAND, Flag, PageResult, ambiguous_band, read_files
from forms.corpus import PRODUCTION_DPIS, CorpusReport, CorpusSheet, build_corpus, check_reading

CORPUS_SIZE = 200
CORPUS_SEED = 20180501
pytestmark = pytest.mark.slow


def read_corpus(sheets: list[CorpusSheet]) -> list[PageResult]:
    by_form: dict[str, list[CorpusSheet]] = defaultdict(list)
    for sheet in sheets:
        by_form[sheet.form].append(sheet)
    results: dict[int, PageResult] = {}
    for form, members in by_form.items():
        paths = [sheet.path for sheet in members if sheet.path is not None]
        read = list(read_files(form, paths, workers=2))
        assert len(read) == len(members), "one result per one-page file"
        results.update({sheet.index: result for sheet, result in zip(members, read, strict=True)})
    return [results[sheet.index] for sheet in sheets]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[CorpusSheet], CorpusReport]:
    """Generated once per checkout (``corpus_cache``: generating is most of the time), read every run."""

    def build(folder: Path) -> list[CorpusSheet]:
        return build_corpus(CORPUS_SIZE, CORPUS_SEED, dpi=200, out_dir=folder, workers=2)

    sheets = cached_corpus(build, tmp_path_factory.mktemp("corpus"), size=CORPUS_SIZE, seed=CORPUS_SEED, dpi=200)
    assert [sheet.index for sheet in sheets] == list(range(CORPUS_SIZE))
    return sheets, check_reading(sheets, read_corpus(sheets))


def listing(lines: list[str], limit: int = 15) -> str:
    return "\n".join(lines[:limit]) + (f"\n… and {len(lines) - limit} more" if len(lines) > limit else "")


def test_the_corpus_covers_what_the_guarantees_speak_of(corpus: tuple[list[CorpusSheet], CorpusReport]) -> None:
    sheets, report = corpus
    kinds = {sheet.kind for sheet in sheets}
    assert kinds == {"clear", "borderline", "multiple", "messy", "empty"}
    assert {sheet.form for sheet in sheets} == {"answer-sheet", "application"}
    assert len({sheet.dpi for sheet in sheets}) >= 4 and min(s.dpi for s in sheets) == 150
    assert any(sheet.damage.upside_down for sheet in sheets)
    assert any(abs(sheet.damage.rotation_deg) > 9 for sheet in sheets)
    assert any(sheet.damage.jpeg_quality is not None and sheet.damage.jpeg_quality < 55 for sheet in sheets)
    assert report.borderline_marks >= 30
    assert report.bubbles_promised > 100_000


def test_no_silent_error(corpus: tuple[list[CorpusSheet], CorpusReport]) -> None:
    """A true fill ≥ 0.62 reads marked and ≤ 0.38 unmarked, unless flagged ambiguous or unreadable."""
    _sheets, report = corpus
    assert report.silent_errors == [], listing(report.silent_errors)


def test_every_borderline_mark_is_flagged(corpus: tuple[list[CorpusSheet], CorpusReport]) -> None:
    _sheets, report = corpus
    assert report.borderline_unflagged == [], listing(report.borderline_unflagged)


def test_at_most_one_percent_needless_review(corpus: tuple[list[CorpusSheet], CorpusReport]) -> None:
    _sheets, report = corpus
    assert report.needless_review_share <= 0.01, listing(report.needless_review)


def test_fill_ratio_error_within_eight_hundredths_at_the_95th_percentile(
    corpus: tuple[list[CorpusSheet], CorpusReport],
) -> None:
    _sheets, report = corpus
    assert report.fill_error_p95 <= 0.08


def test_unflagged_field_values_are_exactly_what_was_marked(corpus: tuple[list[CorpusSheet], CorpusReport]) -> None:
    _sheets, report = corpus
    assert report.wrong_values == [], listing(report.wrong_values)
    assert report.fields_checked > 0.95 * (report.fields_checked + report.fields_unpromised)


def test_pages_are_found_the_right_way_up_with_their_form_and_number(
    corpus: tuple[list[CorpusSheet], CorpusReport],
) -> None:
    _sheets, report = corpus
    assert report.wrong_form == [] and report.wrong_orientation == []
    assert report.wrong_numbers == [], "a sheet number is read right or not at all"
    assert report.numbers_read >= 0.97 * (report.pages - len(report.unreadable))


def test_the_check_catches_each_kind_of_failure(corpus: tuple[list[CorpusSheet], CorpusReport]) -> None:
    """The guarantees above are only as good as ``check_reading``: feed it a reader's mistakes."""
    sheets, _report = corpus
    sheet = next(s for s in sheets if s.borderline and s.kind == "borderline")
    result = read_corpus([sheet])[0]
    marked = next(b for b, fill in sheet.true_fills.items() if fill >= 0.8)
    field_name = marked.rsplit(".", 1)[0]

    silent = copy.deepcopy(result)
    silent.fields[field_name] = ""
    silent.bubbles[marked] = 0.1
    caught = check_reading([sheet], [silent])
    assert caught.silent_errors and caught.wrong_values and caught.fill_error_p95 > 0

    unflagged = copy.deepcopy(result)
    unflagged.flags = [flag for flag in unflagged.flags if flag.kind != "ambiguous"]
    assert check_reading([sheet], [unflagged]).borderline_unflagged

    clean, clean_result = next(
        (s, read)
        for s in sheets
        if not s.borderline and s.kind == "clear" and s.dpi in PRODUCTION_DPIS and not s.unpromised
        for read in read_corpus([s])
        if ambiguous_band(read.page_check.dpi, read.page_check.blur_mm) == PRODUCTION_BAND
    )
    needless = copy.deepcopy(clean_result)
    needless.flags.append(Flag(field_name, "ambiguous", (marked,)))
    caught = check_reading([clean], [needless])
    assert caught.needless_review
    assert caught.summary()["needless_review_share_production_clear"] == 1.0
    assert caught.summary()["needless_review_share_checked_clear"] == 1.0  # a production scan, as checked
    assert caught.summary()["checked_production_pages"] == 1
    assert len(caught.checked_clear_flagged) == 1 and f"{marked} true " in caught.checked_clear_flagged[0]
    assert caught.summary()["exact_reading_share_checked"] == 0.0, "no mark of this clear page is in the band"
    empty = next(bubble for bubble, fill in clean.true_fills.items() if fill < 0.05)
    in_margin = replace(clean, true_fills={**clean.true_fills, empty: PRODUCTION_BAND[1] - 0.005})
    assert check_reading([in_margin], [needless]).summary()["exact_reading_share_checked"] == 1.0
    soft = copy.deepcopy(needless)
    soft.page_check = replace(soft.page_check, blur_mm=MAX_BLUR_MM + 0.05)
    sent_back = check_reading([clean], [soft]).summary()
    assert sent_back["production_pages_failing_check"] == 1 and sent_back["checked_production_pages"] == 0


def test_a_corpus_is_the_same_whatever_the_number_of_workers() -> None:
    alone = build_corpus(4, 7, dpi=150, workers=1, other_dpi_share=0.0)
    shared = build_corpus(4, 7, dpi=150, workers=2, other_dpi_share=0.0)

    assert [s.file_bytes() for s in alone] == [s.file_bytes() for s in shared]
    assert [s.true_fills for s in alone] == [s.true_fills for s in shared]
    assert len({s.file_bytes() for s in alone}) == 4
