"""Fit the answer model on labelled questions; check it on questions held out.

A candidate is labelled right when it holds the expected answer (every expected
item for list and compare questions scored strictly, one of them otherwise). The
weights are a logistic regression over the candidates of the training questions;
the two thresholds are then chosen on probabilities the training questions got from
folds that did not see them (cross-validation), so they are not fitted to the same
answers twice:

- refuse: a plan whose answerability is below it does not answer; the highest
  threshold that keeps false refusals within a budget;
- high: the lowest threshold at which answers given with high confidence are right
  at least `precision` of the time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..answer.compose import Composed, Scored
from ..answer.features import FEATURES
from ..answer.model import AnswerModel, answerability_signals, signals_of
from ..answer.trees import Trees
from ..engine import Assistant
from ..query.parse import Question
from . import metrics
from .run import STRICT_TYPES


@dataclass(frozen=True)
class Example:
    qid: str
    qtype: str
    expected: tuple  # the expected items
    docs: tuple[str, ...]  # the documents that answer it
    question: Question
    scored: dict[str, list[Scored]]
    labels: dict[tuple[str, int], bool]  # (doc_id, index in its group) → right

    @property
    def answerable(self) -> bool:
        return self.qtype != "unanswerable"

    def rows(self):
        for doc_id, group in self.scored.items():
            for i, s in enumerate(group):
                yield s.vector, self.labels[(doc_id, i)]


# a false refusal counts this many times an answer to a question the plans do not answer
# (pick_thresholds); the one judgement the thresholds rest on, stated, not fitted
REFUSAL_COST = 2.0


def collect(assistant: Assistant, questions: list[dict]) -> list[Example]:
    """Every candidate of every question, with its features and its label."""
    out = []
    for q in questions:
        _, question = assistant.interpret(assistant.check_question(q["question"]), history=q.get("history") or [])
        scored = {} if question.outside else assistant.composer.scored(question)
        labels = {(d, i): is_right(_as_shown(assistant, s.candidate, q), q) for d, group in scored.items()
                  for i, s in enumerate(group)}
        out.append(Example(q["id"], q["type"], tuple(map(_freeze, q["answers"])), tuple(q.get("docs") or ()),
                           question, scored, labels))
    return out


def _as_shown(assistant: Assistant, candidate, q: dict) -> str:
    """A compare answer shows each plan's line under its province's name."""
    if q["type"] != "compare":
        return candidate.text
    doc = assistant.index.documents[candidate.doc_id]
    return f"{doc.province_name}: {candidate.text}"


def is_right(text: str, q: dict) -> bool:
    if q["type"] == "unanswerable":
        return False
    if q["type"] in STRICT_TYPES and q["type"] != "compare":  # a compare answer is one line per plan
        return metrics.contains_all(text, q["answers"])
    return metrics.contains_any(text, q["answers"])


def _freeze(item):
    return tuple(item) if isinstance(item, list) else item


def fit_ranker(examples: list[Example], c: float = 1.0, extra: list[Example] = (),
               extra_weight: float = 0.5) -> tuple[tuple[float, ...], float]:
    """Logistic regression over all candidates; each question weighs the same in total,
    an `extra` (synthetic) one `extra_weight` as much."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x, y, w = _weighted_rows(examples, extra, extra_weight)
    model = LogisticRegression(C=c, max_iter=5000)
    model.fit(np.array(x), np.array(y), sample_weight=np.array(w) * len(examples))
    return tuple(float(v) for v in model.coef_[0]), float(model.intercept_[0])


# the boosted ranker's settings (scikit-learn HistGradientBoostingClassifier); compared with the
# linear one by cross-validation on the training questions (docs/kien-truc.md)
TREES = {"max_iter": 300, "learning_rate": 0.08, "max_leaf_nodes": 31, "min_samples_leaf": 40,
         "l2_regularization": 1.0}


def fit_trees(examples: list[Example], extra: list[Example] = (), extra_weight: float = 0.5,
              seed: int = 13) -> Trees:
    """Boosted trees over all candidates, each question weighing the same in total (as
    `fit_ranker`)."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    x, y, w = _weighted_rows(examples, extra, extra_weight)
    model = HistGradientBoostingClassifier(**TREES, random_state=seed)
    model.fit(np.array(x), np.array(y), sample_weight=np.array(w) * len(examples))
    return Trees.from_sklearn(model)


def _weighted_rows(examples, extra, extra_weight):
    x, y, w = [], [], []
    for weight, group in ((1.0, examples), (extra_weight, extra)):
        for example in group:
            rows = list(example.rows())
            for vector, label in rows:
                x.append(vector)
                y.append(int(label))
                w.append(weight / len(rows))
    if len(set(y)) < 2:
        raise ValueError("the training questions need both right and wrong candidates")
    return x, y, w


def fit_calibration(rows: list[tuple[tuple[float, ...], bool]]) -> tuple[tuple[float, ...], float]:
    """Probability right from the ranker's signals, on candidates it was not fitted on."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1.0, max_iter=5000)
    model.fit(np.array([r[0] for r in rows]), np.array([int(r[1]) for r in rows]))
    return tuple(float(v) for v in model.coef_[0]), float(model.intercept_[0])


def ranker(weights, bias, trees: Trees | None = None) -> AnswerModel:
    return replace(AnswerModel.neutral(), weights=tuple(weights), bias=bias, provenance={}, trees=trees)


def fitted_ranker(examples: list[Example], c: float, extra: list[Example], kind: str) -> AnswerModel:
    """A ranker of the kind asked for ("trees" or "linear"), fitted on `examples`."""
    if kind == "trees":
        return ranker(tuple(0.0 for _ in FEATURES), 0.0, fit_trees(examples, extra))
    return ranker(*fit_ranker(examples, c, extra))


def fit_answerability(examples: list[Example]) -> tuple[tuple[float, ...], float]:
    """Does a plan answer the question? From each plan's best candidate (examples
    judged by models not fitted on them): yes when the question names it among the
    documents that answer, or, for questions that name none, when a candidate is right."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x, y = [], []
    for example in examples:
        for doc_id, group in example.scored.items():
            best = group[0]
            x.append(answerability_signals(best.probability, best.score, best.vector))
            answers = doc_id in example.docs if example.docs else any(
                example.labels[(doc_id, i)] for i in range(len(group)))
            y.append(int(example.answerable and answers))
    model = LogisticRegression(C=1.0, max_iter=5000, class_weight="balanced")
    model.fit(np.array(x), np.array(y))
    return tuple(float(v) for v in model.coef_[0]), float(model.intercept_[0])


def _calibration_rows(example: Example, model: AnswerModel):
    """Each plan's best candidate by the ranker: the ones whose probability decides the
    confidence of an answer."""
    for doc_id, group in example.scored.items():
        signals = signals_of(model, [s.vector for s in group])
        best = max(range(len(group)), key=lambda i: signals[i][0])
        yield signals[best][1], example.labels[(doc_id, best)]


def fit_model(examples: list[Example], c: float = 1.0, extra: list[Example] = (),
              folds: int = 5, kind: str = "trees") -> tuple[AnswerModel, list[Example]]:
    """The ranker fitted on every example; the calibration and the answerability check
    on the scores each example got from a ranker fitted without it. Returns the model
    (thresholds unset) and the examples judged by their fold's ranker (for choosing the
    thresholds on probabilities no model was fitted on)."""
    fold_rankers = []
    rows = []
    for fold in range(folds):
        train = [e for i, e in enumerate(examples) if i % folds != fold]
        model = fitted_ranker(train, c, extra, kind)
        fold_rankers.append(model)
        for i, example in enumerate(examples):
            if i % folds == fold:
                rows += list(_calibration_rows(example, model))
    calibration, calibration_bias = fit_calibration(rows)
    folded = [rescored(e, replace(fold_rankers[i % folds], calibration=calibration,
                                  calibration_bias=calibration_bias)) for i, e in enumerate(examples)]
    answerability, answerability_bias = fit_answerability(folded)
    final = replace(fitted_ranker(examples, c, extra, kind), calibration=calibration,
                    calibration_bias=calibration_bias, answerability=answerability,
                    answerability_bias=answerability_bias)
    return final, folded


def rescored(example: Example, model: AnswerModel) -> Example:
    """The example's candidates judged by `model`, best first, labels kept with them."""
    scored, labels = {}, {}
    for doc_id, group in example.scored.items():
        judged = model.judge([s.vector for s in group])
        order = sorted(range(len(group)), key=lambda i: (-judged[i][1], -judged[i][0]))
        scored[doc_id] = [Scored(group[i].candidate, judged[i][1], group[i].vector, judged[i][0]) for i in order]
        for new, old in enumerate(order):
            labels[(doc_id, new)] = example.labels[(doc_id, old)]
    return replace(example, scored=scored, labels=labels)


@dataclass(frozen=True)
class Outcome:
    right: bool
    found: bool
    confidence: str


def outcomes(assistant: Assistant, examples: list[Example], model: AnswerModel,
             rescore: bool = True) -> list[Outcome]:
    """What the engine would answer for each example under `model`; `rescore=False`
    keeps the probabilities the examples carry (cross-validated ones)."""
    composer = assistant.composer.with_model(model)
    out = []
    for example in examples:
        example = rescored(example, model) if rescore else example
        composed: Composed = composer.decide(example.question, example.scored) if example.scored else \
            Composed(False, "", (), "")
        if example.answerable:
            right = composed.found and _holds(composed.text, example)
        else:
            right = not composed.found
        out.append(Outcome(right, composed.found, composed.confidence))
    return out


def _holds(text: str, example: Example) -> bool:
    expected = [list(i) if isinstance(i, tuple) else i for i in example.expected]
    if example.qtype in STRICT_TYPES:
        return metrics.contains_all(text, expected)
    return metrics.contains_any(text, expected)


def figures(examples: list[Example], results: list[Outcome]) -> dict:
    answerable = [r for e, r in zip(examples, results) if e.answerable]
    unanswerable = [r for e, r in zip(examples, results) if not e.answerable]
    answered = [r for r in results if r.found]
    high = [r for r, e in zip(results, examples) if r.found and r.confidence == "high" and e.answerable]
    return {
        "questions": len(examples),
        "answerable": len(answerable), "unanswerable": len(unanswerable),
        "answer_accuracy": metrics.rate([r.right for r in answerable]),
        "refusal_accuracy": metrics.rate([r.right for r in unanswerable]),
        "false_refusal": metrics.rate([not r.found for r in answerable]),
        "high_share": metrics.rate([r.confidence == "high" for r in answered]),
        "accuracy_high": metrics.rate([r.right for r in high]),
        "accuracy_low": metrics.rate([r.right for r, e in zip(results, examples)
                                      if r.found and r.confidence == "low" and e.answerable]),
    }


def choose_thresholds(assistant: Assistant, examples: list[Example], model: AnswerModel,
                      precision: float = 0.97, refusal_cost: float = REFUSAL_COST) -> tuple[float, float]:
    """The two thresholds, chosen on the examples' cross-validated probabilities
    (`pick_thresholds`)."""
    def figures_at(refuse: float, high: float) -> dict:
        return figures(examples, outcomes(assistant, examples, model.with_thresholds(refuse, high), rescore=False))

    return pick_thresholds(figures_at, precision, refusal_cost)


def pick_thresholds(figures_at, precision: float = 0.97,
                    refusal_cost: float = REFUSAL_COST) -> tuple[float, float]:
    """`refuse`: the threshold with the fewest mistakes of the two kinds a refusal decides,
    a false refusal counting `refusal_cost` times an answer to a question the plans do not
    answer (the lowest such threshold on a tie); `high`: the lowest threshold, not below
    `refuse`, whose high-confidence answers are right at least `precision` of the time.
    `figures_at(refuse, high)` gives the `figures` the engine reaches with those thresholds.

    A false refusal costs more because it is the one answer an official cannot check: a
    hedged answer shows its passages, "not in the plans" shows none. A cap on false
    refusals alone was tried first: the pipeline's own refusals (a field no plan has, a
    document number no plan bears) used it up, and the threshold fell to the floor."""
    grid = [i / 100 for i in range(2, 100)]

    def cost(refuse: float) -> float:
        at = figures_at(refuse, 1.01)
        missed = 1 - (at["refusal_accuracy"] if at["refusal_accuracy"] is not None else 1.0)
        return refusal_cost * (at["false_refusal"] or 0) * at["answerable"] + missed * at["unanswerable"]

    refuse = min(grid, key=lambda candidate: (round(cost(candidate), 9), candidate))
    for candidate in grid:
        if candidate < refuse:
            continue
        accuracy = figures_at(refuse, candidate)["accuracy_high"]
        if accuracy is not None and accuracy >= precision:
            return refuse, candidate
    return refuse, 1.0


def top_right(examples: list[Example]) -> float | None:
    """Share of answerable questions with a right candidate whose best candidate is right."""
    hits = []
    for e in examples:
        if e.answerable and any(e.labels.values()):
            best = max(((s.probability, e.labels[(d, i)]) for d, g in e.scored.items() for i, s in enumerate(g)),
                       default=(0, False))
            hits.append(best[1])
    return metrics.rate(hits)


def oracle(examples: list[Example]) -> float | None:
    """Share of answerable questions with at least one right candidate: the ceiling."""
    return metrics.rate([any(e.labels.values()) for e in examples if e.answerable])

