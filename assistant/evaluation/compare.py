"""`assistant eval --compare A B`: what changed between two runs: what they were
measured on (code, index, settings, questions), every figure, and the items whose
verdict flipped. A and B are result files (latest.json) or the folders holding them."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import AssistantError
from .definitions import BY_KEY, METRICS, fmt, fmt_delta
from .report import GROUPS, groups


def load_result(path: Path) -> dict:
    file = path / "latest.json" if path.is_dir() else path
    try:
        result = json.loads(file.read_text(encoding="utf-8"))
    except OSError:
        raise AssistantError(f"không đọc được kết quả {file}; cần một tệp latest.json hoặc thư mục chứa nó") from None
    except json.JSONDecodeError as exc:
        raise AssistantError(f"{file} không phải JSON hợp lệ ({exc.msg})") from None
    if not isinstance(result, dict) or not {"summary", "records"} <= result.keys():
        raise AssistantError(f"{file} không phải kết quả của assistant eval (thiếu summary hoặc records)")
    return result


def compare(a: dict, b: dict, name_a: str = "A", name_b: str = "B") -> str:
    lines = [f"So sánh hai lần chạy: A = {name_a}, B = {name_b}", ""]
    lines += _setup_changes(a, b)
    lines += _figure_changes(a["summary"]["overall"], b["summary"]["overall"])
    for key in GROUPS:
        lines += _group_changes(a["summary"], b["summary"], key)
    lines += _flips(a["records"], b["records"])
    return "\n".join(lines) + "\n"


def _describe(result: dict) -> dict:
    """The facts of a run that make two runs comparable or not, flattened to text."""
    code = result.get("code") or {}
    manifest = result.get("index_manifest") or {}
    facts = {
        "chạy lúc": result.get("run_at"),
        "tệp câu hỏi": result.get("questions_file"),
        "phần đã chạy": json.dumps(result.get("selection"), ensure_ascii=False) if result.get("selection") else None,
        "commit": code.get("git_commit"),
        "có thay đổi chưa commit": code.get("git_dirty"),
        "mã băm gói": code.get("package_hash"),
        "mô hình": manifest.get("model"),
        "chỉ mục xây dựng lúc": manifest.get("built_at"),
        "mã băm văn bản": manifest.get("corpus_hash"),
    }
    facts.update({f"thiết lập {k}": v for k, v in (result.get("settings") or {}).items()})
    return {k: "—" if v is None else str(v) for k, v in facts.items()}


def _setup_changes(a: dict, b: dict) -> list[str]:
    da, db = _describe(a), _describe(b)
    changed = [k for k in da.keys() | db.keys() if da.get(k, "—") != db.get(k, "—")]
    lines = ["## Điều kiện chạy khác nhau", ""]
    order = list(da) + [k for k in db if k not in da]
    lines += [f"- {k}: {da.get(k, '—')} → {db.get(k, '—')}" for k in order if k in changed] or ["- không có"]
    return lines + [""]


def _figure_changes(a: dict, b: dict) -> list[str]:
    lines = ["## Các chỉ số", "", "| chỉ số | A | B | thay đổi | cơ sở A | cơ sở B |", "|---|---|---|---|---|---|"]
    base_a, base_b = a.get("baseline") or {}, b.get("baseline") or {}
    for m in METRICS:
        lines.append(f"| {m.name} | {fmt(a.get(m.key), m.unit)} | {fmt(b.get(m.key), m.unit)} | "
                     f"{fmt_delta(a.get(m.key), b.get(m.key), m.unit)}{_verdict(m.key, a, b)} | "
                     f"{fmt(base_a.get(m.key), m.unit)} | {fmt(base_b.get(m.key), m.unit)} |")
    lines.append(f"| số câu | {a['questions']} | {b['questions']} | | | |")
    return lines + [""]


def _verdict(key: str, a: dict, b: dict) -> str:
    before, after = a.get(key), b.get(key)
    if before is None or after is None or before == after:
        return ""
    better = (after > before) == BY_KEY[key].higher_is_better
    return " (tốt hơn)" if better else " (kém hơn)"


def _group_changes(a: dict, b: dict, key: str) -> list[str]:
    """Strict answer accuracy per group, only where it moved."""
    before, after = dict(groups(a, key)), dict(groups(b, key))
    rows = []
    for name in sorted(before.keys() | after.keys()):
        fa, fb = before.get(name, {}), after.get(name, {})
        shown = "answer_accuracy" if (fa or fb).get("answerable") else "refusal_accuracy"
        if fa.get(shown) != fb.get(shown):
            rows.append(f"| {name} | {fa.get('questions', 0)} → {fb.get('questions', 0)} | {BY_KEY[shown].name} | "
                        f"{fmt(fa.get(shown))} | {fmt(fb.get(shown))} | {fmt_delta(fa.get(shown), fb.get(shown))} |")
    title = GROUPS[key][0]
    if not rows:
        return [f"## {title}", "", "Không nhóm nào đổi.", ""]
    return [f"## {title} (chỉ các nhóm thay đổi)", "", f"| {key} | số câu | chỉ số | A | B | thay đổi |",
            "|---|---|---|---|---|---|", *rows, ""]


def _flips(a: list[dict], b: list[dict]) -> list[str]:
    by_id_a, by_id_b = {r["id"]: r for r in a}, {r["id"]: r for r in b}
    shared = [i for i in by_id_a if i in by_id_b]
    fixed = [i for i in shared if not by_id_a[i]["correct"] and by_id_b[i]["correct"]]
    broken = [i for i in shared if by_id_a[i]["correct"] and not by_id_b[i]["correct"]]
    lines = [f"## Câu đổi kết quả: {len(fixed)} sai → đúng, {len(broken)} đúng → sai", ""]
    for title, ids in (("Sai → đúng", fixed), ("Đúng → sai", broken)):
        if ids:
            lines += [f"### {title}", ""]
            lines += [_flip_line(by_id_a[i], by_id_b[i]) for i in ids]
            lines.append("")
    renamed = [i for i in shared if by_id_a[i]["question"] != by_id_b[i]["question"]]
    if renamed:
        lines += [f"Cảnh báo: {len(renamed)} mã câu có câu hỏi khác nhau giữa A và B ({', '.join(renamed[:10])}); "
                  "hai lần chạy có thể dùng hai tệp câu hỏi khác nhau.", ""]
    only_a, only_b = [i for i in by_id_a if i not in by_id_b], [i for i in by_id_b if i not in by_id_a]
    if only_a or only_b:
        lines += [f"Chỉ có ở A: {len(only_a)} câu{_sample(only_a)}; chỉ có ở B: {len(only_b)} câu{_sample(only_b)}.", ""]
    return lines


def _sample(ids: list[str]) -> str:
    return f" ({', '.join(ids[:10])}{', …' if len(ids) > 10 else ''})" if ids else ""


def _flip_line(ra: dict, rb: dict) -> str:
    def said(r: dict) -> str:
        answer = " ".join((r.get("answer") or "").split())
        return "từ chối" if not r.get("found") else f"«{answer[:120]}{'…' if len(answer) > 120 else ''}»"

    line = f"- `{rb['id']}` ({rb['type']}, {rb['variant']}) {rb['question']}\n  A: {said(ra)}\n  B: {said(rb)}"
    if ra.get("answer") == rb.get("answer") and ra.get("found") == rb.get("found"):
        line += "\n  (cùng câu trả lời: kết quả đổi vì cách chấm hoặc đáp án mong đợi đổi)"
    return line
