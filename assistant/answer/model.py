"""The fitted answer model, in two small parts:

1. a ranker: a linear score over `features.FEATURES` for each candidate, fitted as a
   logistic regression on whether the candidate answers the question;
2. a calibration: the probability that a candidate is right, from its score and how
   far it leads the other candidates of its plan, fitted on scores the ranker gave
   questions it was not fitted on;
3. an answerability check: the probability that a plan answers the question at all,
   from its best candidate and its best passage, fitted the same way.

Two thresholds are fitted with them: a plan whose answerability is below `refuse`
does not answer; a candidate whose probability is at or above `high` is given with
high confidence. The numbers live in
`answer_model.json` beside this file, written by `scripts/fit_answer_model.py`,
which also records what they were fitted on and how they did on questions held
out from the fit."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import ModelLoadError
from .features import FEATURES
from .trees import Trees

MODEL_FILE = "answer_model.json"
CALIBRATION = ("score", "lead", "coverage", "passage_coverage", "type_met", "sentence_dense", "plan_coverage")
ANSWERABILITY = ("probability", "score", "coverage", "plan_coverage", "plan_dense", "type_met", "sentence_dense",
                 "unmatched", "question_answerable")
_LEAD_CAP = 8.0  # how far a lone candidate, or one far ahead, is said to lead
_COVERAGE, _PASSAGE, _PLAN_COVERAGE, _PLAN_DENSE, _TYPE_MET, _SENTENCE_DENSE, _UNMATCHED, _ANSWERABLE = (
    FEATURES.index(f) for f in ("coverage", "passage_coverage", "plan_coverage", "plan_dense", "type_met",
                                "sentence_dense", "unmatched", "question_answerable"))


@dataclass(frozen=True)
class AnswerModel:
    weights: tuple[float, ...]
    bias: float
    calibration: tuple[float, ...]  # over CALIBRATION
    calibration_bias: float
    answerability: tuple[float, ...]  # over ANSWERABILITY
    answerability_bias: float
    refuse: float  # a plan whose answerability is below this does not answer
    high: float  # a candidate at or above this probability is answered with high confidence
    provenance: dict
    trees: Trees | None = None  # the ranker as boosted trees; None: the linear weights above

    @classmethod
    def load(cls, text: str | None = None) -> "AnswerModel":
        """From `text`, or the model shipped with the package."""
        if text is None:
            text = (resources.files("assistant.answer") / MODEL_FILE).read_text(encoding="utf-8")
        return cls._parse(text)

    @classmethod
    def from_file(cls, path: Path | None) -> "AnswerModel":
        """From a model file (`ASSISTANT_ANSWER_MODEL`), or the shipped model when None."""
        if path is None:
            return cls.load()
        try:
            return cls._parse(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ModelLoadError(f"không đọc được tệp mô hình chọn câu trả lời {path} ({exc}); kiểm tra "
                                 "ASSISTANT_ANSWER_MODEL") from exc

    @classmethod
    def _parse(cls, text: str) -> "AnswerModel":
        try:
            data = json.loads(text)
            trees = Trees.from_dict(data["trees"]) if data.get("trees") else None
            if trees is not None:
                trees.check(signals=len(FEATURES))
            return cls(tuple(float(data["weights"][name]) for name in FEATURES), float(data["bias"]),
                       tuple(float(data["calibration"][name]) for name in CALIBRATION),
                       float(data["calibration_bias"]),
                       tuple(float(data["answerability"][name]) for name in ANSWERABILITY),
                       float(data["answerability_bias"]), float(data["thresholds"]["refuse"]),
                       float(data["thresholds"]["high"]), data.get("provenance", {}), trees)
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            raise ModelLoadError(f"tệp {MODEL_FILE} của mô hình chọn câu trả lời không hợp lệ ({exc}); "
                                 "hãy chạy lại scripts/fit_answer_model.py") from exc

    @classmethod
    def neutral(cls) -> "AnswerModel":
        """Every candidate alike: for collecting candidates before any model is fitted."""
        return cls(tuple(0.0 for _ in FEATURES), 0.0, tuple(0.0 for _ in CALIBRATION), 0.0,
                   tuple(0.0 for _ in ANSWERABILITY), 0.0, 0.5, 0.9, {"note": "neutral, not fitted"})

    def scores(self, vectors) -> list[float]:
        """The ranker's scores (log-odds) of a plan's candidates, at once (the trees walk them together)."""
        if not len(vectors):
            return []
        if self.trees is not None:
            return [float(v) for v in self.trees.decision(np.asarray(vectors, dtype=np.float64))]
        return [self.bias + sum(w * x for w, x in zip(self.weights, vector)) for vector in vectors]

    def judge(self, vectors: list) -> list[tuple[float, float]]:
        """(score, probability right) of each candidate of one plan."""
        out = []
        for score, signals in signals_of(self, vectors):
            z = self.calibration_bias + sum(c * x for c, x in zip(self.calibration, signals))
            out.append((score, _sigmoid(z)))
        return out

    def answerable(self, probability: float, score: float, vector) -> float:
        """The probability that a plan answers the question, from its best candidate."""
        signals = answerability_signals(probability, score, vector)
        return _sigmoid(self.answerability_bias + sum(a * x for a, x in zip(self.answerability, signals)))

    def with_thresholds(self, refuse: float, high: float) -> "AnswerModel":
        return replace(self, refuse=refuse, high=high)

    def to_json(self) -> str:
        text = json.dumps({"weights": dict(zip(FEATURES, self.weights)), "bias": self.bias,
                           "calibration": dict(zip(CALIBRATION, self.calibration)),
                           "calibration_bias": self.calibration_bias,
                           "answerability": dict(zip(ANSWERABILITY, self.answerability)),
                           "answerability_bias": self.answerability_bias,
                           "thresholds": {"refuse": self.refuse, "high": self.high},
                           "provenance": self.provenance}, ensure_ascii=False, indent=1)
        if self.trees is None:
            return text
        # the trees' arrays on one line each: thousands of numbers are data, not something to read
        arrays = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}"
                             for k, v in self.trees.to_dict().items())
        return f"{text[:-2]},\n \"trees\": {{\n{arrays}\n }}\n}}"


def signals_of(model: AnswerModel, vectors: list) -> list[tuple[float, tuple[float, ...]]]:
    """Each candidate's score and the signals the calibration reads: its score, how far
    it leads the best other candidate of its plan, its coverage and its passage's."""
    scores = model.scores(vectors)
    out = []
    for i, (score, vector) in enumerate(zip(scores, vectors)):
        others = [s for j, s in enumerate(scores) if j != i]
        lead = min(score - max(others), _LEAD_CAP) if others else _LEAD_CAP
        out.append((score, (score, lead, vector[_COVERAGE], vector[_PASSAGE], vector[_TYPE_MET],
                            vector[_SENTENCE_DENSE], vector[_PLAN_COVERAGE])))
    return out


def answerability_signals(probability: float, score: float, vector) -> tuple[float, ...]:
    return (probability, score, vector[_COVERAGE], vector[_PLAN_COVERAGE], vector[_PLAN_DENSE], vector[_TYPE_MET],
            vector[_SENTENCE_DENSE], vector[_UNMATCHED], vector[_ANSWERABLE])


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))
