"""Batches: a worker process that dies on one file costs that file only, never the batch."""

from __future__ import annotations

import os
from pathlib import Path

import cv2

from common.omr import reader
from common.omr.reader import PageResult
from forms.registry import get_layout
from forms.render import render_page_image


def die_on_poison(path: Path) -> list[PageResult]:
    """Stands in for a crash in native code: the worker process ends abruptly on 'poison' files."""
    if "poison" in path.name:
        os._exit(3)
    return reader._read_in_worker(path)


def test_a_crashing_file_is_unreadable_and_the_others_are_read_in_order(tmp_path: Path) -> None:
    page = render_page_image(get_layout("answer-sheet"), 100, number="0000001")
    good = tmp_path / "good.png"
    cv2.imwrite(str(good), page)
    poison = tmp_path / "poison.png"
    cv2.imwrite(str(poison), page)
    files = [good, good, poison, good, good, good, good]
    results = list(reader._read_in_pool(get_layout("answer-sheet"), files, 2, die_on_poison))
    assert [r.image for r in results] == [str(path) for path in files]
    assert [r.unreadable for r in results] == [False, False, True, False, False, False, False]
    assert results[2].flags[0].reason == "error"
    assert all(r.sheet_number == "0000001" for i, r in enumerate(results) if i != 2)
