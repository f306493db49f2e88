"""The answer model: its file, its arithmetic, and fitting it on labelled questions."""

from __future__ import annotations

import json
import math

import pytest

from assistant.answer.features import FEATURES
from assistant.answer.model import ANSWERABILITY, CALIBRATION, AnswerModel, signals_of
from assistant.errors import ModelLoadError
from assistant.evaluation import fit


def test_the_shipped_model_loads_and_records_what_it_was_fitted_on():
    model = AnswerModel.load()
    assert len(model.weights) == len(FEATURES) and 0 < model.refuse <= model.high < 1
    assert model.provenance["train"] == ["eval/training/free-bac-giang.jsonl", "eval/training/free-gia-lai-quang-ngai.jsonl",
                                         "eval/training/free-ninh-thuan-tuyen-quang.jsonl", "eval/questions.jsonl",
                                         "eval/training.jsonl"]
    assert model.provenance["check"] == ["eval/heldout.jsonl"] and model.provenance["ranker"] == "trees"
    assert {"answer_accuracy", "refusal_accuracy", "high_share"} <= set(model.provenance["check_figures"])


def test_a_model_file_round_trips_and_a_broken_one_says_what_to_do():
    model = AnswerModel.load()
    assert AnswerModel.load(model.to_json()) == model
    broken = json.loads(model.to_json())
    del broken["weights"]["coverage"]
    with pytest.raises(ModelLoadError, match=r"answer_model.json của mô hình chọn câu trả lời không hợp lệ "
                                             r"\('coverage'\); hãy chạy lại scripts/fit_answer_model.py"):
        AnswerModel.load(json.dumps(broken))


def test_the_lead_over_the_other_candidates_is_worked_out_by_hand():
    weights = tuple(1.0 if name == "coverage" else 0.0 for name in FEATURES)
    model = AnswerModel(weights, -0.5, (1.0,) + tuple(0.0 for _ in CALIBRATION[1:]), 0.0,
                        tuple(0.0 for _ in ANSWERABILITY), 0.0, 0.5, 0.9, {})
    vectors = [[0.9 if name == "coverage" else 0.0 for name in FEATURES],
               [0.3 if name == "coverage" else 0.0 for name in FEATURES]]
    (s1, signals1), (s2, signals2) = signals_of(model, vectors)
    assert (round(s1, 6), round(s2, 6)) == (0.4, -0.2)  # -0.5 + coverage
    assert (round(signals1[1], 6), round(signals2[1], 6)) == (0.6, -0.6)  # each one's lead over the other
    # calibration reads only the score here: sigmoid(0.4)
    assert model.judge(vectors)[0][1] == pytest.approx(1 / (1 + math.exp(-0.4)))
    assert CALIBRATION[0] == "score"


def _example(qid: str, answerable: bool, right_first: bool) -> fit.Example:
    """One plan, two candidates: the first is right when `right_first`."""
    from assistant.answer.candidates import Candidate
    from assistant.answer.compose import Scored

    def vector(coverage):
        return tuple(coverage if name in ("coverage", "plan_coverage") else 0.0 for name in FEATURES)

    good, bad = (0.9, 0.2) if answerable else (0.3, 0.2)
    scored = {"doc": [Scored(Candidate("sentence", "doc", "đúng", ((0, 4),)), 0.5, vector(good)),
                      Scored(Candidate("sentence", "doc", "sai", ((5, 8),)), 0.5, vector(bad))]}
    labels = {("doc", 0): answerable and right_first, ("doc", 1): False}
    return fit.Example(qid, "what" if answerable else "unanswerable", ("đúng",), ("doc",) if answerable else (),
                       None, scored, labels)


def test_the_ranker_learns_that_coverage_marks_the_right_candidate():
    examples = [_example(f"q{i}", True, True) for i in range(12)] + [_example(f"u{i}", False, False)
                                                                    for i in range(4)]
    weights, bias = fit.fit_ranker(examples)
    assert weights[FEATURES.index("coverage")] > 0
    model = fit.ranker(weights, bias)
    assert fit.top_right([fit.rescored(e, model) for e in examples]) == 1.0
    assert fit.oracle(examples) == 1.0


def test_refusing_stops_where_a_false_refusal_costs_more_than_the_refusals_it_buys():
    def figures_at(refuse, high):
        # 100 answerable and 20 unanswerable questions: up to 0.30 each step of 0.10 refuses
        # 5 more unanswerable ones for 1 more false refusal; beyond, 1 more for 2
        steps = int(refuse * 10 + 1e-9)
        cheap, dear = min(steps, 3), max(steps - 3, 0)
        false_refusals = cheap + 2 * dear
        refused = min(5 * cheap + dear, 20)
        return {"answerable": 100, "unanswerable": 20, "false_refusal": false_refusals / 100,
                "refusal_accuracy": refused / 20, "accuracy_high": 1.0 if high >= 0.8 else 0.9}

    assert fit.pick_thresholds(figures_at, precision=0.97, refusal_cost=2.0) == (0.3, 0.8)
    assert fit.pick_thresholds(figures_at, precision=0.97, refusal_cost=6.0) == (0.02, 0.8)
    never_wrong = {"answerable": 10, "unanswerable": 0, "false_refusal": 0.0, "refusal_accuracy": None,
                   "accuracy_high": None}
    assert fit.pick_thresholds(lambda r, h: never_wrong) == (0.02, 1.0)
