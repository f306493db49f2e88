"""How cost grows with the corpus: 1×, 10×, 100× (and 1000×) the five plans.

    python scripts/scale.py --factors 1,10,100 --questions 40 --json eval/results/scale.json

Each factor's corpus is made of renamed copies of corpus/*.txt, each copy perturbed
(its number gets the copy's suffix, so no two documents are the same). Each factor
runs in its own process (so its peak memory is its own) and reports build time,
index size, per-question p50/p95 of `ask` (in-process) and of /api/search (through
the HTTP app, in-process), and peak RSS.

Embedding 133,000 passages would take hours on 2 shared cores, so passages get
stored vectors: the real model embeds the five plans' passages once, and a copy's
passage takes its original's vector (a passage whose text the copy changed gets a
seeded random unit vector; the report counts them). Questions are embedded by the
real model at every size. Build times therefore exclude passage embedding; the real
model's time for the five plans' passages is reported beside them.

--build N measures the cost of building, with the real model as configured (its
back-end, the embedding cache): a generated corpus of N new documents
(scripts/generate_corpus.py, 2,000 documents ≈ 9 MB) built from nothing, then again
after one document was edited, then after one document was added (`assistant add`).

--recall measures the dense index chosen above assistant.index.vectors.EXACT_UP_TO
(IVF-Flat): recall@10 against exact search and time per question, on the stored vectors
of 1000× copies with a little noise, for the eval questions embedded by the real model."""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
_NUMBER = re.compile(r"(Số:\s*[^\s/]*)")


def make_corpus(source: Path, target: Path, factor: int) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for copy in range(factor):
            renamed = path.stem if copy == 0 else f"{path.stem}-ban-{copy:04d}"
            perturbed = text if copy == 0 else _NUMBER.sub(lambda m: f"{m.group(1)}-{copy}", text, count=1)
            (target / f"{renamed}.txt").write_text(perturbed, encoding="utf-8")


class StoredVectors:
    """Passage vectors looked up by text from the real model's vectors of the five plans."""

    name = "stored"

    def __init__(self, stored: dict[str, np.ndarray], dimension: int):
        self.stored, self.dimension, self.misses, self.hits = stored, dimension, 0, 0

    def embed_passages(self, texts, progress=False):
        rows = []
        for text in texts:
            vector = self.stored.get(text)
            if vector is None:
                self.misses += 1
                vector = np.random.default_rng(zlib.crc32(text.encode())).standard_normal(self.dimension)
                vector = (vector / np.linalg.norm(vector)).astype(np.float32)
            else:
                self.hits += 1
            rows.append(vector)
        return np.stack(rows).astype(np.float32)


def _percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"p50_ms": statistics.median(ordered), "p95_ms": ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]}


def _folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def run_one(factor: int, work: Path, questions: list[str]) -> dict:
    """One factor, in this process: build, open, ask, search."""
    from fastapi.testclient import TestClient

    from assistant.engine import Assistant
    from assistant.index.embedding import SentenceTransformerEmbedder
    from assistant.index.store import build_index, load_index
    from assistant.serve.api import create_app
    from assistant.settings import Settings

    corpus, index = work / f"corpus-{factor}", work / f"index-{factor}"
    make_corpus(ROOT / "corpus", corpus, factor)
    stored = np.load(work / "stored.npz", allow_pickle=True)
    passages = StoredVectors(dict(zip(stored["texts"], stored["vectors"])), stored["vectors"].shape[1])
    settings = Settings.from_env(corpus_dir=corpus, index_dir=index)
    started = time.perf_counter()
    report = build_index(settings, passages)
    built = time.perf_counter() - started
    started = time.perf_counter()
    assistant = Assistant(settings, load_index(settings), SentenceTransformerEmbedder(settings))
    opened = time.perf_counter() - started
    assistant.warm_up()
    asks, searches = [], []
    with TestClient(create_app(settings, assistant)) as client:
        for question in questions:
            started = time.perf_counter()
            assistant.ask(question)
            asks.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            assert client.get("/api/search", params={"q": question, "k": 5}).status_code == 200
            searches.append((time.perf_counter() - started) * 1000)
    return {"factor": factor, "documents": report.documents, "chunks": report.chunks, "build_s": built,
            "open_s": opened, "index_mb": _folder_mb(index), "stored_vectors": passages.hits,
            "random_vectors": passages.misses, "ask": _percentiles(asks), "search": _percentiles(searches),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rss_after_mb": int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20}


def store_real_vectors(work: Path) -> float:
    """The real model's vectors of the five plans' passages; returns the seconds it took."""
    from assistant.index.chunking import chunk_documents
    from assistant.index.embedding import SentenceTransformerEmbedder
    from assistant.ingest.documents import read_corpus
    from assistant.settings import Settings

    settings = Settings.from_env(corpus_dir=ROOT / "corpus")
    documents, _ = read_corpus(ROOT / "corpus")
    texts = [c.matching_text() for c in chunk_documents(documents, settings.chunk_size)]
    embedder = SentenceTransformerEmbedder(settings)
    embedder.embed_queries(["khởi động"])  # the model's loading is not embedding time
    started = time.perf_counter()
    vectors = embedder.embed_passages(texts)
    seconds = time.perf_counter() - started
    np.savez(work / "stored.npz", texts=np.array(texts, dtype=object), vectors=vectors)
    return seconds


def measure_recall(work: Path, questions: list[str], copies: int = 1000, noise: float = 0.02) -> dict:
    import faiss

    from assistant.index.embedding import SentenceTransformerEmbedder
    from assistant.index.vectors import EXACT_UP_TO, build_vector_index
    from assistant.settings import Settings

    stored = np.load(work / "stored.npz", allow_pickle=True)["vectors"]
    rng = np.random.default_rng(0)
    passages = np.repeat(stored, copies, axis=0) + rng.normal(0, noise, (len(stored) * copies, stored.shape[1]))
    passages = (passages / np.linalg.norm(passages, axis=1, keepdims=True)).astype(np.float32)
    queries = SentenceTransformerEmbedder(Settings.from_env()).embed_queries(questions)
    started = time.perf_counter()
    chosen = build_vector_index(passages)
    build_s = time.perf_counter() - started
    exact = faiss.IndexFlatIP(passages.shape[1])
    exact.add(passages)
    timings = {}
    for name, index in (("chosen", chosen), ("exact", exact)):
        started = time.perf_counter()
        _, found = index.search(queries, 10)
        timings[name] = (time.perf_counter() - started) * 1000 / len(questions), found
    recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(timings["chosen"][1], timings["exact"][1])]))
    return {"passages": len(passages), "index": type(chosen).__name__, "threshold": EXACT_UP_TO,
            "recall_at_10": recall, "build_s": build_s, "chosen_ms_per_question": timings["chosen"][0],
            "exact_ms_per_question": timings["exact"][0], "noise": noise}


def measure_build(work: Path, documents: int) -> dict:
    """Build from nothing, after one edit, after one add: seconds and texts embedded."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from generate_corpus import document, generate, section_pool

    from assistant.index.embedding import SentenceTransformerEmbedder
    from assistant.index.library import add_files
    from assistant.index.store import build_index
    from assistant.settings import Settings

    corpus = work / f"generated-{documents}"
    size = generate(corpus, documents)
    settings = Settings.from_env(corpus_dir=corpus, index_dir=work / f"index-generated-{documents}")
    progress = sys.stderr.isatty()
    result = {"documents": documents, "corpus_mb": size / 2**20, "backend": settings.embedding_backend,
              "load_before": os.getloadavg()[0]}
    started = time.perf_counter()  # the model's loading counts: it is part of `assistant build`
    first = build_index(settings, SentenceTransformerEmbedder(settings), progress=progress)
    result["from_nothing_s"], result["chunks"] = time.perf_counter() - started, first.chunks
    edited = corpus / "ke-hoach-00000.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nBổ sung: Sở Ngoại vụ tổng hợp kết quả hằng quý.\n",
                      encoding="utf-8")
    started = time.perf_counter()
    second = build_index(settings, SentenceTransformerEmbedder(settings), progress=progress)
    result["one_edit_s"], result["one_edit_embedded"] = time.perf_counter() - started, second.embedded
    stem, text = document(documents, section_pool())
    new = work / f"{stem}.txt"
    new.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    added = add_files(settings, [new], SentenceTransformerEmbedder(settings), progress=progress)
    result["one_add_s"], result["one_add_embedded"] = time.perf_counter() - started, added.build.embedded
    result["load_after"] = os.getloadavg()[0]
    return result


def read_questions(path: Path, limit: int) -> list[str]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["question"] for r in rows if not r.get("history")][:limit]


def markdown(report: dict) -> str:
    lines = ["| × | văn bản | đoạn | xây dựng (s) | mở (s) | chỉ mục (MB) | ask p50 / p95 (ms) | /api/search p50 / p95 (ms) "
             "| RSS đỉnh (MB) |", "|---|---|---|---|---|---|---|---|---|"]
    for r in report["factors"]:
        lines.append(f"| {r['factor']} | {r['documents']} | {r['chunks']} | {r['build_s']:.1f} | {r['open_s']:.1f} | "
                     f"{r['index_mb']:.1f} | {r['ask']['p50_ms']:.0f} / {r['ask']['p95_ms']:.0f} | "
                     f"{r['search']['p50_ms']:.0f} / {r['search']['p95_ms']:.0f} | {r['peak_rss_mb']:.0f} |")
    if report.get("recall"):
        r = report["recall"]
        lines.append(f"\n{r['index']} over {r['passages']} vectors: recall@10 {r['recall_at_10']:.3f} against exact, "
                     f"{r['chosen_ms_per_question']:.2f} ms vs {r['exact_ms_per_question']:.2f} ms a question "
                     f"(built in {r['build_s']:.1f} s)")
    lines.append(f"\nreal passage embedding of the five plans: {report['embed_1x_s']:.1f} s")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", default="1,10,100")
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--recall", action="store_true", help="also measure the HNSW index at 1000×")
    parser.add_argument("--build", type=int, metavar="N", help="only measure building a generated corpus of N documents")
    parser.add_argument("--work", type=Path, help="folder for the corpora and indexes (default: a temporary one)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # run one factor here, print JSON
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    questions = read_questions(ROOT / "eval" / "questions.jsonl", args.questions)
    work = args.work or Path(tempfile.mkdtemp(prefix="scale-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.one:
        print(json.dumps(run_one(args.one, work, questions)))
        return 0
    if args.build:
        built = measure_build(work, args.build)
        print(json.dumps(built, indent=1))
        if args.json:
            args.json.write_text(json.dumps(built, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return 0
    if (work / "stored.npz").is_file():  # a second run in the same folder (--work) keeps the first's vectors
        report = {"embed_1x_s": json.loads((work / "embed.json").read_text())["seconds"], "factors": []}
    else:
        report = {"embed_1x_s": store_real_vectors(work), "factors": []}
        (work / "embed.json").write_text(json.dumps({"seconds": report["embed_1x_s"]}))
    for factor in [int(f) for f in args.factors.split(",") if f]:
        done = subprocess.run([sys.executable, __file__, "--one", str(factor), "--work", str(work),
                               "--questions", str(args.questions)], capture_output=True, text=True, cwd=ROOT)
        if done.returncode:
            print(f"Error: factor {factor} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
            return 1
        report["factors"].append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(report["factors"][-1]), file=sys.stderr)
    if args.recall:
        report["recall"] = measure_recall(work, questions)
    print(markdown(report))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
