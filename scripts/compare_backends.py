"""The int8 ONNX embedder beside the float model, in one run: speed and retrieval.

    python scripts/compare_backends.py --json eval/results/backends.json

Both back-ends embed the same texts in alternating calls (so the machine's load falls on
both alike): the five plans' passages (per-passage time), then every question of the
evaluation sets (per-question time). Retrieval is measured on the same index with each
back-end's vectors: hit@1 and hit@5 (a passage holding the item's evidence among the
first 1 or 5), doc@1 (the first passage is from the expected document), for the hybrid
retrieval the assistant runs and for the dense channel alone; then doc@1 on a generated
corpus of --documents documents (scripts/generate_corpus.py) with questions made from
their own sentences. int8 is accepted as the default only if no figure drops by more
than 0.01 against float. A dev tool: it reports and asserts nothing."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
SETS = ("questions.jsonl", "heldout.jsonl", "blind.jsonl")
BACKENDS = ("torch", "onnx", "onnx-int8")  # the first is the reference
TOLERANCE = 0.01


class Stored:
    """An embedder that hands back vectors computed beforehand (unknown texts: zeros)."""

    def __init__(self, name: str, passages: dict[str, np.ndarray], queries: dict[str, np.ndarray]):
        self.name, self.passages, self.queries = name, passages, queries
        self.dimension = len(next(iter(passages.values())))

    def _get(self, table, texts):
        return np.stack([table.get(t, np.zeros(self.dimension, np.float32)) for t in texts]).astype(np.float32)

    def embed_passages(self, texts, progress=False):
        return self._get(self.passages, texts)

    def embed_queries(self, texts):
        return self._get(self.queries, texts)


def paired_embed(embedders: dict, texts: list[str], kind: str, batch: int) -> tuple[dict, dict]:
    """Vectors of every text by each back-end, and each back-end's seconds per text,
    the back-ends taking turns call by call."""
    vectors = {name: [] for name in embedders}
    seconds = {name: 0.0 for name in embedders}
    for at in range(0, len(texts), batch):
        part = texts[at:at + batch]
        for name, embedder in embedders.items():
            started = time.perf_counter()
            out = embedder.embed_queries(part) if kind == "query" else embedder.embed_passages(part)
            seconds[name] += time.perf_counter() - started
            vectors[name].append(out)
    return ({name: dict(zip(texts, np.concatenate(v))) for name, v in vectors.items()},
            {name: s / max(1, len(texts)) for name, s in seconds.items()})


def per_query_ms(embedders: dict, questions: list[str]) -> dict:
    """Median milliseconds to embed one question, back-ends alternating question by question."""
    times = {name: [] for name in embedders}
    for question in questions:
        for name, embedder in embedders.items():
            started = time.perf_counter()
            embedder.embed_queries([question])
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(t) for name, t in times.items()}


def open_assistants(settings, work: Path, passages: dict, queries: dict) -> dict:
    """One assistant per back-end over the same corpus, each with its own vectors."""
    from assistant.engine import Assistant
    from assistant.index.store import build_index, load_index

    assistants = {}
    for name in BACKENDS:
        stored = Stored(name, passages[name], queries[name])
        local = replace(settings, index_dir=work / f"index-{name}", embedding_cache=work / f"cache-{name}")
        build_index(local, stored)
        assistants[name] = Assistant(local, load_index(local), stored)
    return assistants


def retrieval(assistant, items: list[dict]) -> dict:
    from assistant.evaluation.metrics import evidence_rank

    hybrid, dense = {"hit@1": [], "hit@5": [], "doc@1": []}, {"hit@1": [], "hit@5": [], "doc@1": []}
    chunks = assistant.index.chunks
    for item in items:
        parsed = assistant.understand(item["question"], item.get("province"))
        hits = [h.chunk for h in assistant.retriever.search(parsed, k=5)]
        _, ids = assistant.index.vectors.search(assistant.retriever.embed(parsed), 5)
        for table, found in ((hybrid, hits), (dense, [chunks[i] for i in ids[0] if i >= 0])):
            table["doc@1"].append(bool(found) and found[0].doc_id in item["docs"])
            if item.get("evidence"):
                rank = evidence_rank([c.text for c in found], item["evidence"])
                table["hit@1"].append(rank == 1)
                table["hit@5"].append(rank is not None and rank <= 5)
    return {f"{channel} {metric}": (sum(flags) / len(flags) if flags else None)
            for channel, table in (("hybrid", hybrid), ("dense", dense)) for metric, flags in table.items()
            if flags}


def measure(corpus: Path, items: list[dict], embedders: dict, work: Path, label: str) -> dict:
    from assistant.index.chunking import chunk_documents
    from assistant.ingest.documents import read_corpus
    from assistant.settings import Settings

    settings = Settings.from_env(corpus_dir=corpus, index_dir=work / "unused")
    documents, _ = read_corpus(corpus)
    texts = list(dict.fromkeys(c.matching_text() for c in chunk_documents(documents, settings.chunk_size)))
    passages, per_passage = paired_embed(embedders, texts, "passage", batch=64)
    parsed_texts = _matching_forms(settings, items, passages, work / label)
    queries, _ = paired_embed(embedders, parsed_texts, "query", batch=32)
    assistants = open_assistants(settings, work / label, passages, queries)
    return {"documents": len(documents), "passages": len(texts), "questions": len(items),
            "seconds_per_passage": per_passage,
            "retrieval": {name: retrieval(assistants[name], items) for name in BACKENDS}}


def _matching_forms(settings, items, passages, work: Path) -> list[str]:
    """The texts the retriever embeds for the questions (their parsed matching form)."""
    from assistant.engine import Assistant
    from assistant.index.store import build_index, load_index

    name = BACKENDS[0]
    stored = Stored(name, passages[name], {})
    local = replace(settings, index_dir=work / "parse", embedding_cache=work / "parse-cache")
    build_index(local, stored)
    assistant = Assistant(local, load_index(local), stored)
    return list(dict.fromkeys(assistant.understand(i["question"], i.get("province")).matching for i in items))


def read_items(limit: int | None) -> list[dict]:
    items = []
    for name in SETS:
        rows = [json.loads(line) for line in (ROOT / "eval" / name).read_text(encoding="utf-8").splitlines()
                if line.strip()]
        items += [r for r in rows if not r.get("history")]
    return items[:limit] if limit else items


def verdict(report: dict, backend: str) -> tuple[bool, list[str]]:
    """Accepted when no retrieval figure is more than TOLERANCE below the reference's."""
    worse = []
    for part in ("plans", "generated"):
        figures = report.get(part, {}).get("retrieval", {})
        for metric, base in figures.get(BACKENDS[0], {}).items():
            other = figures[backend].get(metric)
            if base is not None and other is not None and base - other > TOLERANCE:
                worse.append(f"{part} {metric}: {base:.3f} → {other:.3f}")
    return not worse, worse


def markdown(report: dict) -> str:
    reference = BACKENDS[0]
    lines = ["| | " + " | ".join(BACKENDS) + " |", "|---" * (len(BACKENDS) + 1) + "|"]
    for part in ("plans", "generated"):
        block = report.get(part)
        if not block:
            continue
        lines.append(f"| **{part}**: {block['documents']} văn bản, {block['passages']} đoạn, "
                     f"{block['questions']} câu hỏi |" + " |" * len(BACKENDS))
        for metric in block["retrieval"][reference]:
            lines.append(f"| {metric} | " + " | ".join(f"{block['retrieval'][b][metric]:.3f}" for b in BACKENDS) + " |")
        s = block["seconds_per_passage"]
        lines.append("| ms / đoạn | " + " | ".join(f"{s[b] * 1000:.1f} ({s[reference] / s[b]:.2f}×)"
                                                   for b in BACKENDS) + " |")
    q = report["ms_per_question"]
    lines.append("| ms / câu hỏi (trung vị) | " + " | ".join(f"{q[b]:.1f} ({q[reference] / q[b]:.2f}×)"
                                                            for b in BACKENDS) + " |")
    for backend in BACKENDS[1:]:
        accepted, worse = verdict(report, backend)
        lines.append(f"\n{backend} {'accepted' if accepted else 'NOT accepted'} (tolerance {TOLERANCE})"
                     + ("" if accepted else ": " + "; ".join(worse)))
    lines.append(f"load average before / after: {report['load_before']:.1f} / {report['load_after']:.1f} "
                 f"on {report['cores']} cores")
    return "\n".join(lines)


def main(argv=None) -> int:
    from assistant.index.embedding import SentenceTransformerEmbedder
    from assistant.settings import Settings
    from generate_corpus import generate, make_questions

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000, help="generated corpus size (0: skip it)")
    parser.add_argument("--questions", type=int, default=300, help="doc@1 questions on the generated corpus")
    parser.add_argument("--limit", type=int, help="evaluation items (default: all without history)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="backends-"))
    base = Settings.from_env()
    embedders = {name: SentenceTransformerEmbedder(replace(base, embedding_backend=name)) for name in BACKENDS}
    for embedder in embedders.values():
        embedder.embed_queries(["khởi động"])  # loading is not embedding time
    report = {"load_before": os.getloadavg()[0], "cores": os.cpu_count()}
    items = read_items(args.limit)
    report["ms_per_question"] = per_query_ms(embedders, [i["question"] for i in items])
    report["plans"] = measure(ROOT / "corpus", items, embedders, work, "plans")
    print(json.dumps(report["plans"]["retrieval"]), file=sys.stderr, flush=True)
    if args.documents:
        generate(work / "generated", args.documents)
        texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((work / "generated").glob("*.txt"))}
        report["generated"] = measure(work / "generated", make_questions(texts, args.questions), embedders, work,
                                      "generated")
    report["load_after"] = os.getloadavg()[0]
    report["verdicts"] = {b: verdict(report, b) for b in BACKENDS[1:]}
    print(markdown(report))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
