"""`assistant eval --compare A B`: what changed between two runs: what they were
measured on (code, index, settings, questions, machine), every figure with a paired
exact test (McNemar) over the items both runs asked, and the items whose verdict
flipped. A and B are result files (latest.json) or the folders holding them.

Two runs over different question sets or corpora are refused unless the caller allows
it; then a warning heads every output. `comparison` computes everything once, as data
(written as compare.json); `render` writes it as Markdown, `compare_html` as HTML."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import AssistantError
from . import metrics
from .definitions import BY_KEY, GROUPS, METRICS, SIGNIFICANCE, fmt_delta, fmt_p, group_name
from .figures import SHARES, group_of, with_proportions
from .report import figure_text, groups

VERDICTS = ("tốt hơn", "kém hơn", "không khác biệt có ý nghĩa")


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
    return with_proportions(result)


def write_comparison(a: dict, b: dict, name_a: str, name_b: str, output: Path,
                     allow_different: bool = False) -> str:
    """Compare, write compare.md, compare.html and compare.json into `output`, and
    return the Markdown (which the command prints)."""
    from .compare_html import render_compare_html

    cmp = comparison(a, b, name_a, name_b, allow_different)
    text = render(cmp, a, b)
    output.mkdir(parents=True, exist_ok=True)
    (output / "compare.md").write_text(text, encoding="utf-8")
    (output / "compare.html").write_text(render_compare_html(cmp, a, b), encoding="utf-8")
    (output / "compare.json").write_text(json.dumps(cmp, ensure_ascii=False, indent=1), encoding="utf-8")
    return text


def _asked(record: dict) -> tuple:
    """What an item asks: two runs share an item when its id asks the same thing in both."""
    return record["question"], tuple(record.get("history") or ())


def differences(a: dict, b: dict) -> list[str]:
    """Why two runs are not measured on the same thing: different question sets, different
    corpora. Empty when they are, or when the records cannot tell (older manifests)."""
    asked_a = {r["id"]: _asked(r) for r in a["records"]}
    asked_b = {r["id"]: _asked(r) for r in b["records"]}
    found = []
    if asked_a != asked_b:
        same = sum(1 for i, asked in asked_a.items() if asked_b.get(i) == asked)
        found.append(f"bộ câu hỏi khác nhau (A {len(asked_a)} câu, B {len(asked_b)} câu, {same} câu chung)")
    ma, mb = a.get("index_manifest") or {}, b.get("index_manifest") or {}
    hashes = ma.get("corpus_hash"), mb.get("corpus_hash")
    # the corpus hash was computed another way before index format 6: only same-format hashes compare
    if all(hashes) and hashes[0] != hashes[1] and ma.get("format_version") == mb.get("format_version"):
        found.append(f"bộ văn bản khác nhau (mã băm {hashes[0][:12]} và {hashes[1][:12]})")
    return found


def paired_test(pairs: list[tuple[bool, bool]], higher_is_better: bool = True) -> dict:
    """Exact McNemar test over paired yes/no results (A, B): the items that moved each way,
    the two-sided p-value, and the verdict on B against A."""
    only_a = sum(1 for x, y in pairs if x and not y)
    only_b = sum(1 for x, y in pairs if y and not x)
    p = metrics.mcnemar_exact(only_a, only_b)
    if p >= SIGNIFICANCE or only_a == only_b:
        verdict = VERDICTS[2]
    else:
        verdict = VERDICTS[0] if (only_b > only_a) == higher_is_better else VERDICTS[1]
    return {"items": len(pairs), "only_a": only_a, "only_b": only_b, "p": p, "verdict": verdict}


def _share_test(key: str, shared: list[tuple[dict, dict]], higher_is_better: bool) -> dict | None:
    """The paired test of a share, when both runs count it on the same items; a share
    conditioned on the run's own answers (high_share, accuracy_high) has no pairing."""
    share = SHARES[key]
    flags = [(share(ra), share(rb)) for ra, rb in shared]
    if any((x is None) != (y is None) for x, y in flags):
        return None
    pairs = [(x, y) for x, y in flags if x is not None]
    return paired_test(pairs, higher_is_better) if pairs else None


def comparison(a: dict, b: dict, name_a: str = "A", name_b: str = "B", allow_different: bool = False) -> dict:
    """Everything `--compare` says, as data. Raises when the runs differ in what they
    measured and `allow_different` is not given."""
    different = differences(a, b)
    if different and not allow_different:
        raise AssistantError(f"không so sánh hai lần chạy: {'; '.join(different)}; thêm --allow-different để vẫn "
                             "so trên các câu chung (kèm cảnh báo)")
    by_id_b = {r["id"]: r for r in b["records"]}
    ids_a = {r["id"] for r in a["records"]}
    shared = [(ra, by_id_b[ra["id"]]) for ra in a["records"]
              if ra["id"] in by_id_b and _asked(ra) == _asked(by_id_b[ra["id"]])]
    figures = []
    for m in METRICS:
        test = _share_test(m.key, shared, m.higher_is_better) if m.key in SHARES else None
        figures.append({"key": m.key, "a": a["summary"]["overall"].get(m.key),
                        "b": b["summary"]["overall"].get(m.key), "test": test})
    return {
        "a": name_a, "b": name_b,
        "warning": _warning(different, len(shared)) if different else None,
        "verdict": paired_test([(ra["correct"], rb["correct"]) for ra, rb in shared]),
        "conditions": _setup_changes(a, b),
        "figures": figures,
        "groups": {key: _group_changes(a, b, key, shared) for key in GROUPS},
        "fixed": [ra["id"] for ra, rb in shared if not ra["correct"] and rb["correct"]],
        "broken": [ra["id"] for ra, rb in shared if ra["correct"] and not rb["correct"]],
        "renamed": [r["id"] for r in a["records"] if r["id"] in by_id_b and _asked(r) != _asked(by_id_b[r["id"]])],
        "only_a": [r["id"] for r in a["records"] if r["id"] not in by_id_b],
        "only_b": [i for i in by_id_b if i not in ids_a],
    }


def _warning(different: list[str], shared: int) -> str:
    consequences = []
    if any(d.startswith("bộ câu hỏi") for d in different):
        consequences.append("Chỉ số tổng của A và B tính trên các câu khác nhau, không so trực tiếp được; "
                            f"kiểm định cặp chỉ tính trên {shared} câu chung.")
    if any(d.startswith("bộ văn bản") for d in different):
        consequences.append("Hai lần chạy trả lời từ hai bộ văn bản khác nhau: một khác biệt có thể do văn bản, "
                            "không do trợ lý.")
    return f"Cảnh báo: hai lần chạy đo trên những thứ khác nhau: {'; '.join(different)}. {' '.join(consequences)}"


def _describe(result: dict) -> dict:
    """The facts of a run that make two runs comparable or not, flattened to text."""
    code = result.get("code") or {}
    manifest = result.get("index_manifest") or {}
    context = result.get("context") or {}
    load = {when: (context.get(when) or {}).get("load_average") for when in ("start", "end")}
    facts = {
        "chạy lúc": result.get("run_at"),
        "tệp câu hỏi": result.get("questions_file"),
        "đã dùng để điều chỉnh": (result.get("question_set") or {}).get("tuned_on"),
        "phần đã chạy": json.dumps(result.get("selection"), ensure_ascii=False) if result.get("selection") else None,
        "commit": code.get("git_commit"),
        "có thay đổi chưa commit": code.get("git_dirty"),
        "mã băm gói": code.get("package_hash"),
        "mô hình": manifest.get("model"),
        "chỉ mục xây dựng lúc": manifest.get("built_at"),
        "mã băm văn bản": manifest.get("corpus_hash"),
        "số nhân CPU": (context.get("start") or {}).get("cpu_count"),
        "tải trung bình lúc bắt đầu": load["start"],
        "tải trung bình lúc kết thúc": load["end"],
    }
    facts.update({f"thiết lập {k}": v for k, v in (result.get("settings") or {}).items()})
    return {k: "—" if v is None else str(v) for k, v in facts.items()}


def _setup_changes(a: dict, b: dict) -> list[tuple[str, str, str]]:
    da, db = _describe(a), _describe(b)
    order = list(da) + [k for k in db if k not in da]
    return [(k, da.get(k, "—"), db.get(k, "—")) for k in order if da.get(k, "—") != db.get(k, "—")]


def _group_changes(a: dict, b: dict, key: str, shared: list[tuple[dict, dict]]) -> list[dict]:
    """Strict answer accuracy (refusal accuracy for unanswerable groups) per group, only
    where it moved, with the paired test over the group's shared items."""
    before, after = dict(groups(a["summary"], key)), dict(groups(b["summary"], key))
    rows = []
    for name in [*before, *(n for n in after if n not in before)]:  # the reports' order
        fa, fb = before.get(name, {}), after.get(name, {})
        shown = "answer_accuracy" if (fa or fb).get("answerable") else "refusal_accuracy"
        if fa.get(shown) == fb.get(shown):
            continue
        members = [(ra, rb) for ra, rb in shared if group_of(rb, key) == name]
        rows.append({"group": name, "questions": [fa.get("questions", 0), fb.get("questions", 0)], "key": shown,
                     "a": fa, "b": fb, "test": _share_test(shown, members, True) if members else None})
    return rows


def paired_text(test: dict | None) -> str:
    """«chỉ ở A 3, chỉ ở B 7; p = 0,344: không khác biệt có ý nghĩa» (the items counted as
    yes in one run only), or — when the share has no pairing."""
    if not test:
        return "—"
    return f"chỉ ở A {test['only_a']}, chỉ ở B {test['only_b']}; {fmt_p(test['p'])}: {test['verdict']}"


def headline_text(verdict: dict) -> str:
    if not verdict["items"]:
        return "Hai lần chạy không có câu chung: không kiểm định cặp được."
    threshold = f"{SIGNIFICANCE:g}".replace(".", ",")
    return (f"Trên {verdict['items']} câu chung: {verdict['only_b']} câu sai → đúng, {verdict['only_a']} câu "
            f"đúng → sai (kiểm định McNemar chính xác, hai phía, {fmt_p(verdict['p'])}): B **{verdict['verdict']}** "
            f"so với A (ngưỡng p < {threshold}).")


def render(cmp: dict, a: dict, b: dict) -> str:
    lines = [f"So sánh hai lần chạy: A = {cmp['a']}, B = {cmp['b']}", ""]
    if cmp["warning"]:
        lines = [f"**{cmp['warning']}**", "", *lines]
    lines += ["## Kết luận", "", headline_text(cmp["verdict"]), "",
              "Mỗi chỉ số dưới đây có kiểm định riêng; với nhiều chỉ số, một p < 0,05 có thể do ngẫu nhiên: "
              "kết luận trên là kết luận chính.", ""]
    lines += ["## Điều kiện chạy khác nhau", ""]
    lines += [f"- {k}: {va} → {vb}" for k, va, vb in cmp["conditions"]] or ["- không có"]
    lines += ["", "## Các chỉ số", "", "Trong ngoặc: khoảng tin cậy 95% (Wilson).", "",
              "| chỉ số | A | B | thay đổi | kiểm định cặp (số câu «có» chỉ ở một lần chạy) | cơ sở A | cơ sở B |", "|---|---|---|---|---|---|---|"]
    oa, ob = a["summary"]["overall"], b["summary"]["overall"]
    base_a, base_b = oa.get("baseline") or {}, ob.get("baseline") or {}
    for row in cmp["figures"]:
        m = BY_KEY[row["key"]]
        lines.append(f"| {m.name} | {figure_text(oa, m.key)} | {figure_text(ob, m.key)} | "
                     f"{fmt_delta(row['a'], row['b'], m.unit)} | {paired_text(row['test'])} | "
                     f"{figure_text(base_a, m.key)} | {figure_text(base_b, m.key)} |")
    lines += [f"| số câu | {oa['questions']} | {ob['questions']} | | | | |", ""]
    for key, rows in cmp["groups"].items():
        lines += _group_lines(key, rows)
    lines += _flip_lines(cmp, a, b)
    return "\n".join(lines) + "\n"


def _group_lines(key: str, rows: list[dict]) -> list[str]:
    title = GROUPS[key][0]
    if not rows:
        return [f"## {title}", "", "Không nhóm nào đổi.", ""]
    lines = [f"## {title} (chỉ các nhóm thay đổi)", "", f"| {key} | số câu | chỉ số | A | B | thay đổi | kiểm định cặp |",
             "|---|---|---|---|---|---|---|"]
    for row in rows:
        k = row["key"]
        lines.append(f"| {group_name(key, row['group'])} | {row['questions'][0]} → {row['questions'][1]} | "
                     f"{BY_KEY[k].name} | {figure_text(row['a'], k)} | {figure_text(row['b'], k)} | "
                     f"{fmt_delta(row['a'].get(k), row['b'].get(k))} | {paired_text(row['test'])} |")
    return lines + [""]


def _flip_lines(cmp: dict, a: dict, b: dict) -> list[str]:
    by_id_a, by_id_b = {r["id"]: r for r in a["records"]}, {r["id"]: r for r in b["records"]}
    lines = [f"## Câu đổi kết quả: {len(cmp['fixed'])} sai → đúng, {len(cmp['broken'])} đúng → sai", ""]
    for title, ids in (("Sai → đúng", cmp["fixed"]), ("Đúng → sai", cmp["broken"])):
        if ids:
            lines += [f"### {title}", ""]
            lines += [_flip_line(by_id_a[i], by_id_b[i]) for i in ids]
            lines.append("")
    renamed = cmp["renamed"]
    if renamed:
        lines += [f"Cảnh báo: {len(renamed)} mã câu có câu hỏi khác nhau giữa A và B ({', '.join(renamed[:10])}); "
                  "các câu này không được ghép cặp.", ""]
    only_a, only_b = cmp["only_a"], cmp["only_b"]
    if only_a or only_b:
        lines += [f"Chỉ có ở A: {len(only_a)} câu{_sample(only_a)}; chỉ có ở B: {len(only_b)} câu{_sample(only_b)}.", ""]
    return lines


def _sample(ids: list[str]) -> str:
    return f" ({', '.join(ids[:10])}{', …' if len(ids) > 10 else ''})" if ids else ""


def said(record: dict) -> str:
    answer = " ".join((record.get("answer") or "").split())
    return "từ chối" if not record.get("found") else f"«{answer[:120]}{'…' if len(answer) > 120 else ''}»"


def same_answer(ra: dict, rb: dict) -> bool:
    return ra.get("answer") == rb.get("answer") and ra.get("found") == rb.get("found")


def _flip_line(ra: dict, rb: dict) -> str:
    line = f"- `{rb['id']}` ({rb['type']}, {rb['variant']}) {rb['question']}\n  A: {said(ra)}\n  B: {said(rb)}"
    if same_answer(ra, rb):
        line += "\n  (cùng câu trả lời: kết quả đổi vì cách chấm hoặc đáp án mong đợi đổi)"
    return line
