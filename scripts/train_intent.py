#!/usr/bin/env python3
"""Fit the intent classifier (assistant/query/intent_model.npz and .json) on the
labelled questions, over the vectors of the encoder the assistant uses (the shipped
adapter unless --adapter says otherwise), and measure it on questions held out.

    .venv/bin/python scripts/train_intent.py
    .venv/bin/python scripts/train_intent.py --hold-out gia-lai-157-kh-ubnd-2024 --output /tmp/intent

Deterministic (fixed seed, cross-validated regularisation); takes about a minute
once the index is built."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.answer.model import AnswerModel  # noqa: E402
from assistant.engine import Assistant  # noqa: E402
from assistant.evaluation import supervision  # noqa: E402
from assistant.evaluation.tune_intent import accuracy, fit_intent  # noqa: E402
from assistant.index.embedding import weights_of  # noqa: E402
from assistant.index.encoder import adapter_id  # noqa: E402
from assistant.query.intent import IntentModel  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from train_encoder import DEFAULT_TRAIN, _commit, _described  # noqa: E402

SHIPPED = ROOT / "assistant" / "query"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=Path, nargs="+", default=DEFAULT_TRAIN)
    parser.add_argument("--check", type=Path, nargs="*", default=[ROOT / "eval" / "heldout.jsonl"])
    parser.add_argument("--hold-out", metavar="DOC_ID")
    parser.add_argument("--adapter", default="shipped", help="the encoder adapter: shipped, none or a folder")
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--output", type=Path, default=SHIPPED)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)

    settings = Settings.from_env(encoder_adapter=args.adapter, index_dir=args.index)
    assistant = Assistant.open(settings, log=lambda m: print(m, file=sys.stderr), warm=False,
                               intents=IntentModel.neutral(), model=AnswerModel.neutral(), same_model=True)
    items = supervision.load_labelled(assistant, args.train)
    train, held = supervision.split_by_plan(items, args.hold_out)
    check = held + [q for q in supervision.load_labelled(assistant, args.check)
                    if args.hold_out is None or q.plans == {args.hold_out}]
    embed = lambda rows: assistant.embedder.embed_queries([q.matching for q in rows])  # noqa: E731
    card = {"fitted_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "code_commit": _commit(),
            "embedder": weights_of(assistant.embedder), "encoder_adapter": adapter_id(settings), "train": [_described(p) for p in args.train],
            "held_out_plan": args.hold_out, "seed": args.seed}
    model = fit_intent(assistant.index, train, embed(train), args.seed, card)
    figures = accuracy(model, assistant.index, check, embed(check)) if check else {}
    model = IntentModel(model.kind, model.meta, model.role, model.answerable, model.slots,
                        {**model.card, "check": [_described(p) for p in args.check], "check_accuracy": figures})
    model.save(args.output)
    print(json.dumps({"training_rows": model.card["training_rows"], "check": figures}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
