"""latest.html: the report as one self-contained page that opens offline in any
browser: inline CSS, the plots as inline SVG, no script, nothing fetched. Every
text from questions, answers or documents is escaped."""

from __future__ import annotations

import re
from html import escape

from . import plots
from .definitions import BREAKDOWN, BY_KEY, METRICS, fmt
from .report import GROUPS, baseline_text, groups, miss_fields, problems, run_facts

STYLE = """
body { font-family: "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; color: #1d2430; margin: 0 auto;
       max-width: 1100px; padding: 1rem 1.5rem 3rem; line-height: 1.5; }
h1 { color: #a3161a; font-size: 1.5rem; } h2 { border-bottom: 2px solid #a3161a; padding-bottom: .2rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #d8dde5; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f5f8; } td.num { text-align: right; white-space: nowrap; }
td.base { color: #5b6575; } .definition { color: #5b6575; font-size: .85rem; }
figure { margin: 1rem 0 2rem; } figcaption { font-weight: 600; margin-bottom: .3rem; }
svg.plot { max-width: 100%; height: auto; }
.miss { border: 1px solid #d8dde5; border-left: 4px solid #a3161a; border-radius: 6px; padding: .5rem .9rem;
        margin: .8rem 0; }
.miss h3 { font-size: 1rem; margin: .2rem 0 .4rem; } .miss dt { font-weight: 600; margin-top: .3rem; }
.miss dd { margin: 0 0 0 1rem; } .text { white-space: pre-wrap; background: #f8f9fb; padding: .3rem .5rem;
        border-left: 3px solid #d8dde5; margin: .2rem 0; }
code { background: #f3f5f8; padding: 0 .2rem; border-radius: 3px; }
"""


def _inline(text: str) -> str:
    """Escape, then show `code` spans of the shared fact lines as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text))


def render_html(result: dict) -> str:
    summary = result["summary"]
    parts = [f"<h1>Kết quả đánh giá {escape(result['run_at'])}</h1>",
             "<ul>" + "".join(f"<li>{_inline(f)}</li>" for f in run_facts(result)) + "</ul>",
             f"<p>{escape(baseline_text())}</p>",
             "<h2>Biểu đồ</h2>",
             _figure("plot-baseline", "Trợ lý và cách làm cơ sở", plots.versus_baseline(summary["overall"])),
             _figure("plot-type", "Trả lời đúng theo loại câu hỏi", plots.by_group(summary, "type")),
             _figure("plot-variant", "Trả lời đúng theo cách diễn đạt", plots.by_group(summary, "variant")),
             _figure("plot-latency", "Thời gian trả lời", plots.latency(result["records"])),
             _metrics_table(summary["overall"])]
    parts += [_breakdown(summary, key) for key in GROUPS]
    parts.append(_misses(result["records"]))
    return ("<!doctype html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>Kết quả đánh giá {escape(result['run_at'])}</title>\n<style>{STYLE}</style>\n</head>\n"
            "<body>\n" + "\n".join(parts) + "\n</body>\n</html>\n")


def _figure(name: str, caption: str, svg: str) -> str:
    return f'<figure id="{name}"><figcaption id="{name}-title">{escape(caption)}</figcaption>{svg}</figure>'


def _metrics_table(overall: dict) -> str:
    base = overall.get("baseline") or {}
    rows = "".join(
        f"<tr><td>{escape(m.name)}</td><td class=\"num\">{fmt(overall.get(m.key), m.unit)}</td>"
        f"<td class=\"num base\">{fmt(base.get(m.key), m.unit)}</td>"
        f"<td class=\"definition\">{_inline(m.definition)}</td></tr>" for m in METRICS)
    return ("<h2>Các chỉ số</h2><table id=\"metrics\"><thead><tr><th>chỉ số</th><th>trợ lý</th><th>cơ sở</th>"
            f"<th>cách tính</th></tr></thead><tbody>{rows}</tbody></table>")


def _breakdown(summary: dict, key: str) -> str:
    title, names = GROUPS[key]
    head = "".join(f"<th>{escape(BY_KEY[k].name)}</th><th>cơ sở</th>" for k in BREAKDOWN)
    rows = []
    for name, f in groups(summary, key):
        base = f.get("baseline") or {}
        cells = "".join(f"<td class=\"num\">{fmt(f.get(k))}</td><td class=\"num base\">{fmt(base.get(k))}</td>"
                        for k in BREAKDOWN)
        rows.append(f"<tr><td>{escape(name)} ({escape(names.get(name, name))})</td>"
                    f"<td class=\"num\">{f['questions']}</td>{cells}</tr>")
    return (f"<h2>{escape(title)}</h2><table id=\"by-{key}\"><thead><tr><th>{key}</th><th>số câu</th>{head}</tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table>")


def _misses(records: list[dict]) -> str:
    items = [_miss(r, listed) for r in records if (listed := problems(r))]
    intro = "<p>Mỗi câu trả lời sai, từ chối sai, hoặc không có bằng chứng trong 5 trích dẫn đầu.</p>"
    return f"<h2>Câu sai ({len(items)})</h2>{intro}" + ("".join(items) or "<p>Không có.</p>")


def _miss(r: dict, listed: list[str]) -> str:
    body = "".join(f"<dt>{escape(label)}</dt><dd>{_inline(inline)}"
                   + "".join(f"<div class=\"text\">{escape(block)}</div>" for block in blocks) + "</dd>"
                   for label, inline, blocks in miss_fields(r))
    return (f"<article class=\"miss\" id=\"miss-{escape(r['id'])}\"><h3><code>{escape(r['id'])}</code> · "
            f"{escape(r['type'])} · {escape(r['variant'])}: {escape('; '.join(listed))}</h3><dl>{body}</dl></article>")
