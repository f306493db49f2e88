// The session views a trainer presents: a plan's one-page summary, the key matrix (who
// does what), the calendar of deadlines and what is distinctive in each province. Each
// part is a <section class="sv-part">: "Trình chiếu" (study-present.js) shows one at a time.
"use strict";

import { element } from "./dom.js";

const MARKS = { lead: "●", coordinating: "○" };
const KINDS = { report: "Báo cáo", review: "Sơ kết, tổng kết", budget: "Dự toán kinh phí",
                timeline: "Thời gian thực hiện nhiệm vụ" };
const DISTINCT = { document: "Văn bản", reporting: "Báo cáo", unit: "Đơn vị", task: "Nhiệm vụ" };
const CALENDAR = [
  ["dated", "Hạn có ngày cụ thể", "Có trong tệp lịch .ics; «hằng năm»: nhắc lại mỗi năm."],
  ["year", "Hạn trong một năm", "Văn bản nêu năm, không nêu ngày."],
  ["recurring", "Nhiệm vụ định kỳ, thường xuyên", "Không có ngày cụ thể: hằng năm, hằng quý, định kỳ, đột xuất."],
];

function part(title) {
  const section = element("section", "sv-part");
  section.append(element("h3", "", title));
  return section;
}

function item(label, content) {
  const li = element("li", "sv-item");
  if (label) li.append(element("strong", "", `${label} `));
  li.append(...content);
  return li;
}

// `quote(q, cut)` draws a quote as the other views do (its words open the plan).
export function renderSummary(data, quote) {
  const view = element("article", "sv-summary");
  view.append(element("h2", "", data.label));
  if (data.title) view.append(element("p", "sv-note", `${data.title.quote.quote}${data.title.cut ? " …" : ""}`));
  const facts = part("Thông tin văn bản");
  const list = element("ul", "sv-facts");
  for (const f of data.fields) {
    const value = element("span", "sv-value", f.value);
    list.append(item(`${f.label}:`, f.quote ? [value, quote(f.quote, false, true)] : [value]));
  }
  if (data.implements.length) list.append(item("Thực hiện:", data.implements.map((q) => quote(q))));
  if (data.replaces.length) list.append(item("Thay thế:", data.replaces.map((q) => quote(q))));
  facts.append(list);
  const goals = part("Mục tiêu chính");
  goals.append(data.goals.length ? listOf(data.goals.map((g) => [quote(g.quote, g.cut)]))
    : element("p", "sv-note", "Văn bản không có mục «Mục đích» hay «Mục tiêu»: không ghi."));
  const tasks = part(`Nhiệm vụ: ${data.task_count} nhiệm vụ`);
  tasks.append(listOf(data.groups.map((g) => [`${g.number ? `${g.number}. ` : ""}${g.label}: ${g.count}`])));
  const reports = part("Báo cáo");
  reports.append(data.reporting.length ? listOf(data.reporting.map((d) => [element("strong", "", `${d.when.quote}: `),
    quote(d.what)])) : element("p", "sv-note", "Văn bản không nêu thời hạn báo cáo: không ghi."));
  const own = part(`Điểm riêng của ${data.province_name}`);
  own.append(distinctList(data.distinctive, quote));
  view.append(facts, goals, tasks, reports, own);
  return view;
}

function listOf(rows) {
  const list = element("ul", "sv-facts");
  for (const content of rows) list.append(item("", content));
  return list;
}

function distinctList(items, quote) {
  if (!items.length) return element("p", "sv-note", "Không có điểm nào mà các văn bản khác không có.");
  return listOf(items.map((d) => [element("strong", "", `${DISTINCT[d.kind]}: ${d.text}. `),
    ...d.quotes.map((q) => quote(q))]));
}

export function renderKeyMatrix(data, quote) {
  const view = element("article", "sv-keymatrix");
  const section = part("Ai làm gì: ma trận chính");
  section.append(element("p", "sv-note", "● chủ trì (hoặc tham mưu, thực hiện) · ○ phối hợp · số: nhiệm vụ trong "
    + "Phụ lục (ma-tran-day-du.docx). Hàng: các đơn vị có nhiệm vụ ở nhiều văn bản nhất."));
  const table = element("table", "sv-table sv-key");
  const head = element("tr");
  head.append(element("th", "", "Đơn vị"));
  for (const p of data.provinces) head.append(element("th", "", p.name));
  table.append(element("thead"), element("tbody"));
  table.tHead.append(head);
  for (const row of data.rows) {
    const tr = element("tr");
    tr.append(element("th", "sv-row", `${row.label} (${row.tasks})`));
    for (const p of data.provinces) {
      const cell = element("td");
      const marks = row.cells[p.slug];
      for (const m of marks.slice(0, 2)) {
        const line = element("div", "sv-mark");
        line.append(element("span", `sv-role sv-${m.role}`, `${MARKS[m.role]} ${m.number} `), quote(m.label, m.cut));
        cell.append(line);
      }
      if (marks.length > 2) cell.append(element("div", "sv-more", `+ ${marks.length - 2} nhiệm vụ khác`));
      if (!marks.length) cell.append(element("span", "sv-empty", "—"));
      tr.append(cell);
    }
    table.tBodies[0].append(tr);
  }
  section.append(table);
  view.append(section);
  return view;
}

export function renderCalendar(data, quote) {
  const view = element("article", "sv-deadlines");
  view.append(element("h2", "", "Lịch thời hạn, báo cáo, sơ kết, tổng kết"));
  const names = new Map(data.provinces.map((p) => [p.slug, p.name]));
  for (const [category, title, note] of CALENDAR) {
    const section = part(title);
    section.append(element("p", "sv-note", note));
    const found = data.deadlines.filter((d) => d.category === category);
    const list = element("ul", "sv-facts");
    for (const d of found) {
      const day = d.due ? `${String(d.due.day).padStart(2, "0")}/${String(d.due.month).padStart(2, "0")}` : "";
      list.append(item(`${day ? `${day} · ` : ""}${names.get(d.province)} · ${KINDS[d.kind]} · mục ${d.section}:`,
        [element("span", "sv-when", `${d.when.quote} — `), quote(d.what)]));
    }
    section.append(found.length ? list : element("p", "sv-note", "Không có."));
    view.append(section);
  }
  return view;
}

export function renderDistinctive(data, quote) {
  const view = element("article", "sv-distinctive");
  view.append(element("h2", "", "Điểm riêng của từng tỉnh"));
  for (const [, label, items] of data.plans) {
    const section = part(label);
    section.append(distinctList(items, quote));
    view.append(section);
  }
  return view;
}
