#!/usr/bin/env python3
"""Hold a plan out: fit everything on the questions about four plans, test on the
fifth, in all five rotations. What a sixth province's plan would get.

For each plan P (the corpus keeps all five plans; only the questions are held out):
  1. split the labelled questions: those about P are the test, those about no other
     plan than the other four are fitted on (questions about P and another are left out);
  2. new model: train the encoder adapter without P (train_encoder.py), build an index
     with it, fit the intent classifier (train_intent.py) and the answer model
     (fit_answer_model.py) without P, then `assistant eval` on P's questions;
  3. old model (with --old CHECKOUT: the code before the learnt relevance): fit its
     answer model without P and evaluate it on the same questions.

    .venv/bin/python scripts/holdout_plans.py --old /work/base
    .venv/bin/python scripts/holdout_plans.py --plans gia-lai-157-kh-ubnd-2024 --stages eval

Writes .train/holdout/<plan>/ (splits, adapters, models, eval runs) and the table in
eval/results/holdout-plans/ (holdout.json, holdout.md). Long: each rotation trains an
adapter (see the card's train_seconds)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluation.questions import load_questions  # noqa: E402
from train_encoder import DEFAULT_TRAIN  # noqa: E402

PLANS = {"ninh-thuan-kh-ubnd-2024": "ninh-thuan", "bac-giang-kh-ubnd-2024": "bac-giang",
         "gia-lai-157-kh-ubnd-2024": "gia-lai", "tuyen-quang-ubnd-thcbks-2024": "tuyen-quang",
         "quang-ngai-kh-tu": "quang-ngai"}
SETS = DEFAULT_TRAIN + [ROOT / "eval" / "heldout.jsonl"]
STAGES = ("split", "encoder", "intent", "answer", "eval", "old")
FIGURES = ("answer_accuracy", "lead_accuracy", "refusal_accuracy", "false_refusal", "high_share", "accuracy_high",
           "answer_chars_median", "latency_p50_ms", "embed_p50_ms")


def plans_of(row: dict) -> frozenset[str]:
    if row.get("docs"):
        return frozenset(row["docs"])
    return frozenset(d for d, p in PLANS.items() if row.get("province") == p)


def split(plan: str, folder: Path) -> tuple[int, int]:
    """train.jsonl (about none of P) and test.jsonl (about P alone), ids made unique."""
    train, test = [], []
    for path in SETS:
        for row in load_questions(path):
            row = {**row, "id": f"{path.stem}:{row['id']}"}
            about = plans_of(row)
            if plan not in about:
                train.append(row)
            elif about == {plan}:
                test.append(row)
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("train", train), ("test", test)):
        with (folder / f"{name}.jsonl").open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(train), len(test)


def run(command: list[str], env: dict | None = None, cwd: Path = ROOT) -> None:
    print("+", " ".join(map(str, command)), file=sys.stderr, flush=True)
    subprocess.run(list(map(str, command)), cwd=cwd, check=True, env={**os.environ, **(env or {})})


def rotation(plan: str, stages: tuple[str, ...], old: Path | None, python: str, encoder: str = "") -> dict:
    """One plan held out. With `encoder` (shipped, none or a folder) the encoder is not
    retrained: it is that adapter's, and a shipped one has seen the plan's questions."""
    folder = ROOT / ".train" / "holdout" / plan
    if "split" in stages or not (folder / "test.jsonl").is_file():
        split(plan, folder)
    train, test = folder / "train.jsonl", folder / "test.jsonl"
    adapter = encoder or folder / "adapter"
    new_env = {"ASSISTANT_ENCODER_ADAPTER": str(adapter), "ASSISTANT_INDEX_DIR": str(folder / "index"),
               "ASSISTANT_INTENT_MODEL": str(folder / "intent"),
               "ASSISTANT_ANSWER_MODEL": str(folder / "answer_model.json")}
    scripts = ROOT / "scripts"
    if "encoder" in stages and not encoder:
        run([python, scripts / "train_encoder.py", "--train", train, "--check", test, "--hold-out", plan,
             "--output", folder / "adapter"])
    if "intent" in stages:
        run([python, scripts / "train_intent.py", "--train", train, "--check", test, "--hold-out", plan,
             "--adapter", adapter, "--index", folder / "index", "--output", folder / "intent"])
    if "answer" in stages:
        run([python, scripts / "fit_answer_model.py", "--train", train, "--check", test, "--hold-out", plan,
             "--adapter", adapter, "--intent", folder / "intent", "--index", folder / "index",
             "--output", folder / "answer_model.json"])
    if "eval" in stages:
        run([python, "-m", "assistant.cli", "eval", "--questions", test, "--output", folder / "eval-new",
             "--no-baseline", "--no-progress"], env=new_env)
    if "old" in stages and old is not None:
        old_env = {"PYTHONPATH": str(old), "ASSISTANT_INDEX_DIR": str(folder / "index-old"),
                   "ASSISTANT_ANSWER_MODEL": str(folder / "answer_model-old.json")}
        run([python, old / "scripts" / "fit_answer_model.py", "--train", train, "--check", test, "--no-synthetic",
             "--output", folder / "answer_model-old.json"], env=old_env, cwd=old)
        run([python, "-c", "import sys; from assistant.cli import main; sys.exit(main(sys.argv[1:]))", "eval",
             "--questions", test, "--output", folder / "eval-old", "--no-baseline", "--no-progress"],
            env=old_env, cwd=old)
    return {name: _figures(folder / name / "latest.json") for name in ("eval-new", "eval-old")}


def _figures(path: Path) -> dict | None:
    if not path.is_file():
        return None
    result = json.loads(path.read_text(encoding="utf-8"))
    overall = result["summary"]["overall"]
    return {"questions": overall["questions"], **{k: overall.get(k) for k in FIGURES}}


def table(results: dict) -> str:
    lines = ["| plan held out | model | questions | strict | lead | refusals | false refusals | high share | "
             "high right | median chars | p50 ms |", "|---" * 11 + "|"]
    for plan, runs in results.items():
        for name, label in (("eval-old", "old"), ("eval-new", "new")):
            f = runs.get(name)
            if f:
                cells = [_cell(f.get(k), k) for k in FIGURES[:-1]]
                if name == "eval-new" and not runs.get("encoder_held_out", True):
                    label += " (encoder not held out)"
                lines.append(f"| {PLANS.get(plan, plan)} | {label} | {f['questions']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _cell(value, key: str) -> str:
    if value is None:
        return "—"
    if key in ("answer_chars_median", "latency_p50_ms"):
        return f"{value:.0f}"
    return f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", nargs="+", default=list(PLANS), choices=list(PLANS))
    parser.add_argument("--stages", default=",".join(STAGES), help=f"comma-separated, of {', '.join(STAGES)}")
    parser.add_argument("--encoder", default="",
                        help="keep this encoder adapter (shipped, none or a folder) instead of training one "
                             "without the plan; the table then says the encoder was not held out")
    parser.add_argument("--old", type=Path, help="a checkout of the code before the learnt relevance (its own "
                                                 "answer model is refitted per rotation)")
    args = parser.parse_args(argv)
    stages = tuple(s.strip() for s in args.stages.split(",") if s.strip())
    results = {plan: {**rotation(plan, stages, args.old, sys.executable, args.encoder),
                      "encoder_held_out": not args.encoder} for plan in args.plans}
    output = ROOT / "eval" / "results" / "holdout-plans"
    output.mkdir(parents=True, exist_ok=True)
    previous = json.loads((output / "holdout.json").read_text()) if (output / "holdout.json").is_file() else {}
    merged = {**previous, **results}
    (output / "holdout.json").write_text(json.dumps(merged, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (output / "holdout.md").write_text(table(merged), encoding="utf-8")
    print(table(merged))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
