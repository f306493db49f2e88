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
from ..answer.model import AnswerModel, answerability_signals, signals_of
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
    model = LogisticRegression(C=c, max_iter=5000)
    model.fit(np.array(x), np.array(y), sample_weight=np.array(w) * len(examples))
    return tuple(float(v) for v in model.coef_[0]), float(model.intercept_[0])


def fit_calibration(rows: list[tuple[tuple[float, ...], bool]]) -> tuple[tuple[float, ...], float]:
    """Probability right from the ranker's signals, on candidates it was not fitted on."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1.0, max_iter=5000)
    model.fit(np.array([r[0] for r in rows]), np.array([int(r[1]) for r in rows]))
    return tuple(float(v) for v in model.coef_[0]), float(model.intercept_[0])


def ranker(weights, bias) -> AnswerModel:
    return replace(AnswerModel.neutral(), weights=tuple(weights), bias=bias, provenance={})


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
              folds: int = 5) -> tuple[AnswerModel, list[Example]]:
    """The ranker fitted on every example; the calibration and the answerability check
    on the scores each example got from a ranker fitted without it. Returns the model
    (thresholds unset) and the examples judged by their fold's ranker (for choosing the
    thresholds on probabilities no model was fitted on)."""
    fold_rankers = []
    rows = []
    for fold in range(folds):
        train = [e for i, e in enumerate(examples) if i % folds != fold]
        model = ranker(*fit_ranker(train, c, extra))
        fold_rankers.append(model)
        for i, example in enumerate(examples):
            if i % folds == fold:
                rows += list(_calibration_rows(example, model))
    calibration, calibration_bias = fit_calibration(rows)
    folded = [rescored(e, replace(fold_rankers[i % folds], calibration=calibration,
                                  calibration_bias=calibration_bias)) for i, e in enumerate(examples)]
    answerability, answerability_bias = fit_answerability(folded)
    weights, bias = fit_ranker(examples, c, extra)
    final = replace(ranker(weights, bias), calibration=calibration, calibration_bias=calibration_bias,
                    answerability=answerability, answerability_bias=answerability_bias)
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
        "answer_accuracy": metrics.rate([r.right for r in answerable]),
        "refusal_accuracy": metrics.rate([r.right for r in unanswerable]),
        "false_refusal": metrics.rate([not r.found for r in answerable]),
        "high_share": metrics.rate([r.confidence == "high" for r in answered]),
        "accuracy_high": metrics.rate([r.right for r in high]),
        "accuracy_low": metrics.rate([r.right for r, e in zip(results, examples)
                                      if r.found and r.confidence == "low" and e.answerable]),
    }


def choose_thresholds(assistant: Assistant, examples: list[Example], model: AnswerModel,
                      precision: float = 0.97, false_refusals: float = 0.04) -> tuple[float, float]:
    """The two thresholds, chosen on the examples' cross-validated probabilities
    (`pick_thresholds`)."""
    def figures_at(refuse: float, high: float) -> dict:
        return figures(examples, outcomes(assistant, examples, model.with_thresholds(refuse, high), rescore=False))

    return pick_thresholds(figures_at, precision, false_refusals)


def pick_thresholds(figures_at, precision: float = 0.97, false_refusals: float = 0.04) -> tuple[float, float]:
    """`refuse`: the highest threshold (so as many unanswerable questions as possible are
    refused) up to which no more than `false_refusals` of the answerable questions are
    refused; `high`: the lowest threshold, not below `refuse`, whose high-confidence
    answers are right at least `precision` of the time. `figures_at(refuse, high)` gives
    the `figures` the engine reaches with those thresholds.

    The budget is on false refusals because a refusal is the one answer an official
    cannot check: a hedged answer shows its passages, "not in the plans" shows none."""
    grid = [i / 100 for i in range(2, 100)]
    refuse = grid[0]
    for candidate in grid:
        if (figures_at(candidate, 1.01)["false_refusal"] or 0) > false_refusals:
            break
        refuse = candidate
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

