"""Refit the reader's transfer curve and its refinement (``common.omr.sampling.FILL_CURVE``,
``REFINE_COEFFICIENTS`` and the trees in ``common/omr/fill_trees.npz``) on the real-pencil corpus.

    .venv/bin/python tools/fit_fill_curve.py [--train 10 11 20 … 27] [--test 12 13] [--sheets 150]
        [--dpis 200 300] [--borderline-share 0.5] [--cache DIR] [--trees-out fill_trees.npz]

A bubble's fill is the mean, over its samples, of ``w(darkness ÷ level, level)`` — the expected
share of ink at a sample that dark, for a mark that dark (:func:`common.omr.sampling.fill_features`):
linear in the table ``w``, so the table is one weighted least-squares fit of the true fills
(:mod:`common.omr.synth` measures them on what was drawn). This builds ``--sheets`` sheets per seed
and resolution (``forms.corpus`` with ``real_pencils``, all at that resolution, half with a
production scanner's damage and half harsh), measures every bubble as the reader does
(:func:`common.omr.reader.bubble_darkness`), fits on the ``--train`` seeds only and judges on the
``--test`` seeds: the error of marks with a true fill of 0.62–0.75 and 0.38–0.62, and, for a few
bands, the share of pages without a borderline mark that the band would flag, and how many
borderline marks (0.42–0.58) it would miss. It prints the tables to paste into ``sampling.py`` and
writes the trees to ``--trees-out`` (to copy over ``common/omr/fill_trees.npz``).

The training sheets are ``--borderline-share`` borderline sheets (the held-out ones keep the exam's
mix): the refinement needs marks near the band to learn from, and the exam's mix holds few.

The curve's weights: empty bubbles (true and read fill ≤ 0.02) count 0.05, touched ones 1, true fills
of 0.3–0.8 (where the decisions are made) 4. The curve is kept smooth: its second differences along
the ratio and (less) its differences between levels are penalised (``SMOOTH``, ``ACROSS``). The
refinement (:func:`common.omr.sampling.refine_fills`) is then fitted in two steps on the bubbles the
new curve reads within ``REFINE_RANGE``, true fills of 0.36–0.78 weighted 4: a ridge regression
(``REFINE_RIDGE``) on where the ink lies, then gradient-boosted regression trees (scikit-learn,
``TREE_SETTINGS``; a tool-time dependency, the reader walks the trees with NumPy) on what the ridge
regression left.

A run starts from the tables in ``sampling.py``: the curve's weights take their reading (which bubbles
were touched), and ring profiles are kept where they read 0.10–0.95. So a rerun after pasting differs a
little: run again from the tables of 2026-12-05, the curve moved by at most 0.006 and 240 trees came out
(221 shipped), reading the held-out marks as closely (sd 0.0077 / 0.0062 for light marks, 0.010 / 0.011
for marks of 0.38–0.62, 200 / 300 dpi).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common.omr.reader import bubble_darkness  # noqa: E402
from common.omr.sampling import (  # noqa: E402
    FILL_CURVE,
    FILL_TREES,
    LEVEL_KNOTS,
    RATIO_KNOTS,
    REFINE_COEFFICIENTS,
    fill_features,
    fill_trees,
    fills_from_features,
    mark_level,
    refine_design,
    refined_bubbles,
    ring_profile,
    spatial_features,
    tree_design,
    with_refinement,
)
from common.omr.trees import TreeEnsemble  # noqa: E402
from forms.corpus import iter_corpus  # noqa: E402
from forms.registry import get_layout  # noqa: E402

RIDGE = 1e-6
SMOOTH = 1.0
ACROSS = 0.3
REFINE_RIDGE = 1e-2
TREE_SETTINGS: dict[str, Any] = {
    "max_iter": 400,
    "learning_rate": 0.05,
    "max_leaf_nodes": 31,
    "min_samples_leaf": 40,
    "l2_regularization": 1.0,
    "early_stopping": True,
    "validation_fraction": 0.1,
    "random_state": 0,
}
PROFILED_AROUND = 0.425
"""Ring profiles are kept for bubbles the current curve reads within 0.525 ± this (0.10–0.95): a
margin around REFINE_RANGE for the refit curve."""
BANDS = ((0.30, 0.66), (0.38, 0.62), (0.39, 0.61), (0.395, 0.605), (0.40, 0.60), (0.39, 0.60))


def measure(
    seed: int, dpi: int, sheets: int, cache: Path | None = None, borderline_share: float | None = None
) -> dict[str, np.ndarray]:
    """Features, truth and page of every bubble of ``sheets`` real-pencil sheets at ``dpi``
    (kept in ``cache`` when given, and taken from there the next time)."""
    share = "" if borderline_share is None else f"-b{borderline_share:g}"
    saved = None if cache is None else cache / f"fill-features-{seed}-{dpi}-{sheets}{share}.npz"
    if saved is not None and saved.exists():
        with np.load(saved) as stored:
            if "profile" in stored.files:  # caches from before the trees are measured again
                return {key: stored[key] for key in stored.files}
    columns: dict[str, list[np.ndarray]] = {
        key: [] for key in ("features", "levels", "spatial", "level", "truth", "page", "blur", "profiled", "profile")
    }
    counted = 0
    started = time.perf_counter()
    for sheet in iter_corpus(
        sheets, seed, dpi, other_dpi_share=0.0, real_pencils=True, borderline_share=borderline_share
    ):
        layout = get_layout(sheet.form)
        measured = bubble_darkness(sheet.image, layout)
        if measured is None:
            continue
        darkness, blur_mm = measured
        f, lv = fill_features(darkness)
        columns["features"].append(f)
        columns["levels"].append(lv)
        columns["spatial"].append(spatial_features(darkness).astype(np.float32))
        columns["level"].append(mark_level(darkness))
        columns["truth"].append(np.array([sheet.true_fills[b.id] for b in layout.bubbles]))
        columns["page"].append(np.full(len(layout.bubbles), (seed * 1000 + dpi) * 100_000 + sheet.index))
        columns["blur"].append(np.full(len(layout.bubbles), blur_mm or 0.0))
        # the trees' ring profiles only where a refit curve can read a decisive fill (the rest are
        # empty or full bubbles, and would make the cache a hundred times larger)
        profiled = np.flatnonzero(np.abs(fills_from_features(f, lv) - 0.525) <= PROFILED_AROUND)
        columns["profiled"].append(profiled + counted)
        columns["profile"].append(ring_profile(darkness[profiled]).astype(np.float32))
        counted += len(layout.bubbles)
    print(
        f"seed {seed}, {dpi} dpi: {len(columns['truth'])} sheets in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    data = {key: np.concatenate(parts) for key, parts in columns.items()}
    if saved is not None:
        saved.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(saved, **data)  # type: ignore[arg-type]  # numpy's stub types allow_pickle so
    return data


def joined(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The bubbles of several measurements as one (the profiled bubbles' indices moved along)."""
    offsets = np.cumsum([0] + [len(part["truth"]) for part in parts[:-1]])
    data = {key: np.concatenate([part[key] for part in parts]) for key in parts[0] if key != "profiled"}
    data["profiled"] = np.concatenate([part["profiled"] + offset for part, offset in zip(parts, offsets, strict=True)])
    return data


def design(data: dict[str, np.ndarray]) -> np.ndarray:
    features, levels = data["features"], data["levels"]
    return (levels[:, :, None] * features[:, None, :]).reshape(len(features), -1)


def fit(data: dict[str, np.ndarray], current: np.ndarray) -> np.ndarray:
    """The transfer curve (levels × ratios) that reads ``data``'s true fills best."""
    truth = data["truth"]
    read = fills_from_features(data["features"], data["levels"], current)
    weight = np.where((truth > 0.02) | (read > 0.02), 1.0, 0.05)
    weight = np.where((truth > 0.3) & (truth < 0.8), 4.0, weight)
    root = np.sqrt(weight)[:, None]
    matrix = design(data) * root
    levels, ratios = len(LEVEL_KNOTS), len(RATIO_KNOTS)
    # penalties: the curve's second differences along the ratio, first differences across levels
    along = np.kron(np.eye(levels), np.diff(np.eye(ratios), 2, axis=0)) * np.sqrt(SMOOTH)
    across = np.kron(np.diff(np.eye(levels), 1, axis=0), np.eye(ratios)) * np.sqrt(SMOOTH) * ACROSS
    ridge = np.sqrt(RIDGE) * np.eye(levels * ratios)
    lhs = np.vstack([matrix, along, across, ridge])
    rhs = np.concatenate([truth * root[:, 0], np.zeros(len(along) + len(across) + len(ridge))])
    solution = np.linalg.lstsq(lhs, rhs, rcond=None)[0]
    return solution.reshape(levels, ratios)


def refinement_rows(data: dict[str, np.ndarray], fills: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which bubbles the refinement reads (the curve's ``fills`` in ``REFINE_RANGE``), and their
    :func:`refine_design` rows, each with its own page's blur."""
    chosen = refined_bubbles(fills)
    rows = refine_design(
        data["spatial"][chosen].astype(np.float64),
        data["level"][chosen],
        data["features"][chosen],
        data["levels"][chosen],
        fills[chosen],
        data["blur"][chosen],
    )
    return chosen, rows


def fit_refinement(data: dict[str, np.ndarray], curve: np.ndarray) -> np.ndarray:
    """The refinement's coefficients on top of ``curve`` (ridge regression, decisive fills weighted)."""
    chosen, rows = refinement_rows(data, fills_from_features(data["features"], data["levels"], curve))
    truth = data["truth"][chosen]
    root = np.sqrt(np.where((truth > 0.36) & (truth < 0.78), 4.0, 1.0))[:, None]
    matrix = rows * root
    lhs = matrix.T @ matrix + REFINE_RIDGE * np.eye(rows.shape[1])
    return np.asarray(np.linalg.solve(lhs, matrix.T @ (truth * root[:, 0])))


def tree_rows(
    data: dict[str, np.ndarray], curve: np.ndarray, refinement: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The curve's fills of every bubble, the bubbles the refinement reads, their linear readings,
    which of those have a measured ring profile, and those ones' :func:`tree_design` rows."""
    fills = fills_from_features(data["features"], data["levels"], curve)
    chosen, rows = refinement_rows(data, fills)
    linear = with_refinement(fills, chosen, rows @ refinement)[chosen]
    slot = np.full(len(fills), -1)
    slot[data["profiled"]] = np.arange(len(data["profiled"]))
    known = slot[chosen] >= 0
    profile = data["profile"][slot[chosen][known]].astype(np.float64)
    return fills, chosen, linear, known, tree_design(rows[known], profile, fills[chosen][known], linear[known])


def fit_trees(data: dict[str, np.ndarray], curve: np.ndarray, refinement: np.ndarray) -> TreeEnsemble:
    """Regression trees for what the linear refinement left of the true fills (gradient boosting,
    decisive fills weighted as for the refinement; a tenth of the bubbles held back to stop it)."""
    try:
        from sklearn.ensemble import HistGradientBoostingRegressor
    except ImportError:
        sys.exit("fit_fill_curve: scikit-learn is needed to fit the trees (python3 tasks.py setup installs it)")
    _, chosen, linear, known, rows = tree_rows(data, curve, refinement)
    truth = data["truth"][chosen][known]
    model = HistGradientBoostingRegressor(**TREE_SETTINGS)
    model.fit(rows, truth - linear[known], sample_weight=np.where((truth > 0.36) & (truth < 0.78), 4.0, 1.0))
    return ensemble_of(model, rows.shape[1])


def ensemble_of(model: Any, columns: int) -> TreeEnsemble:
    """scikit-learn's fitted trees (``_predictors``, its private layout: the lock pins the version and
    ``tests/test_tools_fit_fill_curve.py`` checks both predict alike) as a :class:`TreeEnsemble`."""
    parts: dict[str, list[np.ndarray]] = {name: [] for name in ("feature", "threshold", "left", "right", "value")}
    roots, offset = [], 0
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        own = np.arange(len(nodes)) + offset
        parts["feature"].append(np.where(leaf, -1, nodes["feature_idx"]))
        parts["threshold"].append(nodes["num_threshold"])
        parts["left"].append(np.where(leaf, own, nodes["left"] + offset))
        parts["right"].append(np.where(leaf, own, nodes["right"] + offset))
        parts["value"].append(np.where(leaf, nodes["value"], 0.0))
        roots.append(offset)
        offset += len(nodes)
    arrays = {name: np.concatenate(values) for name, values in parts.items()}
    arrays["roots"] = np.asarray(roots)
    return TreeEnsemble.from_arrays(arrays, float(np.ravel(model._baseline_prediction)[0]), columns)


def read(
    data: dict[str, np.ndarray], curve: np.ndarray, refinement: np.ndarray | None, trees: TreeEnsemble | None = None
) -> np.ndarray:
    """The reader's fills of ``data``'s bubbles with these tables (as :func:`refine_fills` reads them;
    a bubble without a ring profile keeps its linear reading)."""
    fills = fills_from_features(data["features"], data["levels"], curve)
    if refinement is None or len(refinement) == 0:
        return fills
    if trees is None:
        chosen, rows = refinement_rows(data, fills)
        return with_refinement(fills, chosen, rows @ refinement)
    fills, chosen, linear, known, rows = tree_rows(data, curve, refinement)
    estimates = linear.copy()
    estimates[known] += trees.predict(rows)
    return with_refinement(fills, chosen, estimates)


def judge(
    name: str,
    data: dict[str, np.ndarray],
    curve: np.ndarray,
    refinement: np.ndarray | None = None,
    trees: TreeEnsemble | None = None,
) -> None:
    truth = data["truth"]
    read_fills = read(data, curve, refinement, trees)
    error = read_fills - truth
    light = (truth >= 0.62) & (truth <= 0.75)
    near = (truth > 0.38) & (truth < 0.62)
    print(
        f"{name}: light marks {light.sum()}: bias {error[light].mean():+.4f} sd {error[light].std():.4f}"
        f" worst {error[light].min():+.3f}; 0.38–0.62 marks {near.sum()}: sd {error[near].std():.4f}"
        f" range {error[near].min():+.3f}…{error[near].max():+.3f}"
    )
    blur = data["blur"]
    for low_blur, high_blur in ((0.0, 0.1), (0.1, 0.13), (0.13, 0.17), (0.17, 1.0)):
        chosen = (light | near) & (blur >= low_blur) & (blur < high_blur)
        if chosen.any():
            print(
                f"  blur_mm {low_blur:.2f}–{high_blur:.2f}: marks of 0.38–0.75 {chosen.sum()}: sd"
                f" {error[chosen].std():.4f}, range {error[chosen].min():+.3f}…{error[chosen].max():+.3f}"
            )
    borderline = (truth >= 0.42) & (truth <= 0.58)
    pages, index = np.unique(data["page"], return_inverse=True)
    has_borderline = np.bincount(index, borderline, minlength=len(pages)) > 0
    has_near = np.bincount(index, near, minlength=len(pages)) > 0
    for low, high in BANDS:
        flagged = (read_fills >= low) & (read_fills < high)
        flagged_pages = np.bincount(index, flagged, minlength=len(pages)) > 0
        needless = (flagged_pages & ~has_borderline).sum() / max(1, (~has_borderline).sum())
        clean = (flagged_pages & ~has_near).sum() / max(1, (~has_near).sum())
        missed = int((borderline & ~flagged).sum())
        wrong = ((truth >= 0.62) & (read_fills < 0.5)) | ((truth <= 0.38) & (read_fills >= 0.5))
        silent = int((wrong & ~flagged).sum())
        print(
            f"  band {low:.3f}–{high:.3f}: needless review {100 * needless:.1f} % of {(~has_borderline).sum()}"
            f" pages ({100 * clean:.1f} % of the {(~has_near).sum()} with no mark in 0.38–0.62),"
            f" borderline missed {missed} of {borderline.sum()}, silent {silent}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=int, nargs="+", default=[10, 11, *range(20, 28)])
    parser.add_argument("--test", type=int, nargs="+", default=[12, 13])
    parser.add_argument("--sheets", type=int, default=150, help="sheets per seed and resolution")
    parser.add_argument("--dpis", type=int, nargs="+", default=[200, 300])
    parser.add_argument("--borderline-share", type=float, default=0.5, help="borderline sheets among the training ones")
    parser.add_argument("--cache", type=Path, help="keep the measured features here (a rerun only refits)")
    parser.add_argument(
        "--trees-out", type=Path, default=Path("fill_trees.npz"), help="where the fitted trees are written"
    )
    args = parser.parse_args()
    current = np.asarray(FILL_CURVE, dtype=np.float64)
    current_refinement = np.asarray(REFINE_COEFFICIENTS, dtype=np.float64)
    train = joined(
        [measure(seed, dpi, args.sheets, args.cache, args.borderline_share) for seed in args.train for dpi in args.dpis]
    )
    curve = fit(train, current)
    refinement = fit_refinement(train, curve)
    trees = fit_trees(train, curve, refinement)
    judge(f"train (seeds {args.train}), the curve alone", train, curve)
    judge(f"train (seeds {args.train}), refined", train, curve, refinement, trees)
    shipped = fill_trees() if FILL_TREES.exists() else None
    for dpi in args.dpis:
        test = joined([measure(seed, dpi, args.sheets, args.cache) for seed in args.test])
        judge(f"held out (seeds {args.test}, {dpi} dpi), the curve alone", test, curve)
        judge(f"held out (seeds {args.test}, {dpi} dpi), refined linearly", test, curve, refinement)
        judge(f"held out (seeds {args.test}, {dpi} dpi), refined with the trees", test, curve, refinement, trees)
        judge(f"held out, the tables and trees in sampling.py ({dpi} dpi)", test, current, current_refinement, shipped)
    trees.save(args.trees_out)
    print(f"# {len(trees.roots)} trees, {len(trees.feature)} nodes: {args.trees_out} (copy it over {FILL_TREES})")
    print("FILL_CURVE = (")
    for row in curve:
        print("    (" + ", ".join(f"{value:.3f}" for value in row) + "),")
    print(")")
    print("REFINE_COEFFICIENTS = (")
    for start in range(0, len(refinement), 8):
        print("    " + " ".join(f"{value:.6g}," for value in refinement[start : start + 8]))
    print(")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
