"""Fit the intent classifier (query/intent.py) on labelled questions: the kind from
each question's type, the document fields and task fields from where its expected
answer is written (supervision.meta_labels, role_labels). Each head is a logistic
regression whose regularisation is chosen by cross-validation on the training
questions alone; scripts/train_intent.py saves it and measures it on held-out ones."""

from __future__ import annotations

import numpy as np

from ..index.store import Index
from ..query.intent import HASH_SLOTS, KINDS, META_FIELDS, ROLES, Head, IntentModel, features
from .supervision import Labelled, meta_labels, role_labels

_C_GRID = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)


def fit_intent(index: Index, items: list[Labelled], vectors: np.ndarray, seed: int, card: dict) -> IntentModel:
    """`vectors[i]` is the encoder's embedding of items[i].matching."""
    x = np.stack([features(v, q.matching) for q, v in zip(items, vectors)])
    kinds = [q.row["type"] for q in items]
    kind_rows = [i for i, k in enumerate(kinds) if k in KINDS]
    kind = _softmax_head(x[kind_rows], [kinds[i] for i in kind_rows], seed)
    meta = _binary_heads(x, [meta_labels(index, q) for q in items], META_FIELDS, seed)
    role = _binary_heads(x, [role_labels(index, q) or (("timeline",) if q.row["type"] == "when" else ())
                             for q in items], ROLES, seed)
    answerable = _binary_heads(x, [("answerable",) if q.answerable else ("no",) for q in items],
                               ("answerable",), seed)
    counts = {"kind": len(kind_rows), "meta": sum(bool(meta_labels(index, q)) for q in items),
              "role": sum(bool(role_labels(index, q)) or q.row["type"] == "when" for q in items),
              "answerable": len(items)}
    return IntentModel(kind, meta, role, answerable, HASH_SLOTS, {**card, "dimension": int(vectors.shape[1]),
                                                                  "training_rows": counts})


def _softmax_head(x: np.ndarray, y: list[str], seed: int) -> Head:
    from sklearn.linear_model import LogisticRegressionCV

    present = [k for k in KINDS if k in y]
    model = LogisticRegressionCV(Cs=list(_C_GRID), cv=5, max_iter=3000, random_state=seed).fit(x, y)
    weights = np.zeros((len(KINDS), x.shape[1]), dtype=np.float32)
    bias = np.full(len(KINDS), -30.0, dtype=np.float32)  # a kind never seen is never chosen
    for row, label in enumerate(model.classes_):
        weights[KINDS.index(label)] = model.coef_[row]
        bias[KINDS.index(label)] = model.intercept_[row]
    assert set(present) == set(model.classes_)
    return Head(KINDS, weights, bias, softmax=True)


def _binary_heads(x: np.ndarray, labels: list[tuple[str, ...]], names: tuple[str, ...], seed: int) -> Head:
    """One logistic regression per label, on the questions labelled with any of them."""
    from sklearn.linear_model import LogisticRegressionCV

    rows = [i for i, found in enumerate(labels) if found]
    weights = np.zeros((len(names), x.shape[1]), dtype=np.float32)
    bias = np.full(len(names), -30.0, dtype=np.float32)
    for n, name in enumerate(names):
        y = np.array([name in labels[i] for i in rows])
        if y.sum() < 3 or (~y).sum() < 3:  # too few either way to fit: never (or always) asked
            bias[n] = -30.0 if y.sum() < 3 else 30.0
            continue
        folds = int(min(5, y.sum(), (~y).sum()))
        model = LogisticRegressionCV(Cs=list(_C_GRID), cv=folds, max_iter=3000, random_state=seed).fit(x[rows], y)
        weights[n], bias[n] = model.coef_[0], model.intercept_[0]
    return Head(names, weights, bias, softmax=False)


def accuracy(model: IntentModel, index: Index, items: list[Labelled], vectors: np.ndarray) -> dict:
    """Held-out accuracy of each head, on the questions that have its label."""
    kind, meta, role, answerable = [], [], [], []
    for q, v in zip(items, vectors):
        reading = model.read(v, q.matching)
        answerable.append((reading.answerable >= 0.5) == q.answerable)
        if q.row["type"] in KINDS:
            kind.append(reading.kind == q.row["type"])
        wanted = meta_labels(index, q)
        if wanted:
            meta.append(reading.asked_fields()[0] in wanted)
        roles = role_labels(index, q) or (("timeline",) if q.row["type"] == "when" else ())
        if roles:
            role.append(reading.asked_roles()[0] in roles)
    rate = lambda flags: round(sum(flags) / len(flags), 4) if flags else None  # noqa: E731
    return {"kind": rate(kind), "kind_n": len(kind), "meta": rate(meta), "meta_n": len(meta),
            "role": rate(role), "role_n": len(role), "answerable": rate(answerable), "answerable_n": len(answerable)}
