"""The reader's regression trees (``common.omr.trees``): walked as scikit-learn walks them, saved and
read back whole, and a damaged trees file refused with a reason rather than read as something else."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from common.omr import sampling
from common.omr.reader import read_page
from common.omr.sampling import (
    FILL_TREES,
    fill_features,
    fill_trees,
    refine_design,
    ring_profile,
    spatial_features,
    tree_design,
)
from common.omr.trees import TreeEnsemble, TreeFileError
from forms.corpus import build_corpus
from forms.registry import get_layout


def _two_stumps() -> TreeEnsemble:
    """Tree 1: column 0 ≤ 0.5 → +1, else → +2 (nodes 0–2). Tree 2: column 1 ≤ −1 → +10, else a
    second split on column 0 ≤ 0.25 → +20 / +30 (nodes 3–7)."""
    return TreeEnsemble(
        feature=np.array([0, -1, -1, 1, -1, 0, -1, -1], np.int32),
        threshold=np.array([0.5, 0, 0, -1.0, 0, 0.25, 0, 0]),
        left=np.array([1, 1, 2, 4, 4, 6, 6, 7], np.int32),
        right=np.array([2, 1, 2, 5, 4, 7, 6, 7], np.int32),
        value=np.array([0, 1, 2, 0, 10, 0, 20, 30], np.float64),
        roots=np.array([0, 3], np.int32),
        baseline=0.5,
        columns=2,
    )


def test_every_row_ends_on_its_leaf_in_every_tree() -> None:
    trees = _two_stumps()
    rows = np.array([[0.0, -2.0], [0.5, 0.0], [0.9, 0.0], [0.2, 5.0], [0.3, -1.0]])
    assert trees.depth == 2
    # the threshold itself goes left, as in scikit-learn
    assert trees.predict(rows).tolist() == [11.5, 31.5, 32.5, 21.5, 11.5]
    assert trees.predict(np.zeros((0, 2))).shape == (0,)


def test_rows_of_the_wrong_width_are_refused() -> None:
    with pytest.raises(ValueError, match="2 columns"):
        _two_stumps().predict(np.zeros((3, 5)))


def test_trees_are_saved_and_read_back_whole(tmp_path: Path) -> None:
    trees = _two_stumps()
    trees.save(tmp_path / "trees.npz")
    again = TreeEnsemble.load(tmp_path / "trees.npz")
    rows = np.random.default_rng(1).uniform(-2, 2, size=(50, 2))
    assert np.array_equal(again.predict(rows), trees.predict(rows))


def test_a_damaged_trees_file_is_refused_with_a_reason(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"not a zip archive")
    with pytest.raises(TreeFileError, match=r"garbage\.npz"):
        TreeEnsemble.load(garbage)
    incomplete = tmp_path / "incomplete.npz"
    np.savez(incomplete, feature=np.zeros(3, np.int32))
    with pytest.raises(TreeFileError, match=r"incomplete\.npz"):
        TreeEnsemble.load(incomplete)
    with pytest.raises(FileNotFoundError):
        TreeEnsemble.load(tmp_path / "missing.npz")


def test_trees_pointing_outside_their_nodes_are_refused() -> None:
    trees = _two_stumps()
    with pytest.raises(TreeFileError, match="left"):
        replace(trees, left=trees.left + 5)
    with pytest.raises(TreeFileError, match="column"):
        replace(trees, columns=1)


def test_the_shipped_trees_read_the_readers_columns() -> None:
    assert FILL_TREES.exists(), "the reader's trees are shipped beside sampling.py"
    darkness = np.random.default_rng(2).uniform(0, 0.6, size=(3, 288))
    features, levels = fill_features(darkness)
    design = refine_design(spatial_features(darkness), np.ones(3), features, levels, np.full(3, 0.5), 0.1)
    rows = tree_design(design, ring_profile(darkness), np.full(3, 0.5), np.full(3, 0.5))
    trees = fill_trees()
    assert trees.columns == rows.shape[1]
    assert len(trees.roots) >= 50 and trees.depth >= 3
    # a correction of what the linear step left: small, never a reading of its own
    assert np.all(np.abs(trees.predict(rows)) < 0.1)


def test_without_its_trees_the_reader_reads_no_production_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bundle that lost the trees must not read on, less closely, as if nothing were missing."""
    sheet = build_corpus(1, 31, dpi=200, other_dpi_share=0.0, harsh_share=0.0, real_pencils=True)[0]
    layout = get_layout(sheet.form)
    assert not read_page(sheet.image, layout).unreadable

    monkeypatch.setattr(sampling, "FILL_TREES", Path("/nonexistent/fill_trees.npz"))
    fill_trees.cache_clear()
    try:
        assert read_page(sheet.image, layout).unreadable
    finally:
        monkeypatch.undo()
        fill_trees.cache_clear()
    assert not read_page(sheet.image, layout).unreadable
