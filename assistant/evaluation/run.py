"""`assistant eval`: run a question file through the assistant and the baseline
in one process and report evidence hits, answer and refusal accuracy, quote
fidelity, answer length and latency, overall and by type and variant."""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from tqdm import tqdm

from ..engine import Assistant
from ..errors import AssistantError
from ..settings import Settings
from . import metrics
from .baseline import Baseline
from .provenance import code_version
from .questions import Selection, load_questions, select, strip_diacritics

# an answer to these must hold every expected item; to the others, one is enough
STRICT_TYPES = frozenset({"list", "compare"})


def run_evaluation(settings: Settings, questions_path: Path, output: Path, *,
                   selection: Selection = Selection(), with_baseline: bool = True,
                   progress: bool = False, log: Callable[[str], None] = print) -> dict:
    """Ask the chosen questions, score them, and write latest.json, latest.md and
    latest.html into `output`; returns the result that latest.json holds."""
    questions = select(load_questions(questions_path), selection)
    log(f"Đang nạp mô hình và chỉ mục để hỏi {len(questions)} câu…")
    assistant = Assistant.open(settings, log=log)
    baseline = None
    if with_baseline:
        log("Đang chuẩn bị cách làm cơ sở…")
        extracted = {d.doc_id: d.text for d in assistant.documents() if d.format not in ("", "txt")}
        baseline = Baseline.open(assistant.settings, assistant.embedder, extracted)  # bound to the index's corpus
    bar = tqdm(questions, desc="Đánh giá", unit="câu", file=sys.stderr, disable=not progress,
               dynamic_ncols=True, mininterval=0.5)
    records = [_run_one(q, assistant, baseline) for q in bar]
    result = {
        "run_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "questions_file": str(questions_path),
        "selection": {**selection.to_dict(), "baseline": with_baseline},
        "code": code_version(),
        "settings": {k: str(v) for k, v in vars(assistant.settings).items()},
        "index_manifest": assistant.index.manifest,
        "summary": summarise(records),
        "records": records,
    }
    write_reports(result, output)
    return result


def write_reports(result: dict, output: Path) -> None:
    from .html_report import render_html
    from .report import render

    output.mkdir(parents=True, exist_ok=True)
    (output / "latest.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    (output / "latest.md").write_text(render(result), encoding="utf-8")
    (output / "latest.html").write_text(render_html(result), encoding="utf-8")


def _run_one(q: dict, assistant: Assistant, baseline: Baseline | None) -> dict:
    """One item: what was asked, what was expected, what came back, and its scores."""
    record = {k: q[k] for k in ("id", "question", "type", "variant", "province", "answers", "evidence")}
    history = list(q.get("history") or [])  # the earlier questions of a follow-up, oldest first
    answerable = q["type"] != "unanswerable"
    record["answerable"] = answerable
    if history:
        record["history"] = history
    try:
        answer = assistant.ask(q["question"], history=history)
    except AssistantError as exc:
        record.update(error=str(exc), found=False, answer="", took_ms=None, citations=[],
                      correct=not answerable, correct_lenient=not answerable, correct_all_items=not answerable)
        answer = None
    if answer:
        docs = assistant.index.documents
        # retrieval is scored on the passages the answer cites, or would have cited
        shown = answer.citations if answer.found else assistant.search(answer.interpreted_as or q["question"], k=5)
        quotes = [c.quote for c in shown]
        record.update(found=answer.found, answer=answer.answer, took_ms=answer.took_ms,
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
    started = time.perf_counter()
    assistant.embedder.embed_queries([q["question"]])
    record["embed_ms"] = round((time.perf_counter() - started) * 1000, 1)
    if baseline is not None:
        base = baseline.ask(q["question"])
        record["baseline"] = {**_score(base.quotes, base.answer, True, q), "verbatim": base.verbatim,
                              "answer_chars": len(base.answer)}
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


def summarise(records: list[dict]) -> dict:
    summary = {"overall": _figures(records)}
    for key in ("type", "variant"):
        for value in sorted({r[key] for r in records}):
            summary[f"{key}:{value}"] = _figures([r for r in records if r[key] == value])
    twins = [r for r in records if "twin" in r and r["answerable"]]
    summary["diacritics"] = {
        "questions": len(twins),
        "answer_accuracy_with": metrics.rate([r["correct"] for r in twins]),
        "answer_accuracy_without": metrics.rate([r["twin"]["correct"] for r in twins]),
        "hit5_with": metrics.rate([_hit(r, 5) for r in twins]),
        "hit5_without": metrics.rate([_hit(r["twin"], 5) for r in twins]),
    }
    return summary


def _hit(scored: dict, k: int) -> bool:
    return scored.get("evidence_rank") is not None and scored["evidence_rank"] <= k


def _figures(records: list[dict]) -> dict:
    answerable = [r for r in records if r["answerable"]]
    unanswerable = [r for r in records if not r["answerable"]]
    lengths = [len(r["answer"]) for r in records if r.get("found")]
    single = [len(r["answer"]) for r in records if r.get("found") and r.get("province")]
    took = [r["took_ms"] for r in records if r.get("took_ms") is not None]
    embed = [r["embed_ms"] for r in records]
    verbatim = [v for r in records for v in r.get("verbatim", [])]
    return {
        "questions": len(records), "answerable": len(answerable), "unanswerable": len(unanswerable),
        "hit1": metrics.rate([_hit(r, 1) for r in answerable]),
        "hit5": metrics.rate([_hit(r, 5) for r in answerable]),
        "recall5": metrics.rate([r.get("evidence_recall") or 0 for r in answerable]) if answerable else None,
        "answer_accuracy": metrics.rate([r["correct"] for r in answerable]),
        "lead_accuracy": metrics.rate([r.get("lead_correct", False) for r in answerable]),
        "answer_accuracy_lenient": metrics.rate([r.get("correct_lenient", r["correct"]) for r in answerable]),
        "answer_accuracy_all_items": metrics.rate([r.get("correct_all_items", r["correct"]) for r in answerable]),
        "refusal_accuracy": metrics.rate([r["correct"] for r in unanswerable]),
        "false_refusal": metrics.rate([not r.get("found") for r in answerable]),
        **_by_confidence(records),
        "verbatim": metrics.rate(verbatim),
        "answer_chars_median": metrics.median(lengths),
        "answer_chars_single_province_median": metrics.median(single),
        "answer_chars_p95": metrics.percentile(lengths, 95),
        "latency_p50_ms": metrics.median(took),
        "latency_p95_ms": metrics.percentile(took, 95),
        "embed_p50_ms": metrics.median(embed),
        "baseline": _baseline_figures(records),
    }


def _by_confidence(records: list[dict]) -> dict:
    """How the answers given split between high and low confidence, and how often each
    is right (a wrong answer to an unanswerable question counts as wrong)."""
    given = [r for r in records if r.get("found")]
    high = [r for r in given if r.get("confidence") == "high"]
    low = [r for r in given if r.get("confidence") == "low"]
    return {"high_share": metrics.rate([r.get("confidence") == "high" for r in given]),
            "accuracy_high": metrics.rate([r["correct"] for r in high]),
            "accuracy_low": metrics.rate([r["correct"] for r in low])}


def _baseline_figures(records: list[dict]) -> dict | None:
    """The baseline's figures on the same records; None for a run without it."""
    if not any("baseline" in r for r in records):
        return None
    base = [r["baseline"] for r in records if r["answerable"]]
    unanswerable = len(records) - len(base)
    return {
        "hit1": metrics.rate([_hit(b, 1) for b in base]),
        "hit5": metrics.rate([_hit(b, 5) for b in base]),
        "recall5": metrics.rate([b.get("evidence_recall") or 0 for b in base]) if base else None,
        "answer_accuracy": metrics.rate([b["correct"] for b in base]),
        "answer_accuracy_lenient": metrics.rate([b["correct_lenient"] for b in base]),
        "answer_accuracy_all_items": metrics.rate([b["correct_all_items"] for b in base]),
        "refusal_accuracy": 0.0 if unanswerable else None,  # the baseline always answers
        "false_refusal": 0.0 if base else None,
        "verbatim": metrics.rate([v for r in records for v in r["baseline"]["verbatim"]]),
        "answer_chars_median": metrics.median([r["baseline"]["answer_chars"] for r in records]),
    }
