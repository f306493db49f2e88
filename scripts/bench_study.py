"""Benchmark for the study views: how long each view takes to build and render for the
whole corpus, read from the index (no model is loaded).

    python scripts/bench_study.py --repeat 20 --json eval/results/study-bench.json

For each view (the five overviews, the unit and topic matrices, deadlines, a 20-question
quiz) it times, `--repeat` times each, the view built and rendered as JSON, Markdown, .docx
and .xlsx, and reports the median and the slowest run. "warm" reuses the plans read once
(as `assistant serve` does); "cold" reads the plans again each time (as one `assistant
study` command does). A dev tool, not a test: it asserts nothing; it says which views
took 1 s or more."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from assistant.engine import Assistant
from assistant.settings import Settings
from assistant.study.corpus import StudyCorpus
from assistant.study.export import export
from assistant.study.views import build_view, to_json

FORMATS = ("json", "md", "docx", "xlsx")
BUDGET_SECONDS = 1.0


def _views(corpus: StudyCorpus) -> list[tuple[str, dict]]:
    overviews = [(f"overview {doc_id}", {"name": "overview", "doc_id": doc_id}) for doc_id in corpus.plans]
    return overviews + [("matrix (unit)", {"name": "matrix", "by": "unit"}),
                        ("matrix (topic)", {"name": "matrix", "by": "topic"}),
                        ("deadlines", {"name": "deadlines"}),
                        ("quiz (20)", {"name": "quiz", "count": 20, "seed": 1})]


def _render(corpus: StudyCorpus, options: dict, fmt: str) -> int:
    options = dict(options)
    view, handout = build_view(corpus, options.pop("name"), **options)
    if fmt == "json":
        return len(json.dumps(to_json(view), ensure_ascii=False))
    return len(export(handout(), fmt))


def _time(action, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="runs per view and format (default 20)")
    parser.add_argument("--index", type=Path, help="index folder (default index/, ASSISTANT_INDEX_DIR)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if not 1 <= args.repeat <= 1000:
        print("Error: --repeat phải từ 1 đến 1000", file=sys.stderr)
        return 2
    index = Assistant.open(Settings.from_env(index_dir=args.index), warm=False).index
    read = _time(lambda: StudyCorpus.from_index(index), args.repeat)
    corpus = StudyCorpus.from_index(index)
    rows = []
    for label, options in _views(corpus):
        for fmt in FORMATS:
            warm = _time(lambda: _render(corpus, options, fmt), args.repeat)
            cold = _time(lambda: _render(StudyCorpus.from_index(index), options, fmt), args.repeat)
            rows.append({"view": label, "format": fmt, "warm_median_ms": 1000 * statistics.median(warm),
                         "warm_max_ms": 1000 * max(warm), "cold_median_ms": 1000 * statistics.median(cold),
                         "cold_max_ms": 1000 * max(cold)})
    report = {"documents": len(corpus.plans), "tasks": sum(len(p.tasks) for p in corpus.plans.values()),
              "repeat": args.repeat, "read_plans_median_ms": 1000 * statistics.median(read), "views": rows}
    print(f"{report['documents']} văn bản, {report['tasks']} nhiệm vụ; đọc kế hoạch (trung vị): "
          f"{report['read_plans_median_ms']:.1f} ms; {args.repeat} lần mỗi ô")
    print(f"{'trang':40} {'định dạng':9} {'warm p50':>9} {'warm max':>9} {'cold p50':>9} {'cold max':>9}")
    for row in rows:
        print(f"{row['view']:40} {row['format']:9} {row['warm_median_ms']:9.1f} {row['warm_max_ms']:9.1f} "
              f"{row['cold_median_ms']:9.1f} {row['cold_max_ms']:9.1f}")
    slow = [r for r in rows if r["cold_max_ms"] >= 1000 * BUDGET_SECONDS]
    print("Mọi trang dưới 1 giây." if not slow else f"{len(slow)} ô từ 1 giây trở lên: "
          + ", ".join(f"{r['view']} {r['format']}" for r in slow))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
