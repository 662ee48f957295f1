"""A fitted ensemble of regression trees (gradient boosting), evaluated with NumPy alone.

The reader's last refinement of a fill (:func:`common.omr.sampling.refine_fills`) is a sum of
regression trees: they catch what a linear model of the ink's position cannot (a scribble's lines
against pencil grain, at the edge of the band where a review is decided). The trees are fitted by
``tools/fit_fill_curve.py`` with scikit-learn, a tool-time dependency only; the reader and the
bundles carry the trees as arrays in a ``.npz`` file and walk them here.

Every tree's nodes sit in the same flat arrays: an inner node sends a row to ``left`` when its value
in column ``feature`` is at most ``threshold`` (scikit-learn's rule), else to ``right``; a leaf has
``feature`` −1 and points to itself, so walking every tree ``depth`` steps ends each row on a leaf.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

FIELDS = ("feature", "threshold", "left", "right", "value", "roots")


class TreeFileError(ValueError):
    """A trees file that is not a consistent ensemble."""


@dataclass(frozen=True, eq=False)
class TreeEnsemble:
    feature: np.ndarray  # (nodes,) int32; -1 at a leaf
    threshold: np.ndarray  # (nodes,) float64
    left: np.ndarray  # (nodes,) int32, index into the same arrays; a leaf's own index
    right: np.ndarray  # (nodes,) int32
    value: np.ndarray  # (nodes,) float64; a leaf's contribution (0 at inner nodes)
    roots: np.ndarray  # (trees,) int32
    baseline: float
    columns: int

    def __post_init__(self) -> None:
        nodes = len(self.feature)
        if any(len(getattr(self, name)) != nodes for name in ("threshold", "left", "right", "value")):
            raise TreeFileError("node arrays of different lengths")
        for name in ("left", "right", "roots"):
            links = getattr(self, name)
            if len(links) and (links.min() < 0 or links.max() >= nodes):
                raise TreeFileError(f"{name} points outside the nodes")
        if nodes and self.feature.max() >= self.columns:
            raise TreeFileError("a node reads a column the rows do not have")

    @cached_property
    def depth(self) -> int:
        """The most steps from a root to a leaf."""
        depth, frontier = 0, self.roots
        while True:
            inner = frontier[self.feature[frontier] >= 0]
            if len(inner) == 0:
                return depth
            frontier = np.concatenate([self.left[inner], self.right[inner]])
            depth += 1

    def predict(self, rows: np.ndarray) -> np.ndarray:
        """The ensemble's output for each row of ``rows`` (n, columns)."""
        rows = np.asarray(rows, dtype=np.float64)
        if rows.ndim != 2 or rows.shape[1] != self.columns:
            raise ValueError(f"rows of {self.columns} columns expected, got shape {rows.shape}")
        if len(rows) == 0 or len(self.roots) == 0:
            return np.full(len(rows), self.baseline)
        node = np.broadcast_to(self.roots, (len(rows), len(self.roots))).copy()
        row = np.arange(len(rows))[:, None]
        for _ in range(self.depth):
            column = np.maximum(self.feature[node], 0)
            go_left = rows[row, column] <= self.threshold[node]
            node = np.where(go_left, self.left[node], self.right[node])
        return np.asarray(self.baseline + self.value[node].sum(axis=1))

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            feature=self.feature.astype(np.int32),
            threshold=self.threshold.astype(np.float64),
            left=self.left.astype(np.int32),
            right=self.right.astype(np.int32),
            value=self.value.astype(np.float64),
            roots=self.roots.astype(np.int32),
            baseline=np.float64(self.baseline),
            columns=np.int64(self.columns),
        )

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], baseline: float, columns: int) -> TreeEnsemble:
        """An ensemble of the node arrays named in :data:`FIELDS` (cast to the types it walks)."""
        links = {name: np.asarray(arrays[name]).astype(np.int32) for name in ("feature", "left", "right", "roots")}
        values = {name: np.asarray(arrays[name]).astype(np.float64) for name in ("threshold", "value")}
        return cls(**links, **values, baseline=float(baseline), columns=int(columns))

    @classmethod
    def load(cls, path: Path) -> TreeEnsemble:
        """The ensemble saved at ``path`` (:class:`TreeFileError` when it is not one)."""
        try:
            with np.load(path, allow_pickle=False) as stored:
                arrays = {name: np.asarray(stored[name]) for name in FIELDS}
                baseline, columns = float(stored["baseline"]), int(stored["columns"])
        except (KeyError, ValueError, OSError) as error:
            if isinstance(error, FileNotFoundError):
                raise
            raise TreeFileError(f"{path.name}: not a trees file ({error})") from error
        return cls.from_arrays(arrays, baseline, columns)
