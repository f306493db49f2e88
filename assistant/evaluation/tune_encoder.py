"""Fine-tune the encoder: a LoRA adapter (peft) on the bundled e5-small, trained with
sentence-transformers' MultipleNegativesRankingLoss (its cached form, GradCache, so a
batch of 32 triples fits in little memory) on (question, evidence sentence, hard negative)
triples, and measured by where each held-out question's evidence
ranks among every indexed sentence, before and after.

Only scripts call this (scripts/train_encoder.py, scripts/holdout_plans.py): setup
and tests never train."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..index.encoder import ADAPTER_FILES
from ..index.store import Index
from .supervision import Labelled, sentence_text

QUERY, PASSAGE = "query: ", "passage: "  # e5's prompts, as the embedder adds them


@dataclass(frozen=True)
class Recipe:
    """Everything that decides the adapter, recorded in its card."""

    seed: int = 13
    epochs: int = 1
    rank: int = 16
    alpha: int = 32
    dropout: float = 0.05
    learning_rate: float = 2e-4
    batch_size: int = 32
    mini_batch_size: int = 8  # GradCache: the batch's negatives at the memory of this many texts
    max_seq_length: int = 128
    first_layer: int = 6  # adapters on this layer and above: backpropagation stops there
    threads: int = 2


def train_adapter(base_folder: Path, triples: list[tuple[str, str, str]], output: Path, recipe: Recipe,
                  log=print) -> dict:
    """Train and save the adapter files into `output`; returns what the card records."""
    import torch
    from datasets import Dataset
    from peft import LoraConfig, TaskType
    from sentence_transformers import SentenceTransformer, SentenceTransformerTrainer
    from sentence_transformers.sentence_transformer.losses import CachedMultipleNegativesRankingLoss
    from sentence_transformers.sentence_transformer.training_args import (
        BatchSamplers, SentenceTransformerTrainingArguments)

    torch.set_num_threads(recipe.threads)
    random.seed(recipe.seed)
    np.random.seed(recipe.seed)
    torch.manual_seed(recipe.seed)
    model = SentenceTransformer(str(base_folder), device="cpu")
    model.max_seq_length = recipe.max_seq_length
    layers = model[0].auto_model.config.num_hidden_layers
    model.add_adapter(LoraConfig(task_type=TaskType.FEATURE_EXTRACTION, r=recipe.rank, lora_alpha=recipe.alpha,
                                 lora_dropout=recipe.dropout, target_modules=["query", "key", "value", "dense"],
                                 layers_to_transform=list(range(recipe.first_layer, layers)), layers_pattern="layer"))
    data = Dataset.from_dict({"anchor": [t[0] for t in triples], "positive": [t[1] for t in triples],
                              "negative": [t[2] for t in triples]})
    scratch = output / "_trainer"
    args = SentenceTransformerTrainingArguments(
        output_dir=str(scratch), num_train_epochs=recipe.epochs, per_device_train_batch_size=recipe.batch_size,
        learning_rate=recipe.learning_rate, warmup_steps=0.1, seed=recipe.seed, data_seed=recipe.seed,
        batch_sampler=BatchSamplers.NO_DUPLICATES, save_strategy="no", report_to="none", logging_steps=10,
        use_cpu=True, dataloader_num_workers=0,
        prompts={"anchor": QUERY, "positive": PASSAGE, "negative": PASSAGE})
    started = time.perf_counter()
    trainer = SentenceTransformerTrainer(model=model, args=args, train_dataset=data,
                                         loss=CachedMultipleNegativesRankingLoss(
                                             model, mini_batch_size=recipe.mini_batch_size))
    result = trainer.train()
    seconds = time.perf_counter() - started
    output.mkdir(parents=True, exist_ok=True)
    model[0].auto_model.save_pretrained(str(output))
    _tidy(output)
    log(f"trained on {len(triples)} triples in {seconds:.0f} s (loss {result.training_loss:.3f})")
    return {"triples": len(triples), "train_seconds": round(seconds), "final_loss": round(result.training_loss, 4)}


def _tidy(output: Path) -> None:
    """Keep the adapter's two files and nothing the trainer left."""
    import shutil

    shutil.rmtree(output / "_trainer", ignore_errors=True)
    for path in output.iterdir():
        if path.is_file() and path.name not in ADAPTER_FILES and path.name != "training.json":
            path.unlink()
    missing = [name for name in ADAPTER_FILES if not (output / name).is_file()]
    if missing:
        raise RuntimeError(f"the trainer did not write {missing} into {output}")


def evidence_ranks(model, index: Index, items: list[Labelled]) -> dict:
    """Dense-only evidence retrieval by `model` (a SentenceTransformer): hit@1 and
    hit@5 over every indexed sentence, and over the sentences of the question's plans."""
    items = [q for q in items if q.answerable and q.evidence]
    if not items:
        return {"questions": 0}
    texts = [sentence_text(index, i) for i in range(len(index.sentences.rows))]
    passages = model.encode(texts, prompt=PASSAGE, normalize_embeddings=True, batch_size=32)
    queries = model.encode([q.matching for q in items], prompt=QUERY, normalize_embeddings=True, batch_size=32)
    docs = np.array([r[0] for r in index.sentences.rows])
    hits = {"all": [], "plans": []}
    for q, vector in zip(items, queries):
        scores = passages @ vector
        for scope, mask in (("all", np.ones(len(docs), bool)), ("plans", np.isin(docs, list(q.plans)))):
            ranked = np.argsort(-np.where(mask, scores, -np.inf))
            first = next(r for r, i in enumerate(ranked) if int(i) in q.evidence)
            hits[scope].append(first)
    return {"questions": len(items),
            **{f"hit{k}_{scope}": round(float(np.mean([r < k for r in ranks])), 4)
               for scope, ranks in hits.items() for k in (1, 5)}}
