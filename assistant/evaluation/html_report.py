"""latest.html: the report as one self-contained page that opens offline in any
browser: inline CSS, the plots as inline SVG, one inline script (the items table's
filters, allowed by its hash), nothing fetched: the page's Content-Security-Policy
forbids it. Every text from questions, answers or documents is escaped."""

from __future__ import annotations

import re
from html import escape

from . import plots
from .definitions import BREAKDOWN, BY_KEY, METRICS, group_name
from .items import render_items, script_hash
from .metrics import SMALL
from .report import (GROUPS, INTERVALS, baseline_text, figure_text, groups, miss_fields, problems, run_facts,
                     size_text, tuning_warning)

STYLE = """
body { font-family: "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; color: #1d2430; margin: 0 auto;
       max-width: 1300px; padding: 1rem 1.5rem 3rem; line-height: 1.5; }
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
.warning { background: #fff4e5; border: 1px solid #e0a040; border-left: 6px solid #c77700; border-radius: 6px;
           padding: .6rem .9rem; font-weight: 600; }
tr.small td { background: #fffaf0; }
.filters { display: flex; flex-wrap: wrap; gap: .4rem 1rem; align-items: center; margin: .5rem 0;
           position: sticky; top: 0; background: #fff; padding: .4rem 0; z-index: 1; }
.filters[hidden] { display: none; } .filters input { min-width: 18rem; } .filters select, .filters input, .filters button { font: inherit; }
.filters select { max-width: 15rem; } .scroll { overflow-x: auto; }
#items td { font-size: .85rem; } #items tr.wrong td:first-child { border-left: 4px solid #a3161a; }
#items tr.right td:first-child { border-left: 4px solid #2e7d32; }
#items .given { white-space: pre-wrap; max-height: 9rem; overflow-y: auto; min-width: 16rem; }
#items small { color: #5b6575; }
"""


def inline(text: str) -> str:
    """Escape, then show the `code` and **bold** spans of the shared fact lines as such."""
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text))
    return re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)


def render_html(result: dict) -> str:
    summary = result["summary"]
    warning = tuning_warning(result)
    parts = [f"<h1>Kết quả đánh giá {escape(result['run_at'])}</h1>",
             f"<p class=\"warning\" id=\"tuning\">{escape(warning)}</p>" if warning else "",
             "<ul>" + "".join(f"<li>{inline(f)}</li>" for f in run_facts(result)) + "</ul>",
             f"<p>{escape(baseline_text())}</p>",
             "<h2>Biểu đồ</h2>",
             _figure("plot-baseline", "Trợ lý và cách làm cơ sở", plots.versus_baseline(summary["overall"])),
             _figure("plot-type", "Trả lời đúng theo loại câu hỏi", plots.by_group(summary, "type")),
             _figure("plot-variant", "Trả lời đúng theo cách diễn đạt", plots.by_group(summary, "variant")),
             _figure("plot-province", "Trả lời đúng theo tỉnh", plots.by_group(summary, "province")),
             _figure("plot-latency", "Thời gian trả lời", plots.latency(result["records"])),
             _metrics_table(summary["overall"])]
    parts += [_breakdown(summary, key) for key in GROUPS]
    parts.append(render_items(result["records"]))
    parts.append(_misses(result["records"]))
    return page(f"Kết quả đánh giá {result['run_at']}", "\n".join(parts), STYLE)


def page(title: str, body: str, style: str, scripts: bool = True) -> str:
    """A whole page whose policy lets nothing load: inline styles, SVG and data images,
    and only the items table's script, by its hash."""
    script_source = script_hash() if scripts else "'none'"
    policy = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {script_source}"
    return ("<!doctype html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n<style>{style}</style>\n</head>\n"
            "<body>\n" + body + "\n</body>\n</html>\n")


def _figure(name: str, caption: str, svg: str) -> str:
    return f'<figure id="{name}"><figcaption id="{name}-title">{escape(caption)}</figcaption>{svg}</figure>'


def _metrics_table(overall: dict) -> str:
    base = overall.get("baseline") or {}
    rows = "".join(
        f"<tr><td>{escape(m.name)}</td><td class=\"num\">{figure_text(overall, m.key, counts=True)}</td>"
        f"<td class=\"num base\">{figure_text(base, m.key, counts=True)}</td>"
        f"<td class=\"definition\">{inline(m.definition)}</td></tr>" for m in METRICS)
    return (f"<h2>Các chỉ số</h2><p class=\"definition\">{escape(INTERVALS)}</p><table id=\"metrics\"><thead>"
            "<tr><th>chỉ số</th><th>trợ lý</th><th>cơ sở</th>"
            f"<th>cách tính</th></tr></thead><tbody>{rows}</tbody></table>")


def _breakdown(summary: dict, key: str) -> str:
    rows = []
    for name, f in groups(summary, key):
        base = f.get("baseline") or {}
        cells = "".join(f"<td class=\"num\"{_counts(f, k)}>{figure_text(f, k)}</td>" for k in BREAKDOWN)
        small = ' class="small"' if f["questions"] < SMALL else ""
        rows.append(f"<tr{small}><td>{escape(group_name(key, name))}</td>"
                    f"<td class=\"num\">{escape(size_text(f))}</td><td class=\"num\">{f['answerable']}</td>{cells}"
                    f"<td class=\"num base\"{_counts(base, 'answer_accuracy')}>{figure_text(base, 'answer_accuracy')}</td>"
                    "</tr>")
    if not rows:
        return ""
    head = "".join(f"<th>{escape(BY_KEY[k].name)}</th>" for k in BREAKDOWN)
    return (f"<h2>{escape(GROUPS[key][0])}</h2><div class=\"scroll\"><table id=\"by-{key}\"><thead><tr>"
            f"<th>{key}</th><th>số câu</th><th>có lời đáp</th>{head}"
            f"<th>cơ sở: {escape(BY_KEY['answer_accuracy'].name)}</th></tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table></div>")


def _counts(figures: dict, key: str) -> str:
    """The counts behind a cell, shown on hover."""
    share = (figures.get("proportions") or {}).get(key)
    return f" title=\"{share['successes']}/{share['total']}\"" if share else ""


def _misses(records: list[dict]) -> str:
    items = [_miss(r, listed) for r in records if (listed := problems(r))]
    intro = "<p>Mỗi câu trả lời sai, từ chối sai, hoặc không có bằng chứng trong 5 trích dẫn đầu.</p>"
    return f"<h2>Câu sai ({len(items)})</h2>{intro}" + ("".join(items) or "<p>Không có.</p>")


def _miss(r: dict, listed: list[str]) -> str:
    body = "".join(f"<dt>{escape(label)}</dt><dd>{inline(text)}"
                   + "".join(f"<div class=\"text\">{escape(block)}</div>" for block in blocks) + "</dd>"
                   for label, text, blocks in miss_fields(r))
    return (f"<article class=\"miss\" id=\"miss-{escape(r['id'])}\"><h3><code>{escape(r['id'])}</code> · "
            f"{escape(r['type'])} · {escape(r['variant'])}: {escape('; '.join(listed))}</h3><dl>{body}</dl></article>")
