"""`assistant eval`: run a question file through the assistant and the baseline
in one process and report evidence hits, answer and refusal accuracy, quote
fidelity, answer length and latency, overall and by type, variant, province,
document and format, with the run's timing context (`figures` computes them)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Callable

from tqdm import tqdm

from .. import engine
from ..engine import Assistant
from ..errors import AssistantError
from ..settings import Settings
from . import metrics
from .baseline import Baseline
from .figures import summarise
from .provenance import code_version, question_set
from .questions import Selection, load_questions, select, strip_diacritics
from .timing import TimedEmbedder, machine_state

# an answer to these must hold every expected item; to the others, one is enough
STRICT_TYPES = frozenset({"list", "compare"})


def run_evaluation(settings: Settings, questions_path: Path, output: Path, *,
                   selection: Selection = Selection(), with_baseline: bool = True,
                   progress: bool = False, log: Callable[[str], None] = print) -> dict:
    """Ask the chosen questions, score them, and write latest.json, latest.md and
    latest.html into `output`; returns the result that latest.json holds."""
    questions = select(load_questions(questions_path), selection)
    question_file = question_set(questions_path)
    started, clock = machine_state(), time.perf_counter()
    log(f"Đang nạp mô hình và chỉ mục để hỏi {len(questions)} câu…")
    embedder = TimedEmbedder(engine.SentenceTransformerEmbedder(settings))
    assistant = Assistant.open(settings, embedder=embedder, log=log)
    formats = {d.doc_id: d.format or "txt" for d in assistant.documents()}
    baseline = None
    if with_baseline:
        log("Đang chuẩn bị cách làm cơ sở…")
        extracted = {d.doc_id: d.text for d in assistant.documents() if d.format not in ("", "txt")}
        baseline = Baseline.open(assistant.settings, assistant.embedder, extracted)  # bound to the index's corpus
    bar = tqdm(questions, desc="Đánh giá", unit="câu", file=sys.stderr, disable=not progress,
               dynamic_ncols=True, mininterval=0.5)
    records = [_run_one(q, assistant, embedder, baseline, formats) for q in bar]
    result = {
        "run_at": started["at"],
        "questions_file": str(questions_path),
        "question_set": question_file,
        "selection": {**selection.to_dict(), "baseline": with_baseline},
        "context": {"wall_seconds": round(time.perf_counter() - clock, 1), "start": started, "end": machine_state()},
        "code": code_version(),
        "settings": {k: str(v) for k, v in vars(assistant.settings).items()},
        "index_manifest": assistant.index.manifest,
        "summary": summarise(records),
        "records": records,
    }
    write_reports(result, output)
    return result


def write_reports(result: dict, output: Path, with_json: bool = True) -> None:
    from .html_report import render_html
    from .report import render

    output.mkdir(parents=True, exist_ok=True)
    if with_json:
        (output / "latest.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    (output / "latest.md").write_text(render(result), encoding="utf-8")
    (output / "latest.html").write_text(render_html(result), encoding="utf-8")


def rerender(path: Path) -> Path:
    """Rewrite latest.md and latest.html of a kept run with the current report (intervals,
    breakdowns, the items table), from its latest.json, which stays as it was. A run
    recorded before question sets declared whether they were tuned on reads the sidecar
    its question file has now, and says so. Returns the folder written to."""
    from .compare import load_result

    result = load_result(path)
    if not all("correct_lenient" in r for r in result["records"]):
        raise AssistantError(f"{path}: lần chạy chấm theo cách cũ (trước khi có chấm nghiêm và nới), "
                             "báo cáo hiện tại sẽ gọi sai tên các chỉ số của nó; giữ nguyên báo cáo cũ")
    if "question_set" not in result:
        declared = question_set_declared(Path(result["questions_file"]))
        if declared:
            result = {**result, "question_set": {**declared, "declared_after_run": True}}
    folder = path if path.is_dir() else path.parent
    write_reports(result, folder, with_json=False)
    return folder


def question_set_declared(path: Path) -> dict | None:
    """What the sidecar of a question file declares today, or None without one."""
    if not path.is_file():
        return None
    declared = question_set(path)
    return {k: declared[k] for k in ("sidecar", "tuned_on", "role", "note")} if declared["sidecar"] else None


def _run_one(q: dict, assistant: Assistant, embedder: TimedEmbedder, baseline: Baseline | None,
             formats: dict[str, str]) -> dict:
    """One item: what was asked, what was expected, what came back, and its scores."""
    record = {k: q[k] for k in ("id", "question", "type", "variant", "province", "docs", "answers", "evidence")}
    record["formats"] = sorted({formats.get(d, "?") for d in q["docs"]})
    history = list(q.get("history") or [])  # the earlier questions of a follow-up, oldest first
    answerable = q["type"] != "unanswerable"
    record["answerable"] = answerable
    if history:
        record["history"] = history
    embedder.query_seconds = 0.0
    try:
        answer = assistant.ask(q["question"], history=history)
        embed_ms = round(embedder.query_seconds * 1000, 1)  # this very ask's embedding: a part of took_ms
    except AssistantError as exc:
        record.update(error=str(exc), found=False, answer="", took_ms=None, embed_ms=None, citations=[],
                      correct=not answerable, correct_lenient=not answerable, correct_all_items=not answerable)
        answer = None
    if answer:
        docs = assistant.index.documents
        # retrieval is scored on the passages the answer cites, or would have cited
        shown = answer.citations if answer.found else assistant.search(answer.interpreted_as or q["question"], k=5)
        quotes = [c.quote for c in shown]
        record.update(found=answer.found, answer=answer.answer, took_ms=answer.took_ms, embed_ms=embed_ms,
                      citations=[{"doc_id": c.doc_id, "section": c.section, "start": c.start, "end": c.end,
                                  "quote": c.quote} for c in answer.citations],
                      verbatim=[c.quote == docs[c.doc_id].text[c.start:c.end] for c in answer.citations],
                      interpreted_as=answer.interpreted_as, confidence=answer.confidence, lead=answer.lead)
        record.update(_score(quotes, answer.answer, answer.found, q))
        record["lead_correct"] = _lead_correct(answer.lead, answer.found, q)
        twin = strip_diacritics(q["question"])
        if q["variant"] == "plain" and twin != q["question"] and not history:
            unaccented = assistant.ask(twin)
            record["twin"] = _score([c.quote for c in unaccented.citations], unaccented.answer,
                                    unaccented.found, q)
    if baseline is not None:
        started = time.perf_counter()
        base = baseline.ask(q["question"])
        took = round((time.perf_counter() - started) * 1000, 1)
        record["baseline"] = {**_score(base.quotes, base.answer, True, q), "verbatim": base.verbatim,
                              "answer_chars": len(base.answer), "took_ms": took}
    return record


def _score(quotes: list[str], answer: str, found: bool, q: dict) -> dict:
    """`correct` is strict for list and compare items (every expected item) and lenient
    for the others (one is enough); both readings are kept, and `correct_all_items`
    applies the strict reading to every type."""
    answerable = q["type"] != "unanswerable"
    rank = metrics.evidence_rank(quotes, q["evidence"]) if answerable else None
    if answerable:
        lenient = found and metrics.contains_any(answer, q["answers"])
        all_items = found and metrics.contains_all(answer, q["answers"])
    else:
        lenient = all_items = not found
    return {
        "evidence_rank": rank,
        "evidence_recall": metrics.evidence_recall(quotes[:5], q["evidence"]) if answerable else None,
        "correct": all_items if q["type"] in STRICT_TYPES else lenient,
        "correct_lenient": lenient,
        "correct_all_items": all_items,
    }


def _lead_correct(lead: str, found: bool, q: dict) -> bool:
    """Right on what the answer stands behind alone: a sure answer whole, an unsure one
    by its "Có thể là" line, not by the other passages listed after it."""
    if q["type"] == "unanswerable":
        return not found
    holds = metrics.contains_all if q["type"] in STRICT_TYPES else metrics.contains_any
    return found and holds(lead, q["answers"])
