"""compare.html: `eval --compare` as one self-contained page, like the run's report:
the warning first when the runs measured different things, the verdict of the paired
test, the conditions that changed, every figure with its interval and test, the
groups that moved, and each flipped item with both answers side by side."""

from __future__ import annotations

from html import escape

from .compare import headline_text, paired_text, said, same_answer
from .definitions import BY_KEY, GROUPS, fmt_delta, group_name
from .html_report import STYLE, inline, page
from .report import figure_text

COMPARE_STYLE = STYLE + """
.verdict { font-size: 1.1rem; border: 1px solid #d8dde5; border-left: 6px solid #1d2430; border-radius: 6px;
           padding: .6rem .9rem; }
.flip { border: 1px solid #d8dde5; border-radius: 6px; padding: .5rem .9rem; margin: .6rem 0; }
.flip.fixed { border-left: 4px solid #2e7d32; } .flip.broken { border-left: 4px solid #a3161a; }
.flip .answers { display: grid; grid-template-columns: 1fr 1fr; gap: .8rem; }
.flip .answers div { white-space: pre-wrap; background: #f8f9fb; padding: .3rem .5rem; }
"""


def render_compare_html(cmp: dict, a: dict, b: dict) -> str:
    parts = []
    if cmp["warning"]:
        parts.append(f"<p class=\"warning\" id=\"different\">{escape(cmp['warning'])}</p>")
    parts += [f"<h1>So sánh hai lần chạy</h1><p>A = <code>{escape(cmp['a'])}</code>, "
              f"B = <code>{escape(cmp['b'])}</code></p>",
              f"<h2>Kết luận</h2><p class=\"verdict\" id=\"verdict\">{inline(headline_text(cmp['verdict']))}</p>",
              "<p class=\"definition\">Mỗi chỉ số dưới đây có kiểm định riêng; với nhiều chỉ số, một p &lt; 0,05 "
              "có thể do ngẫu nhiên: kết luận trên là kết luận chính.</p>",
              _conditions(cmp["conditions"]), _figures(cmp, a, b)]
    parts += [_groups(key, rows) for key, rows in cmp["groups"].items()]
    parts.append(_flips(cmp, a, b))
    return page(f"So sánh {cmp['a']} và {cmp['b']}", "\n".join(parts), COMPARE_STYLE, scripts=False)


def _conditions(changes: list[tuple[str, str, str]]) -> str:
    if not changes:
        return "<h2>Điều kiện chạy khác nhau</h2><p>Không có.</p>"
    rows = "".join(f"<tr><td>{escape(k)}</td><td>{escape(va)}</td><td>{escape(vb)}</td></tr>" for k, va, vb in changes)
    return ("<h2>Điều kiện chạy khác nhau</h2><div class=\"scroll\"><table id=\"conditions\"><thead><tr>"
            f"<th>điều kiện</th><th>A</th><th>B</th></tr></thead><tbody>{rows}</tbody></table></div>")


def _figures(cmp: dict, a: dict, b: dict) -> str:
    oa, ob = a["summary"]["overall"], b["summary"]["overall"]
    base_a, base_b = oa.get("baseline") or {}, ob.get("baseline") or {}
    rows = []
    for row in cmp["figures"]:
        m = BY_KEY[row["key"]]
        rows.append(f"<tr><td>{escape(m.name)}</td><td class=\"num\">{figure_text(oa, m.key)}</td>"
                    f"<td class=\"num\">{figure_text(ob, m.key)}</td>"
                    f"<td class=\"num\">{fmt_delta(row['a'], row['b'], m.unit)}</td>"
                    f"<td>{escape(paired_text(row['test']))}</td>"
                    f"<td class=\"num base\">{figure_text(base_a, m.key)}</td>"
                    f"<td class=\"num base\">{figure_text(base_b, m.key)}</td></tr>")
    return ("<h2>Các chỉ số</h2><p class=\"definition\">Trong ngoặc: khoảng tin cậy 95% (Wilson). Kiểm định cặp: "
            "số câu «có» chỉ ở A, chỉ ở B, trên các câu chung được tính ở cả hai lần chạy.</p>"
            "<div class=\"scroll\"><table id=\"figures\"><thead><tr><th>chỉ số</th><th>A</th><th>B</th>"
            "<th>thay đổi</th><th>kiểm định cặp</th><th>cơ sở A</th><th>cơ sở B</th></tr></thead>"
            f"<tbody>{''.join(rows)}<tr><td>số câu</td><td class=\"num\">{oa['questions']}</td>"
            f"<td class=\"num\">{ob['questions']}</td><td></td><td></td><td></td><td></td></tr></tbody></table></div>")


def _groups(key: str, rows: list[dict]) -> str:
    title = escape(GROUPS[key][0])
    if not rows:
        return f"<h2>{title}</h2><p>Không nhóm nào đổi.</p>"
    cells = "".join(
        f"<tr><td>{escape(group_name(key, row['group']))}</td>"
        f"<td class=\"num\">{row['questions'][0]} → {row['questions'][1]}</td><td>{escape(BY_KEY[row['key']].name)}</td>"
        f"<td class=\"num\">{figure_text(row['a'], row['key'])}</td><td class=\"num\">{figure_text(row['b'], row['key'])}</td>"
        f"<td class=\"num\">{fmt_delta(row['a'].get(row['key']), row['b'].get(row['key']))}</td>"
        f"<td>{escape(paired_text(row['test']))}</td></tr>" for row in rows)
    return (f"<h2>{title} (chỉ các nhóm thay đổi)</h2><div class=\"scroll\"><table id=\"groups-{key}\"><thead><tr>"
            f"<th>{key}</th><th>số câu</th><th>chỉ số</th><th>A</th><th>B</th><th>thay đổi</th><th>kiểm định cặp</th>"
            f"</tr></thead><tbody>{cells}</tbody></table></div>")


def _flips(cmp: dict, a: dict, b: dict) -> str:
    by_id_a, by_id_b = {r["id"]: r for r in a["records"]}, {r["id"]: r for r in b["records"]}
    parts = [f"<h2>Câu đổi kết quả: {len(cmp['fixed'])} sai → đúng, {len(cmp['broken'])} đúng → sai</h2>"]
    for kind, title, ids in (("fixed", "Sai → đúng", cmp["fixed"]), ("broken", "Đúng → sai", cmp["broken"])):
        if ids:
            parts.append(f"<h3>{title}</h3>")
            parts += [_flip(kind, by_id_a[i], by_id_b[i]) for i in ids]
    notes = []
    if cmp["renamed"]:
        notes.append(f"{len(cmp['renamed'])} mã câu có câu hỏi khác nhau giữa A và B "
                     f"({', '.join(cmp['renamed'][:10])}); các câu này không được ghép cặp.")
    if cmp["only_a"] or cmp["only_b"]:
        notes.append(f"Chỉ có ở A: {len(cmp['only_a'])} câu; chỉ có ở B: {len(cmp['only_b'])} câu.")
    return "".join(parts) + "".join(f"<p>{escape(n)}</p>" for n in notes)


def _flip(kind: str, ra: dict, rb: dict) -> str:
    note = ("<p class=\"definition\">Cùng câu trả lời: kết quả đổi vì cách chấm hoặc đáp án mong đợi đổi.</p>"
            if same_answer(ra, rb) else "")
    return (f"<article class=\"flip {kind}\" id=\"flip-{escape(rb['id'])}\"><h4><code>{escape(rb['id'])}</code> "
            f"({escape(rb['type'])}, {escape(rb['variant'])}) {escape(rb['question'])}</h4>"
            f"<div class=\"answers\"><div><strong>A:</strong> {escape(said(ra))}</div>"
            f"<div><strong>B:</strong> {escape(said(rb))}</div></div>{note}</article>")
