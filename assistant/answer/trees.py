"""The answer model's ranker as boosted trees: fitted by scikit-learn's
HistGradientBoostingClassifier (scripts/fit_answer_model.py), kept as plain arrays in
answer_model.json, and evaluated here with numpy, all trees at once, so no fitted
object is ever unpickled and a question costs well under a millisecond.

A ranker over the candidate signals learns their interactions (a task line is the
answer to "ai" only when it is the task asked about …) instead of a hand-made product
for each."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_FIELDS = ("feature", "threshold", "left", "right", "leaf", "value", "missing_left")


@dataclass(frozen=True, eq=False)
class Trees:
    baseline: float  # the log-odds every tree adds to
    # one row per node of every tree, trees one after another; children are absolute rows
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    leaf: np.ndarray
    value: np.ndarray
    missing_left: np.ndarray
    roots: np.ndarray  # the row of each tree's root

    def __eq__(self, other) -> bool:
        """The same trees: every array equal (dataclass equality would compare arrays whole)."""
        return isinstance(other, Trees) and self.baseline == other.baseline and all(
            np.array_equal(getattr(self, name), getattr(other, name)) for name in _FIELDS + ("roots",))

    __hash__ = None

    def decision(self, x: np.ndarray) -> np.ndarray:
        """The log-odds for each row of `x` (candidates × signals)."""
        x = np.asarray(x, dtype=np.float64)
        if x.ndim == 1:
            x = x.reshape(1, -1)
        node = np.repeat(self.roots[:, None], len(x), axis=1)  # trees × rows
        rows = np.arange(len(x))[None, :]
        while True:
            inner = ~self.leaf[node]
            if not inner.any():
                break
            values = x[rows, self.feature[node]]
            go_left = np.where(np.isnan(values), self.missing_left[node], values <= self.threshold[node])
            node = np.where(inner, np.where(go_left, self.left[node], self.right[node]), node)
        return self.baseline + self.value[node].sum(axis=0)

    @classmethod
    def from_sklearn(cls, model) -> "Trees":
        """From a fitted HistGradientBoostingClassifier (binary, numeric signals)."""
        parts, roots, offset = {name: [] for name in _FIELDS}, [], 0
        for (predictor,) in model._predictors:
            nodes = predictor.nodes
            roots.append(offset)
            parts["feature"].append(nodes["feature_idx"].astype(np.int64))
            parts["threshold"].append(nodes["num_threshold"].astype(np.float64))
            parts["left"].append(nodes["left"].astype(np.int64) + offset)
            parts["right"].append(nodes["right"].astype(np.int64) + offset)
            parts["leaf"].append(nodes["is_leaf"].astype(bool))
            parts["value"].append(nodes["value"].astype(np.float64))
            parts["missing_left"].append(nodes["missing_go_to_left"].astype(bool))
            offset += len(nodes)
        return cls(float(np.ravel(model._baseline_prediction)[0]),
                   **{name: np.concatenate(values) for name, values in parts.items()},
                   roots=np.array(roots, dtype=np.int64))

    def to_dict(self) -> dict:
        return {"baseline": self.baseline, "roots": self.roots.tolist(),
                **{name: np.round(getattr(self, name), 10).tolist() if getattr(self, name).dtype == np.float64
                   else getattr(self, name).astype(int).tolist() for name in _FIELDS}}

    @classmethod
    def from_dict(cls, data: dict) -> "Trees":
        arrays = {"feature": np.int64, "threshold": np.float64, "left": np.int64, "right": np.int64,
                  "leaf": bool, "value": np.float64, "missing_left": bool}
        return cls(float(data["baseline"]), **{name: np.asarray(data[name], dtype=kind)
                                                for name, kind in arrays.items()},
                   roots=np.asarray(data["roots"], dtype=np.int64))

    def check(self, signals: int | None = None) -> None:
        """A damaged file never walks out of its arrays nor round in circles: every
        array as long as the others, every child a later node (so every walk ends),
        every root a node, every split on one of the `signals`."""
        size = len(self.feature)
        if any(len(getattr(self, name)) != size for name in _FIELDS) or not len(self.roots):
            raise ValueError("the tree arrays differ in length")
        inner = np.flatnonzero(~self.leaf)
        for children in (self.left[inner], self.right[inner]):
            if children.size and (np.any(children <= inner) or children.max() >= size):
                raise ValueError("a tree points back or outside its nodes")
        if self.roots.min() < 0 or self.roots.max() >= size:
            raise ValueError("a tree's root is outside the nodes")
        if signals is not None and inner.size and not (0 <= self.feature[inner].min()
                                                       and self.feature[inner].max() < signals):
            raise ValueError("a tree splits on a signal the model does not have")
