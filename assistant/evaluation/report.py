"""The evaluation's markdown report, in Vietnamese: whether the question set was used
for tuning, the run's context, every figure defined in one line with its 95% interval
and the baseline beside it, the breakdowns by type, wording variant, province,
document and format, and each miss with what was asked, expected and answered, so a
number can be traced to the answers behind it. The HTML report (`html_report`) shows
the same with plots and a table of every item."""

from __future__ import annotations

from .definitions import BREAKDOWN, BY_KEY, GROUPS, METRICS, fmt, fmt_share, group_name
from .metrics import SMALL, missing_items

INTERVALS = ("Trong ngoặc: khoảng tin cậy 95% (Wilson) và, ở bảng chỉ số, số câu đạt / số câu được tính. "
             f"Nhóm dưới {SMALL} câu được đánh dấu «nhóm nhỏ»: khoảng tin cậy rộng, không kết luận từ riêng nhóm ấy.")


def tuning_warning(result: dict) -> str | None:
    """The line that heads a report on a set used for tuning, or says nothing is known."""
    qs = result.get("question_set") or {}
    if qs.get("tuned_on"):
        later = " (khai báo sau lần chạy này)" if qs.get("declared_after_run") else ""
        return (f"Bộ câu hỏi đã dùng để điều chỉnh: số liệu lạc quan{later}."
                + (f" {qs['note']}" if qs.get("note") else ""))
    if qs.get("tuned_on") is False:
        return None
    return ("Bộ câu hỏi không khai báo đã dùng để điều chỉnh hay chưa (không có tệp .meta.json cạnh nó): "
            "đọc số liệu như có thể lạc quan.")


def run_facts(result: dict) -> list[str]:
    """One line each: what was asked, on which code, index and settings, on what machine."""
    overall = result["summary"]["overall"]
    manifest = result.get("index_manifest", {})
    code = result.get("code") or {}
    selection = result.get("selection") or {}
    commit = code.get("git_commit")
    version = (f"commit {commit[:12]}{' (có thay đổi chưa commit)' if code.get('git_dirty') else ''}"
               if commit else "không có git")
    qs = result.get("question_set") or {}
    role = f"; vai trò: {qs['role']}" if qs.get("role") else ""
    facts = [
        f"Bộ câu hỏi: `{result['questions_file']}`, {overall['questions']} câu "
        f"({overall['answerable']} có lời đáp, {overall['unanswerable']} không có lời đáp){role}.",
        f"Phiên bản mã: {version}; mã băm gói `{code.get('package_hash', '—')}`; "
        f"Python {code.get('python', '—')}, {code.get('machine', '—')}.",
        f"Chỉ mục: mô hình `{manifest.get('model')}`, {manifest.get('documents')} văn bản, "
        f"{manifest.get('chunks')} đoạn, xây dựng lúc {manifest.get('built_at')}.",
        _machine_fact(result.get("context")),
        _consistency_fact(result["summary"].get("consistency")),
    ]
    part = _selection_text(selection)
    if part:
        facts.append(f"Chạy một phần: {part}.")
    if overall.get("baseline") is None:
        facts.append("Không chạy cách làm cơ sở (`--no-baseline`): cột cơ sở để trống.")
    return [f for f in facts if f]


def _load(state: dict) -> str:
    load = state.get("load_average")
    return "không rõ" if not load else " / ".join(f"{v:.2f}".replace(".", ",") for v in load)


def _machine_fact(context: dict | None) -> str:
    if not context:
        return "Máy: lần chạy này không ghi thời gian chạy, số nhân CPU và tải máy."
    start, end = context["start"], context["end"]
    minutes, seconds = divmod(round(context["wall_seconds"]), 60)
    return (f"Máy: {start.get('cpu_count')} nhân CPU (tiến trình dùng được {start.get('cpus_usable') or '—'}); "
            f"tải trung bình 1 / 5 / 15 phút lúc bắt đầu {_load(start)}, lúc kết thúc {_load(end)}; "
            f"chạy hết {minutes} phút {seconds} giây (kể cả nạp mô hình và chỉ mục). "
            "Tải cao hơn số nhân thì thời gian đo được là cận trên.")


def _consistency_fact(check: dict | None) -> str | None:
    """Embedding is a part of `ask`: say whether the run's timings agree."""
    if not check or not check["items"]:
        return None
    if check["ok"]:
        return (f"Kiểm tra nhất quán: thời gian nhúng không vượt thời gian trả lời ở câu nào "
                f"({check['items']} câu có đo thời gian).")
    over = check["embed_exceeds_ask"]
    shown = ", ".join(over[:5]) + (", …" if len(over) > 5 else "")
    return (f"**Không nhất quán:** thời gian nhúng lớn hơn thời gian trả lời ở {len(over)}/{check['items']} câu"
            f"{f' ({shown})' if over else ''}{'' if check['p50_ok'] else ', kể cả ở trung vị'}: hai thời gian này "
            "được đo tách rời, không đọc thời gian nhúng như một phần của thời gian trả lời.")


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


def figure_text(figures: dict, key: str, counts: bool = False) -> str:
    """A figure as a report cell: a share with its interval, or a number with its unit."""
    share = (figures.get("proportions") or {}).get(key)
    if share is not None:
        return fmt_share(share, counts)
    return fmt(figures.get(key), BY_KEY[key].unit if key in BY_KEY else "%")


def headline(result: dict) -> str:
    """The tuning warning, the run's facts and the table of figures, each defined,
    with its interval and the baseline beside it."""
    overall = result["summary"]["overall"]
    base = overall.get("baseline") or {}
    lines = [f"# Kết quả đánh giá {result['run_at']}", ""]
    warning = tuning_warning(result)
    if warning:
        lines += [f"> **{warning}**", ""]
    lines += [f"- {fact}" for fact in run_facts(result)]
    lines += ["", baseline_text(), "", "## Các chỉ số", "", INTERVALS, "",
              "| chỉ số | trợ lý | cơ sở | cách tính |",
              "|---|---|---|---|"]
    for m in METRICS:
        lines.append(f"| {m.name} | {figure_text(overall, m.key, counts=True)} | "
                     f"{figure_text(base, m.key, counts=True)} | {m.definition} |")
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


def size_text(figures: dict) -> str:
    """A group's size: «12», or «7 (nhóm nhỏ)» below SMALL questions."""
    return f"{figures['questions']}{' (nhóm nhỏ)' if figures['questions'] < SMALL else ''}"


def _breakdown(summary: dict, key: str) -> list[str]:
    rows = groups(summary, key)
    if not rows:
        return []
    head = " | ".join(BY_KEY[k].name for k in BREAKDOWN)
    lines = [f"## {GROUPS[key][0]}", "",
             f"| {key} | số câu | có lời đáp | {head} | cơ sở: {BY_KEY['answer_accuracy'].name} |",
             "|---|---|---|" + "---|" * (len(BREAKDOWN) + 1)]
    for name, f in rows:
        cells = " | ".join(figure_text(f, k) for k in BREAKDOWN)
        base = figure_text(f.get("baseline") or {}, "answer_accuracy")
        lines.append(f"| {group_name(key, name)} | {size_text(f)} | {f['answerable']} | {cells} | {base} |")
    return lines + [""]


def _diacritics(d: dict) -> list[str]:
    shares = d.get("proportions") or {}

    def cell(key: str) -> str:
        return fmt_share(shares[key]) if key in shares else fmt(d[key])

    return [
        "## Gõ có dấu và không dấu", "",
        f"{d['questions']} câu viết chuẩn có lời đáp, mỗi câu được hỏi thêm một lần đã bỏ dấu.", "",
        "| | có dấu | không dấu |", "|---|---|---|",
        f"| {BY_KEY['answer_accuracy'].name} | {cell('answer_accuracy_with')} | {cell('answer_accuracy_without')} |",
        f"| {BY_KEY['hit5'].name} | {cell('hit5_with')} | {cell('hit5_without')} |", "",
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
