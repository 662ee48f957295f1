"""``tools/fit_fill_curve.py``, which ``common.omr.sampling.FILL_CURVE`` says it was fitted with: on a
few real-pencil sheets it measures the bubbles as the reader does and refits a table that reads
held-out light marks about as closely as the reader's own."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np

from common.omr.sampling import FILL_CURVE, REFINE_COEFFICIENTS, fills_from_features
from common.omr.trees import TreeEnsemble

TOOL = Path(__file__).resolve().parents[1] / "tools" / "fit_fill_curve.py"


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fit_fill_curve", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _light_mark_errors(data: dict[str, np.ndarray], curve: np.ndarray) -> np.ndarray:
    truth = data["truth"]
    light = (truth >= 0.62) & (truth <= 0.75)
    return (fills_from_features(data["features"], data["levels"], curve) - truth)[light]


def test_the_tool_refits_a_table_that_reads_held_out_light_marks_as_the_readers_does(tmp_path: Path) -> None:
    tool = _tool()
    train = tool.measure(10, 200, 8, tmp_path)
    cached = tool.measure(10, 200, 8, tmp_path)  # taken from the cache, not measured again
    assert (tmp_path / "fill-features-10-200-8.npz").exists()
    assert all(np.array_equal(train[key], cached[key]) for key in train)
    held_out = tool.measure(12, 200, 8)
    current = np.asarray(FILL_CURVE, dtype=np.float64)

    curve = tool.fit(train, current)

    assert curve.shape == current.shape
    refitted, readers = _light_mark_errors(held_out, curve), _light_mark_errors(held_out, current)
    assert len(refitted) >= 60
    assert abs(float(refitted.mean())) <= 0.01, refitted.mean()
    assert float(refitted.std()) <= min(0.02, float(readers.std()) + 0.005), (refitted.std(), readers.std())


def test_the_tool_fits_a_refinement_that_reads_held_out_light_marks_closer_than_its_curve(tmp_path: Path) -> None:
    tool = _tool()
    train = tool.measure(10, 200, 30, tmp_path, borderline_share=0.5)
    assert (tmp_path / "fill-features-10-200-30-b0.5.npz").exists()
    held_out = tool.measure(12, 200, 10)
    curve = tool.fit(train, np.asarray(FILL_CURVE, dtype=np.float64))

    refinement = tool.fit_refinement(train, curve)

    assert refinement.shape == (len(REFINE_COEFFICIENTS),)
    truth = held_out["truth"]
    light = (truth >= 0.62) & (truth <= 0.75)
    assert light.sum() >= 60
    curve_error = (tool.read(held_out, curve, None) - truth)[light]
    refined_error = (tool.read(held_out, curve, refinement) - truth)[light]
    assert abs(float(refined_error.mean())) <= 0.01, refined_error.mean()
    assert float(refined_error.std()) < float(curve_error.std()), (refined_error.std(), curve_error.std())


def test_the_tools_trees_walk_as_scikit_learns_do() -> None:
    from sklearn.ensemble import HistGradientBoostingRegressor

    tool = _tool()
    rng = np.random.default_rng(5)
    rows = rng.uniform(-1, 1, size=(3000, 6))
    target = np.sin(3 * rows[:, 0]) * rows[:, 1] + 0.1 * rng.normal(size=3000)
    model = HistGradientBoostingRegressor(max_iter=60, max_leaf_nodes=15, random_state=0).fit(rows, target)

    trees = tool.ensemble_of(model, rows.shape[1])

    assert len(trees.roots) == model.n_iter_
    fresh = rng.uniform(-1.2, 1.2, size=(500, 6))
    assert np.allclose(trees.predict(fresh), model.predict(fresh), atol=1e-12)


def test_the_tool_fits_trees_that_read_held_out_marks_closer_than_the_linear_step(tmp_path: Path) -> None:
    tool = _tool()
    train = tool.measure(10, 200, 30, tmp_path, borderline_share=0.5)
    held_out = tool.measure(12, 200, 10)
    curve = tool.fit(train, np.asarray(FILL_CURVE, dtype=np.float64))
    refinement = tool.fit_refinement(train, curve)

    tool.fit_trees(train, curve, refinement).save(tmp_path / "trees.npz")
    trees = TreeEnsemble.load(tmp_path / "trees.npz")  # read back as the reader reads the shipped file

    truth = held_out["truth"]
    decisive = (truth > 0.38) & (truth <= 0.75)
    assert decisive.sum() >= 80
    linear_error = (tool.read(held_out, curve, refinement) - truth)[decisive]
    trees_error = (tool.read(held_out, curve, refinement, trees) - truth)[decisive]
    assert abs(float(trees_error.mean())) <= 0.01, trees_error.mean()
    assert float(trees_error.std()) < float(linear_error.std()), (trees_error.std(), linear_error.std())
