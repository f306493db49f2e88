"""What a question costs against its floor: `ask` beside bare embed-and-search.

    python scripts/bench_ask.py --json eval/results/bench-ask.json

The floor is what any answer needs: the float model embeds the question and FAISS
returns the top passages; it is measured twice, with the model run through torch
(sentence-transformers) and as its ONNX graph (the same vectors). `ask` is the whole assistant as configured (its
embedding back-end, hybrid retrieval, the answer stage, and whatever reranker the
answer stage loads). Both run in this process on the same index, question by question
in turns, so the machine's load falls on both alike; the ratio of their medians is the
figure (target: at most 2×). Re-run it after a change to the answer stage. A dev tool:
it reports and asserts nothing."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def questions(limit: int) -> list[str]:
    rows = [json.loads(line) for name in ("heldout.jsonl", "blind.jsonl")
            for line in (ROOT / "eval" / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["question"] for r in rows if not r.get("history")][:limit]


def main(argv=None) -> int:
    from assistant.engine import Assistant
    from assistant.index.embedding import SentenceTransformerEmbedder

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=90)
    parser.add_argument("--index", type=Path, help="index folder (default: a fresh one in /tmp)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    from assistant.settings import Settings

    settings = Settings.from_env(corpus_dir=ROOT / "corpus", index_dir=args.index or Path("/tmp/bench-ask-index"))
    assistant = Assistant.open(settings)
    floors = {name: SentenceTransformerEmbedder(replace(settings, embedding_backend=backend))
              for name, backend in (("embed_search", "torch"), ("embed_search_onnx", "onnx"))}
    for floor in floors.values():
        floor.embed_queries(["khởi động"])
    times = {"ask": [], "embed_search": [], "embed_search_onnx": []}
    load_before = os.getloadavg()[0]
    for question in questions(args.questions):
        started = time.perf_counter()
        assistant.ask(question)
        times["ask"].append((time.perf_counter() - started) * 1000)
        for name, floor in floors.items():
            started = time.perf_counter()
            assistant.index.vectors.search(floor.embed_queries([question]), settings.top_k)
            times[name].append((time.perf_counter() - started) * 1000)
    report = {"questions": len(times["ask"]), "backend": settings.embedding_backend,
              "ask_p50_ms": statistics.median(times["ask"]),
              "embed_search_p50_ms": statistics.median(times["embed_search"]),
              "embed_search_onnx_p50_ms": statistics.median(times["embed_search_onnx"]),
              "load_before": load_before, "load_after": os.getloadavg()[0]}
    report["ratio"] = report["ask_p50_ms"] / report["embed_search_p50_ms"]
    report["ratio_onnx"] = report["ask_p50_ms"] / report["embed_search_onnx_p50_ms"]
    print(f"{report['questions']} questions: ask p50 {report['ask_p50_ms']:.1f} ms ({report['backend']}), "
          f"float embed+search p50 {report['embed_search_p50_ms']:.1f} ms through torch (ratio "
          f"{report['ratio']:.2f}×), {report['embed_search_onnx_p50_ms']:.1f} ms as ONNX (ratio "
          f"{report['ratio_onnx']:.2f}×) "
          f"(load {load_before:.1f} → {report['load_after']:.1f} on {os.cpu_count()} cores)")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
