"""Fine-tune the encoder: a LoRA adapter (peft) on the top layers of the bundled
e5-small, trained with the multiple-negatives ranking loss (in-batch negatives plus one
hard negative per question) on (question, evidence sentence, hard negative) triples,
and measured by where each held-out question's evidence ranks among every indexed
sentence, before and after.

The layers below the adapted ones are frozen, so their output for every text is
computed once and kept: each training step runs only the top layers. That is what
makes training fit a 2-core machine (minutes, not hours) and a few GB of memory.

Only scripts call this (scripts/train_encoder.py, scripts/holdout_plans.py): setup
and tests never train."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..index.encoder import ADAPTER_FILES, CARD
from ..index.store import Index
from .supervision import Labelled, sentence_text

QUERY, PASSAGE = "query: ", "passage: "  # e5's prompts, as the embedder adds them


@dataclass(frozen=True)
class Recipe:
    """Everything that decides the adapter, recorded in its card."""

    seed: int = 13
    epochs: int = 2
    rank: int = 16
    alpha: int = 32
    dropout: float = 0.05
    learning_rate: float = 3e-4
    batch_size: int = 32
    scale: float = 20.0  # cosine similarities times this are the loss's logits (sentence-transformers' default)
    max_seq_length: int = 128
    first_layer: int = 8  # adapters on this layer and above; the layers below are frozen and cached
    threads: int = 2


def train_adapter(base_folder: Path, triples: list[tuple[str, str, str]], output: Path, recipe: Recipe,
                  log=print) -> dict:
    """Train and save the adapter files into `output`; returns what the card records."""
    import torch
    from peft import LoraConfig, get_peft_model
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(recipe.threads)
    random.seed(recipe.seed)
    torch.manual_seed(recipe.seed)
    model = SentenceTransformer(str(base_folder), device="cpu")
    bert, tokenizer = model[0].auto_model, model[0].tokenizer
    started = time.perf_counter()
    texts = sorted({QUERY + a for a, _, _ in triples} | {PASSAGE + t for _, p, n in triples for t in (p, n)})
    cached = _frozen_outputs(bert, tokenizer, texts, recipe)
    log(f"{len(texts)} texts through the frozen layers in {time.perf_counter() - started:.0f} s")
    layers = bert.config.num_hidden_layers
    adapted = get_peft_model(bert, LoraConfig(
        r=recipe.rank, lora_alpha=recipe.alpha, lora_dropout=recipe.dropout,
        target_modules=["query", "key", "value", "dense"], layers_to_transform=list(range(recipe.first_layer, layers)),
        layers_pattern="layer"))
    top = bert.encoder.layer[recipe.first_layer:]
    parameters = [p for p in adapted.parameters() if p.requires_grad]
    batches = _batches(triples, recipe)
    total = len(batches) * recipe.epochs
    optimiser = torch.optim.AdamW(parameters, lr=recipe.learning_rate)
    warmup = max(1, total // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / max(1, total - warmup))))
    adapted.train()
    losses = []
    for epoch in range(recipe.epochs):
        for n, batch in enumerate(_batches(triples, Recipe(**{**vars(recipe), "seed": recipe.seed + epoch}))):
            queries = _encode_top(bert, top, [cached[QUERY + a] for a, _, _ in batch])
            passages = _encode_top(bert, top, [cached[PASSAGE + p] for _, p, _ in batch] +
                                   [cached[PASSAGE + x] for _, _, x in batch])
            logits = recipe.scale * queries @ passages.T
            loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(batch)))
            loss.backward()
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            losses.append(float(loss))
            if (n + 1) % 10 == 0:
                log(f"epoch {epoch + 1} step {n + 1}/{len(batches)} loss {np.mean(losses[-10:]):.3f}")
    seconds = time.perf_counter() - started
    output.mkdir(parents=True, exist_ok=True)
    adapted.save_pretrained(str(output))
    _tidy(output)
    log(f"trained on {len(triples)} triples, {recipe.epochs} epochs, in {seconds:.0f} s")
    return {"triples": len(triples), "train_seconds": round(seconds),
            "final_loss": round(float(np.mean(losses[-10:])), 4)}


def _frozen_outputs(bert, tokenizer, texts: list[str], recipe: Recipe) -> dict:
    """Each text's token states after the frozen layers (half precision: they are
    only inputs), computed once."""
    import torch

    out = {}
    with torch.no_grad():
        for start in range(0, len(texts), 32):
            chunk = texts[start:start + 32]
            encoded = tokenizer(chunk, padding=True, truncation=True, max_length=recipe.max_seq_length,
                                return_tensors="pt")
            states = bert(**encoded, output_hidden_states=True).hidden_states[recipe.first_layer]
            for i, text in enumerate(chunk):
                length = int(encoded["attention_mask"][i].sum())
                out[text] = states[i, :length].to(torch.float16)
    return out


def _encode_top(bert, top, states: list):
    """The adapted top layers over cached states, mean-pooled and normalised as
    sentence-transformers pools e5 (every token, the prompt's too)."""
    import torch

    length = max(s.shape[0] for s in states)
    hidden = torch.zeros(len(states), length, states[0].shape[1])
    mask = torch.zeros(len(states), length, dtype=torch.long)
    for i, s in enumerate(states):
        hidden[i, :s.shape[0]] = s.float()
        mask[i, :s.shape[0]] = 1
    extended, _ = bert._create_attention_masks(attention_mask=mask, encoder_attention_mask=None,
                                               embedding_output=hidden, encoder_hidden_states=None,
                                               past_key_values=None)
    for layer in top:
        hidden = layer(hidden, extended)
    pooled = (hidden * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True)
    return torch.nn.functional.normalize(pooled, dim=-1)


def _batches(triples: list[tuple[str, str, str]], recipe: Recipe) -> list[list[tuple[str, str, str]]]:
    """Shuffled batches in which no text appears twice: an evidence sentence two questions
    share would otherwise be taught as wrong for one of them."""
    remaining = list(triples)
    random.Random(recipe.seed).shuffle(remaining)
    batches = []
    while remaining:
        batch, seen, rest = [], set(), []
        for triple in remaining:
            if len(batch) < recipe.batch_size and not seen & set(triple):
                batch.append(triple)
                seen |= set(triple)
            else:
                rest.append(triple)
        batches.append(batch)
        remaining = rest
    return batches


def _tidy(output: Path, base_name: str = "intfloat/multilingual-e5-small") -> None:
    """Keep the adapter's two files (and its card) and nothing else, readable by all
    (peft writes its weights 0600), naming the base model, not this machine's folder."""
    import json

    for path in output.iterdir():
        if path.is_file() and path.name not in ADAPTER_FILES and path.name != CARD:
            path.unlink()
    missing = [name for name in ADAPTER_FILES if not (output / name).is_file()]
    if missing:
        raise RuntimeError(f"peft did not write {missing} into {output}")
    config = output / ADAPTER_FILES[0]
    data = json.loads(config.read_text(encoding="utf-8"))
    config.write_text(json.dumps({**data, "base_model_name_or_path": base_name}, indent=2) + "\n", encoding="utf-8")
    for name in ADAPTER_FILES:
        (output / name).chmod(0o644)


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
