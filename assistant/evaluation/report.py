"""The evaluation's markdown report: the figures an evaluator reads, and which
questions failed, so each number can be traced to what produced it."""

from __future__ import annotations


def _pct(value) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _num(value, unit: str = "") -> str:
    return "—" if value is None else f"{value:.0f}{unit}"


def render(result: dict) -> str:
    summary = result["summary"]
    overall = summary["overall"]
    base = overall["baseline"]
    manifest = result["index_manifest"]
    ratio = (overall["latency_p50_ms"] / overall["embed_p50_ms"]
             if overall["latency_p50_ms"] and overall["embed_p50_ms"] else None)
    lines = [
        f"# Evaluation {result['run_at']}",
        "",
        f"Questions: {overall['questions']} ({overall['answerable']} answerable, "
        f"{overall['unanswerable']} unanswerable) from `{result['questions_file']}`. "
        f"Model `{manifest.get('model')}`, index built {manifest.get('built_at')}, "
        f"{manifest.get('documents')} documents, {manifest.get('chunks')} passages.",
        "",
        "| metric | assistant | baseline |",
        "|---|---|---|",
        f"| evidence hit@1 | {_pct(overall['hit1'])} | {_pct(base['hit1'])} |",
        f"| evidence hit@5 | {_pct(overall['hit5'])} | {_pct(base['hit5'])} |",
        f"| evidence recall@5 (all spans) | {_pct(overall['recall5'])} | — |",
        f"| answer accuracy (strict for list and compare) | {_pct(overall['answer_accuracy'])} | "
        f"{_pct(base['answer_accuracy'])} |",
        f"| answer accuracy, lenient (any expected item) | {_pct(overall['answer_accuracy_lenient'])} | "
        f"{_pct(base['answer_accuracy_lenient'])} |",
        f"| answer accuracy, every expected item on every type | {_pct(overall['answer_accuracy_all_items'])} | — |",
        f"| refusal accuracy | {_pct(overall['refusal_accuracy'])} | {_pct(base['refusal_accuracy'])} |",
        f"| false-refusal rate | {_pct(overall['false_refusal'])} | {_pct(base['false_refusal'])} |",
        f"| verbatim quotes | {_pct(overall['verbatim'])} | {_pct(base['verbatim'])} |",
        f"| answer length, median chars | {_num(overall['answer_chars_median'])} | "
        f"{_num(base['answer_chars_median'])} |",
        f"| answer length, median chars (single-province questions) | "
        f"{_num(overall['answer_chars_single_province_median'])} | — |",
        f"| answer length, p95 chars | {_num(overall['answer_chars_p95'])} | — |",
        f"| latency p50 / p95 (warm `ask`) | {_num(overall['latency_p50_ms'], ' ms')} / "
        f"{_num(overall['latency_p95_ms'], ' ms')} | — |",
        f"| bare query embedding p50 | {_num(overall['embed_p50_ms'], ' ms')} | — |",
        f"| ask p50 ÷ embedding p50 | {'—' if ratio is None else f'{ratio:.2f}×'} | — |",
        "",
    ]
    for key in ("type", "variant"):
        lines += _breakdown(summary, key)
    d = summary["diacritics"]
    lines += [
        "## Diacritics: the plain questions, typed with and without them",
        "",
        f"{d['questions']} answerable plain questions, each also asked with its diacritics stripped.",
        "",
        "| | with | without |",
        "|---|---|---|",
        f"| answer accuracy | {_pct(d['answer_accuracy_with'])} | {_pct(d['answer_accuracy_without'])} |",
        f"| evidence hit@5 | {_pct(d['hit5_with'])} | {_pct(d['hit5_without'])} |",
        "",
        "## Misses",
        "",
    ]
    lines += _misses(result["records"])
    return "\n".join(lines) + "\n"


def _breakdown(summary: dict, key: str) -> list[str]:
    rows = [(name.split(":", 1)[1], figures) for name, figures in summary.items()
            if name.startswith(f"{key}:")]
    lines = [f"## By {key}", "",
             "| " + key + " | n | hit@1 | hit@5 | answer acc. | refusal acc. | false refusals "
             "| baseline hit@5 | baseline answer acc. |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, f in rows:
        lines.append(f"| {name} | {f['questions']} | {_pct(f['hit1'])} | {_pct(f['hit5'])} | "
                     f"{_pct(f['answer_accuracy'])} | {_pct(f['refusal_accuracy'])} | "
                     f"{_pct(f['false_refusal'])} | {_pct(f['baseline']['hit5'])} | "
                     f"{_pct(f['baseline']['answer_accuracy'])} |")
    return lines + [""]


def _misses(records: list[dict]) -> list[str]:
    lines = []
    for r in records:
        problems = []
        if not r["correct"]:
            problems.append("wrong refusal" if r["answerable"] and not r.get("found") else
                            "answered an unanswerable question" if not r["answerable"] else "wrong answer")
        if r["answerable"] and (r.get("evidence_rank") is None or r["evidence_rank"] > 5):
            problems.append("no evidence in top 5")
        if problems:
            answer = " ".join(r.get("answer", "").split())[:140]
            lines.append(f"- `{r['id']}` ({r['type']}, {r['variant']}) {'; '.join(problems)}: "
                         f"{r['question']} → {answer}")
    return lines or ["None."]
