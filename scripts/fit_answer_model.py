#!/usr/bin/env python3
"""Fit the answer model (assistant/answer/answer_model.json) on labelled questions
and report how it does on questions held out from the fit.

    .venv/bin/python scripts/fit_answer_model.py \
        --train eval/questions.jsonl eval/training.jsonl --check eval/heldout.jsonl

The weights are fitted on --train; the thresholds on --train's cross-validated
probabilities; --check is only measured. The figures and the sets used are written
into the model file's provenance."""

from __future__ import annotations

import argparse
from dataclasses import replace
import json
import pickle
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.answer.features import FEATURES  # noqa: E402
from assistant.answer.model import CALIBRATION, MODEL_FILE, AnswerModel  # noqa: E402
from assistant.engine import Assistant  # noqa: E402
from assistant.evaluation import fit  # noqa: E402
from assistant.evaluation.questions import load_questions  # noqa: E402
from assistant.evaluation.synthetic import task_questions  # noqa: E402
from assistant.evaluation import stacking, supervision  # noqa: E402
from assistant.index.encoder import adapter_id  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from train_encoder import DEFAULT_TRAIN  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=Path, nargs="+", default=DEFAULT_TRAIN)
    parser.add_argument("--check", type=Path, nargs="*", default=[ROOT / "eval/heldout.jsonl"])
    parser.add_argument("--hold-out", metavar="DOC_ID",
                        help="a plan whose questions are left out of the fit (and are checked, with --check's)")
    parser.add_argument("--adapter", default="shipped", help="the encoder adapter: shipped, none or a folder")
    parser.add_argument("--intent", type=Path, help="the intent classifier's folder (default: the shipped one)")
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength (linear ranker)")
    parser.add_argument("--ranker", choices=("trees", "linear"), default="trees",
                        help="boosted trees (fit.TREES) or a logistic regression over the signals")
    parser.add_argument("--no-synthetic", action="store_true",
                        help="leave out the questions made from the plans' task records")
    parser.add_argument("--precision", type=float, default=0.97, help="accuracy wanted among high answers")
    parser.add_argument("--refusal-cost", type=float, default=fit.REFUSAL_COST,
                        help="how many answers to questions the plans do not answer one false refusal weighs")
    parser.add_argument("--examples", type=Path,
                        help="a pickle of the collected questions: read if it exists, else written (to try "
                             "rankers and thresholds without asking every question again)")
    parser.add_argument("--output", type=Path, default=ROOT / "assistant" / "answer" / MODEL_FILE)
    args = parser.parse_args(argv)

    settings = Settings.from_env(encoder_adapter=args.adapter, intent_model=args.intent, index_dir=args.index)
    assistant = Assistant.open(settings, log=lambda m: print(m, file=sys.stderr), warm=False,
                               model=AnswerModel.neutral(), same_model=True)
    about = lambda q: supervision.plans_of(assistant.index, q)  # noqa: E731
    everything = [q for path in args.train for q in load_questions(path)]
    train = [q for q in everything if args.hold_out not in about(q)]
    check = [q for path in args.check for q in load_questions(path)]
    if args.hold_out:  # the held-out plan's own questions, and only those, are checked
        check = [q for q in check + everything if about(q) == {args.hold_out}]
    if args.examples and args.examples.is_file():
        train_examples, check_examples, synthetic = pickle.loads(args.examples.read_bytes())
    else:
        # the training questions read by intent classifiers fitted without them (evaluation/stacking.py)
        train_examples = stacking.collect_out_of_fold(assistant, train)
        check_examples = fit.collect(assistant, check)
        synthetic = [] if args.no_synthetic else fit.collect(
            assistant, [q for q in task_questions(assistant.index) if args.hold_out not in about(q)])
        if args.examples:
            args.examples.write_bytes(pickle.dumps((train_examples, check_examples, synthetic)))
    print(f"training questions {len(train_examples)}, candidates "
          f"{sum(len(list(e.rows())) for e in train_examples)}; oracle {fit.oracle(train_examples):.3f} "
          f"(train), {fit.oracle(check_examples):.3f} (check)")

    model, folded = fit.fit_model(train_examples, c=args.c, extra=synthetic, kind=args.ranker)
    refuse, high = fit.choose_thresholds(assistant, folded, model, precision=args.precision,
                                         refusal_cost=args.refusal_cost)
    print("refusal threshold: false refusals, refusals right (cross-validated)")
    for threshold in (0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5):
        at = fit.figures(folded, fit.outcomes(assistant, folded, model.with_thresholds(threshold, 1.01),
                                              rescore=False))
        print(f"  {threshold:.2f}: {at['false_refusal']:.3f} {at['refusal_accuracy']:.3f}")
    model = model.with_thresholds(refuse, high)
    cv = fit.figures(folded, fit.outcomes(assistant, folded, model, rescore=False))
    cv["best_candidate_right"] = fit.top_right(folded)
    checked = fit.figures(check_examples, fit.outcomes(assistant, check_examples, model))
    checked["best_candidate_right"] = fit.top_right([fit.rescored(e, model) for e in check_examples])
    provenance = {
        "fitted_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "train": [str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in args.train],
        "held_out_plan": args.hold_out, "encoder_adapter": adapter_id(settings),
        "intent_model": assistant.intents.card.get("fitted_at", ""),
        "check": [str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in args.check],
        "ranker": args.ranker, "trees": fit.TREES if args.ranker == "trees" else None,
        "c": args.c, "precision_wanted": args.precision, "refusal_cost": args.refusal_cost, "synthetic_questions": len(synthetic),
        "train_cross_validated": cv, "check_figures": checked,
        "features": list(FEATURES),
    }
    model = replace(model, provenance=provenance)
    args.output.write_text(model.to_json() + "\n", encoding="utf-8")
    print(json.dumps({"thresholds": {"refuse": refuse, "high": high}, "train_cv": cv, "check": checked},
                     ensure_ascii=False, indent=1))
    for name, w in sorted(zip(FEATURES, model.weights), key=lambda x: -abs(x[1])):
        print(f"{w:+.2f} {name}")
    print("calibration", dict(zip(CALIBRATION, model.calibration)), model.calibration_bias)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
