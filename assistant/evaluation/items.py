"""The HTML report's table of every item (question, expected, given, confidence, right
or wrong, time), failures first, with filters. The filters are a small inline script
(allowed by its hash in the page's Content-Security-Policy): nothing is fetched, the
page works offline, and without scripts the whole table still shows."""

from __future__ import annotations

import base64
import hashlib
from html import escape

from .definitions import TYPE_NAMES, VARIANT_NAMES, group_name
from .figures import NONE
from .report import expected_text, problems

CONFIDENCE_NAMES = {"high": "cao", "low": "chưa chắc chắn", "": "— (từ chối)", "unknown": "không ghi (lần chạy cũ)"}

# Filters: every select narrows the rows by one data attribute; the search box keeps the
# rows whose text holds every word typed, accents optional ("ninh thuan" finds "Ninh Thuận").
SCRIPT = """
(() => {
  const table = document.getElementById("items");
  const rows = [...table.tBodies[0].rows];
  const fold = (text) => text.normalize("NFD").replace(/[\\u0300-\\u036f]/g, "")
    .replace(/[đĐ]/g, "d").toLowerCase();
  const texts = new Map(rows.map((row) => [row, fold(row.textContent)]));
  const filters = document.getElementById("item-filters");
  const search = document.getElementById("item-search");
  const selects = [...filters.querySelectorAll("select")];
  const shown = document.getElementById("item-count");
  function apply() {
    const words = fold(search.value).split(/\\s+/).filter(Boolean);
    let count = 0;
    for (const row of rows) {
      const visible = selects.every((s) => !s.value || row.dataset[s.name] === s.value)
        && words.every((w) => texts.get(row).includes(w));
      row.hidden = !visible;
      count += visible;
    }
    shown.textContent = `Đang hiện ${count} / ${rows.length} câu`;
  }
  filters.addEventListener("input", apply);
  filters.addEventListener("reset", () => setTimeout(apply));
  filters.hidden = false;
  apply();
})();
"""


def script_hash() -> str:
    """The CSP source that allows exactly SCRIPT and no other script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode() + "'"


def render_items(records: list[dict]) -> str:
    ordered = sorted(records, key=lambda r: bool(r["correct"]))  # failures first, file order kept within
    wrong = sum(not r["correct"] for r in records)
    rows = "".join(_row(r) for r in ordered)
    return (f"<h2 id=\"items-title\">Mọi câu ({len(records)}; {wrong} sai, xếp trước)</h2>"
            "<p>Câu hỏi, đáp án mong đợi, câu trả lời, độ tin cậy, kết quả và thời gian của từng câu. "
            "Mã câu sai dẫn tới phần giải thích ở mục «Câu sai».</p>"
            + _filters(records) +
            "<div class=\"scroll\"><table id=\"items\"><thead><tr><th>mã</th><th>câu hỏi</th>"
            "<th>đáp án mong đợi</th><th>câu trả lời</th><th>độ tin cậy</th><th>kết quả</th>"
            f"<th>thời gian</th></tr></thead><tbody>{rows}</tbody></table></div>"
            f"<script>{SCRIPT}</script>")


def _filters(records: list[dict]) -> str:
    def select(name: str, label: str, options: list[tuple[str, str]]) -> str:
        choices = "".join(f"<option value=\"{escape(v)}\">{escape(text)}</option>" for v, text in options)
        return (f"<label>{escape(label)} <select name=\"{name}\"><option value=\"\">tất cả</option>"
                f"{choices}</select></label>")

    def present(key: str) -> list[str]:
        return sorted({r.get(key) or NONE for r in records})

    return ("<form id=\"item-filters\" class=\"filters\" hidden>"
            "<label>Tìm <input id=\"item-search\" type=\"search\" "
            "placeholder=\"chữ trong câu hỏi, đáp án, câu trả lời (có dấu hay không)\"></label>"
            + select("verdict", "Kết quả", [("sai", "sai"), ("đúng", "đúng")])
            + select("type", "Loại", [(v, f"{v} ({TYPE_NAMES.get(v, v)})") for v in present("type")])
            + select("variant", "Cách diễn đạt", [(v, f"{v} ({VARIANT_NAMES.get(v, v)})")
                                                 for v in present("variant")])
            + select("province", "Tỉnh", [(v, group_name("province", v)) for v in present("province")])
            + select("confidence", "Độ tin cậy", [(k, v) for k, v in CONFIDENCE_NAMES.items()
                                                  if k != "unknown" or any("confidence" not in r for r in records)])
            + "<button type=\"reset\">Bỏ lọc</button> <output id=\"item-count\"></output></form>")


def _row(r: dict) -> str:
    listed = problems(r)
    verdict = "đúng" if r["correct"] else "sai"
    confidence = r.get("confidence", "unknown" if r.get("found") else "") or ""
    ident = escape(r["id"])
    link = f"<a href=\"#miss-{ident}\">{ident}</a>" if listed else ident
    took = "—" if r.get("took_ms") is None else f"{r['took_ms']:.0f} ms"
    attributes = {"verdict": verdict, "type": r["type"], "variant": r["variant"],
                  "province": r.get("province") or NONE, "confidence": confidence}
    data = "".join(f" data-{k}=\"{escape(v)}\"" for k, v in attributes.items())
    return (f"<tr class=\"{'wrong' if not r['correct'] else 'right'}\"{data}><td><code>{link}</code><br>"
            f"<small>{escape(r['type'])} · {escape(r['variant'])}</small></td>"
            f"<td>{_question(r)}</td><td>{escape(_expected(r))}</td>"
            f"<td><div class=\"given\">{escape(r.get('answer') or '(trống)')}</div></td>"
            f"<td>{escape(CONFIDENCE_NAMES.get(confidence, confidence))}</td>"
            f"<td><strong>{verdict}</strong>{''.join(f'<br><small>{escape(p)}</small>' for p in listed)}</td>"
            f"<td class=\"num\">{took}</td></tr>")


def _question(r: dict) -> str:
    parts = [escape(r["question"])]
    if r.get("history"):
        parts.append("<small>sau: " + " → ".join(f"«{escape(h)}»" for h in r["history"]) + "</small>")
    if r.get("interpreted_as") and r["interpreted_as"] != r["question"]:
        parts.append(f"<small>hiểu là: {escape(r['interpreted_as'])}</small>")
    return "<br>".join(parts)


def _expected(r: dict) -> str:
    if not r["answerable"]:
        return "từ chối (văn bản không có thông tin này)"
    return "; ".join(expected_text(a) for a in r.get("answers") or []) or "—"
