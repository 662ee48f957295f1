"""The large-site rehearsal (``benchmarks/large_site.py``, issue 19) at a tiny scale: every stage runs and its
counts add up; the fast path of the simulated scanner's printing gives the very pages of the slow one."""

from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks import large_site
from common.scanning.simulated import _printed_page
from common.testspec import shipped_spec
from forms.registry import get_layout


@pytest.mark.parametrize("number", ["0000001", "0004711", "9876543", None])
def test_the_fast_printed_page_is_the_rendered_page_pixel_for_pixel(number: str | None) -> None:
    layout = get_layout("answer-sheet", shipped_spec("ent2018"))

    fast = large_site.fast_printed_page(layout, 200, number)

    assert np.array_equal(fast, _printed_page(layout, 200, number))


def test_a_tiny_site_runs_every_stage_and_the_counts_add_up() -> None:
    applicants, streams, rooms = 8, 2, 2

    result = large_site.run_site(applicants, streams, rooms, workers=1, scanned=1)

    assert result["seated"] == applicants
    assert result["distribution"]["placed"] == applicants
    assert result["distribution"]["rooms"] == streams * rooms
    assert result["prints"]["seated"] == applicants
    assert result["prints"]["rooms"] == streams * rooms
    assert result["prints"]["pages"] > 0
    scan = result["scan"]
    per_stream = applicants // streams
    assert scan["pages"] == 2 * per_stream == result["rendering"]["pages"]  # one stream of two scanned
    assert scan["stored"] == scan["pages"] and scan["rescan"] == 0
    assert scan["read"] == per_stream
    assert scan["differences"] == 2 * rooms  # each room's pass 2 has one answer changed: its old and new bubble
    assert scan["flagged"] == rooms
    # the planted changes are not counted among the others: these few pages read alike in both passes
    assert scan["unplanted_sheets"] == 0 and scan["unplanted_kinds"] == {} and scan["unplanted_found"] == []
    assert scan["identified"] + scan["protocol"] == per_stream
    assert scan["identified"] == per_stream - rooms  # the sheet whose passes differ waits for the decision
    assert 0 < result["scoring"]["scored"] <= applicants
    assert result["scoring"]["results"] == applicants
    assert result["certificates"]["certificates"] == applicants
    for stage in large_site.STAGES:
        assert result[stage]["peak_mb"] > 0 and result[stage]["ms_per_applicant"] > 0, stage
    assert result["holds_back"] in large_site.STAGES
    json.dumps(result)
    table = large_site.markdown(result)
    assert "Holds the day back" in table and "scaled up from 1" in table
    assert "besides the planted change of each room: 0 of 4 sheets" in table


def test_the_distribution_stage_places_a_site_of_more_streams_than_five() -> None:
    """A site has up to 10 streams (the distribution benchmark's database once held 5 and failed on a 6th)."""
    result = large_site.stage_distribution(14, 7, 1)

    assert result["placed"] == 14 and result["rooms"] == 7
