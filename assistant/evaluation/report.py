"""The evaluation's markdown report, in Vietnamese: every figure defined in one line
with the baseline beside it, the breakdowns by type and wording variant, and each
miss with what was asked, expected and answered, so a number can be traced to the
answers behind it. The HTML report (`html_report`) shows the same with plots."""

from __future__ import annotations

from .definitions import BREAKDOWN, BY_KEY, METRICS, TYPE_NAMES, VARIANT_NAMES, fmt
from .metrics import missing_items

GROUPS = {"type": ("Theo loại câu hỏi", TYPE_NAMES), "variant": ("Theo cách diễn đạt", VARIANT_NAMES)}


def run_facts(result: dict) -> list[str]:
    """One line each: what was asked, on which code, index and settings."""
    overall = result["summary"]["overall"]
    manifest = result.get("index_manifest", {})
    code = result.get("code") or {}
    selection = result.get("selection") or {}
    commit = code.get("git_commit")
    version = (f"commit {commit[:12]}{' (có thay đổi chưa commit)' if code.get('git_dirty') else ''}"
               if commit else "không có git")
    facts = [
        f"Bộ câu hỏi: `{result['questions_file']}`, {overall['questions']} câu "
        f"({overall['answerable']} có lời đáp, {overall['unanswerable']} không có lời đáp).",
        f"Phiên bản mã: {version}; mã băm gói `{code.get('package_hash', '—')}`; "
        f"Python {code.get('python', '—')}, {code.get('machine', '—')}.",
        f"Chỉ mục: mô hình `{manifest.get('model')}`, {manifest.get('documents')} văn bản, "
        f"{manifest.get('chunks')} đoạn, xây dựng lúc {manifest.get('built_at')}.",
    ]
    part = _selection_text(selection)
    if part:
        facts.append(f"Chạy một phần: {part}.")
    if overall.get("baseline") is None:
        facts.append("Không chạy cách làm cơ sở (`--no-baseline`): cột cơ sở để trống.")
    return facts


def _selection_text(selection: dict) -> str:
    parts = []
    if selection.get("types"):
        parts.append("loại " + ", ".join(selection["types"]))
    if selection.get("variants"):
        parts.append("cách diễn đạt " + ", ".join(selection["variants"]))
    if selection.get("limit"):
        parts.append(f"tối đa {selection['limit']} câu đầu")
    return "; ".join(parts)


def baseline_text() -> str:
    return ("Cách làm cơ sở: cách người dùng thường dựng với cùng công cụ, đo trong cùng lần chạy "
            "(cắt văn bản thô bằng RecursiveCharacterTextSplitter 1000/200, cùng mô hình, FAISS lấy 5 đoạn, "
            "câu trả lời là đoạn đứng đầu). Cơ sở không bao giờ từ chối.")


def headline(result: dict) -> str:
    """The run's facts and the table of figures, each defined, with the baseline beside it."""
    overall = result["summary"]["overall"]
    base = overall.get("baseline") or {}
    lines = [f"# Kết quả đánh giá {result['run_at']}", ""]
    lines += [f"- {fact}" for fact in run_facts(result)]
    lines += ["", baseline_text(), "",
              "## Các chỉ số", "",
              "| chỉ số | trợ lý | cơ sở | cách tính |",
              "|---|---|---|---|"]
    for m in METRICS:
        lines.append(f"| {m.name} | {fmt(overall.get(m.key), m.unit)} | {fmt(base.get(m.key), m.unit)} "
                     f"| {m.definition} |")
    return "\n".join(lines) + "\n"


def render(result: dict) -> str:
    summary = result["summary"]
    lines = [headline(result)]
    for key in GROUPS:
        lines += _breakdown(summary, key)
    lines += _diacritics(summary["diacritics"])
    lines += ["## Câu sai", "", "Mỗi câu trả lời sai, từ chối sai, hoặc không có bằng chứng trong 5 trích dẫn đầu.", ""]
    lines += _misses(result["records"])
    return "\n".join(lines) + "\n"


def groups(summary: dict, key: str) -> list[tuple[str, dict]]:
    return [(name.split(":", 1)[1], figures) for name, figures in summary.items() if name.startswith(f"{key}:")]


def _breakdown(summary: dict, key: str) -> list[str]:
    title, names = GROUPS[key]
    head = " | ".join(BY_KEY[k].name for k in BREAKDOWN)
    lines = [f"## {title}", "", "Mỗi ô: trợ lý · cơ sở.", "",
             f"| {key} | số câu | {head} |", "|---|---|" + "---|" * len(BREAKDOWN)]
    for name, f in groups(summary, key):
        base = f.get("baseline") or {}
        cells = " | ".join(f"{fmt(f.get(k))} · {fmt(base.get(k))}" for k in BREAKDOWN)
        lines.append(f"| {name} ({names.get(name, name)}) | {f['questions']} | {cells} |")
    return lines + [""]


def _diacritics(d: dict) -> list[str]:
    return [
        "## Gõ có dấu và không dấu", "",
        f"{d['questions']} câu viết chuẩn có lời đáp, mỗi câu được hỏi thêm một lần đã bỏ dấu.", "",
        "| | có dấu | không dấu |", "|---|---|---|",
        f"| {BY_KEY['answer_accuracy'].name} | {fmt(d['answer_accuracy_with'])} | {fmt(d['answer_accuracy_without'])} |",
        f"| {BY_KEY['hit5'].name} | {fmt(d['hit5_with'])} | {fmt(d['hit5_without'])} |", "",
    ]


def problems(record: dict) -> list[str]:
    """Why a record is listed among the misses; empty when it is not."""
    found = []
    if record.get("error"):
        found.append(f"lỗi: {record['error']}")
    elif not record["correct"]:
        found.append("từ chối nhầm" if record["answerable"] and not record.get("found") else
                     "trả lời câu không có lời đáp" if not record["answerable"] else "trả lời sai")
    rank = record.get("evidence_rank")
    if record["answerable"] and (rank is None or rank > 5):
        found.append("không có bằng chứng trong 5 trích dẫn đầu")
    return found


def expected_text(item) -> str:
    spellings = [item] if isinstance(item, str) else item
    return " hoặc ".join(f"«{s}»" for s in spellings)


def _quoted(text: str, indent: str = "  ") -> list[str]:
    return [f"{indent}> {line}" if line.strip() else f"{indent}>" for line in text.splitlines() or [""]]


def miss_fields(r: dict) -> list[tuple[str, str, list[str]]]:
    """The lines of one miss, as (label, inline text, verbatim blocks): blocks are
    texts shown as they are (the answer, the evidence, the first citation's quote)."""
    fields = [("Câu hỏi", r["question"], [])]
    if r.get("history"):
        fields.append(("Các câu trước", " → ".join(f"«{h}»" for h in r["history"]), []))
    if r.get("interpreted_as") and r["interpreted_as"] != r["question"]:
        fields.append(("Hiểu là", r["interpreted_as"], []))
    if r["answerable"]:
        answers = r.get("answers") or []
        fields.append(("Đáp án mong đợi", "; ".join(expected_text(a) for a in answers), []))
        missing = missing_items(r.get("answer") or "", answers) if r.get("found") else []
        if missing and len(missing) < len(answers):
            fields.append(("Còn thiếu", "; ".join(expected_text(a) for a in missing), []))
        fields.append(("Bằng chứng", "", list(r.get("evidence") or [])))
    else:
        fields.append(("Mong đợi", "từ chối (văn bản không có thông tin này)", []))
    fields.append(("Câu trả lời", "", [r.get("answer") or "(trống)"]))
    citations = r.get("citations") or []
    if citations:
        c = citations[0]
        fields.append(("Trích dẫn đầu", f"`{c['doc_id']}` · mục {c['section']} · ký tự {c['start']}–{c['end']}",
                       [c["quote"]] if c.get("quote") else []))
    else:
        fields.append(("Trích dẫn đầu", "không có", []))
    return fields


def _misses(records: list[dict]) -> list[str]:
    lines = []
    for r in records:
        listed = problems(r)
        if not listed:
            continue
        lines += [f"### `{r['id']}` · {r['type']} · {r['variant']}: {'; '.join(listed)}", ""]
        for label, inline, blocks in miss_fields(r):
            lines.append(f"- **{label}:** {inline}".rstrip())
            for block in blocks:
                lines += _quoted(block)
        lines.append("")
    return lines or ["Không có."]
