// Drawing the study views from their JSON (see /api/study/…). Every quote is shown with
// its place in the plan; clicking it opens the plan beside the view, the quote marked.
"use strict";

import { button, element } from "./dom.js";
import { renderQuiz } from "./study-quiz.js";
import { renderCalendar, renderDistinctive, renderKeyMatrix, renderSummary } from "./study-session.js";

const ROLES = { lead: "Chủ trì, thực hiện", advising: "Tham mưu, thực hiện", coordinating: "Phối hợp",
                directing: "Chỉ đạo" };
const KINDS = { report: "Báo cáo", review: "Sơ kết, tổng kết", budget: "Dự toán kinh phí",
                timeline: "Thời gian thực hiện nhiệm vụ" };
const EMPTY = "— (không nêu)";
// set by renderView for the view being drawn
let labels = new Map();  // doc_id → "Kế hoạch 157/KH-UBND (Gia Lai)"
let openQuote = () => {};  // (quote, the button clicked) → opens the plan at the quote
// a quote's place leaves the plan's name out where the view says it already: a summary is of
// one plan, and a matrix's column is one province's plan (when no province has two)
let onePlan = false;

function where(q) {
  const section = q.section ? `mục ${q.section} · ` : "";
  return `${onePlan ? "" : `${labels.get(q.doc_id) || q.doc_id} · `}${section}ký tự ${q.start}–${q.end}`;
}

// one quote: its words (opening the plan when clicked) and, under them, where they stand;
// `asSource`: a value shown in its own words (a date written out) links to its quote as "nguồn"
function quote(q, cut, asSource) {
  if (asSource) {
    const source = button("sv-source", "nguồn", () => openQuote(q, source));
    source.title = `«${q.quote}» · ${where(q)}`;
    return source;
  }
  const box = element("span", "sv-quote");
  const words = button("sv-words", `«${q.quote}${cut ? " …" : ""}»`, () => openQuote(q, words));
  words.title = "Mở văn bản tại đoạn trích";
  box.append(words, element("span", "sv-cite", where(q)));
  return box;
}

function line(label, quotes) {
  const row = element("div", "sv-line");
  row.append(element("span", "sv-label", `${label}: `));
  const list = (Array.isArray(quotes) ? quotes : [quotes]).filter(Boolean);
  if (!list.length) row.append(element("span", "sv-empty", EMPTY));
  for (const q of list) row.append(quote(q));
  return row;
}

function task(t) {
  const item = element("li", "sv-task");
  item.append(element("span", "sv-place", `Mục ${t.section}${t.item ? `, ý ${t.item}` : ""}`), quote(t.title));
  for (const role of ["lead", "advising", "coordinating", "directing"]) {
    if (t[role].length || role === "lead" && !t.advising.length) item.append(line(ROLES[role], t[role]));
  }
  item.append(line("Thời gian", t.timeline));
  return item;
}

function list(items, draw, className) {
  const made = element("ol", className || "sv-list");
  for (const item of items) made.append(draw(item));
  return made;
}

function deadline(d) {
  const item = element("li", "sv-task");
  item.append(element("span", "sv-place", `${KINDS[d.kind]} · mục ${d.section}`), quote(d.what),
    line("Thời hạn", d.when), line("Đơn vị thực hiện", d.who));
  if (d.to.length) item.append(line("Báo cáo, gửi tới", d.to));
  return item;
}

function overview(data) {
  const view = element("article", "sv-overview");
  view.append(element("h2", "", `Tổng quan: ${data.label}`));
  if (data.title) view.append(line("Trích yếu", data.title));
  for (const field of data.metadata) view.append(line(field.label, field.quote));
  for (const q of data.implements) view.append(line("Thực hiện", q));
  for (const q of data.replaces) view.append(line("Thay thế", q));
  view.append(element("h3", "", "Mục đích, yêu cầu"));
  view.append(data.purpose.length ? list(data.purpose, (q) => { const li = element("li"); li.append(quote(q)); return li; }, "sv-plain")
    : element("p", "sv-note", "Văn bản không có mục «Mục đích, yêu cầu»."));
  view.append(element("h3", "", "Nhiệm vụ, giải pháp"));
  for (const group of data.groups) {
    const heading = element("h4", "sv-group");
    heading.append(`${group.number}. `, quote(group.title));
    view.append(heading, list(group.tasks, task));
  }
  if (data.ungrouped.length) {
    view.append(element("p", "sv-note", "Văn bản không chia nhóm nhiệm vụ; các nhiệm vụ được giao theo từng mục."),
      list(data.ungrouped, task));
  }
  view.append(element("h3", "", "Tổ chức thực hiện"));
  view.append(data.implementation.length ? list(data.implementation, task)
    : element("p", "sv-note", "Văn bản không có mục «Tổ chức thực hiện» riêng."));
  const reporting = data.deadlines.filter((d) => d.kind !== "timeline");
  view.append(element("h4", "", "Báo cáo, sơ kết, tổng kết"));
  view.append(reporting.length ? list(reporting, deadline)
    : element("p", "sv-note", "Văn bản không nêu thời hạn báo cáo, sơ kết, tổng kết."));
  return view;
}

function entry(e, by) {
  const box = element("div", "sv-entry");
  box.append(element("span", "sv-place", by === "unit" ? `${ROLES[e.role]} · mục ${e.section}` : `Mục ${e.section}`),
    quote(e.title, e.cut));
  if (e.timeline) box.append(line("Thời gian", e.timeline));
  return box;
}

function matrix(data) {
  const view = element("article", `sv-matrix sv-by-${data.by}`);
  view.append(element("h2", "", data.by === "unit" ? "Ma trận phân công nhiệm vụ theo đơn vị"
    : "Nhiệm vụ theo chủ đề của Kết luận 57, từng tỉnh"));
  if (data.ungrouped.length) {
    const names = data.provinces.filter((p) => data.ungrouped.includes(p.slug)).map((p) => p.name);
    view.append(element("p", "sv-note", `${names.join(", ")}: văn bản không chia nhóm nhiệm vụ nên các ô để trống.`));
  }
  const table = element("table", "sv-table");
  const head = element("tr");
  head.append(element("th", "", data.by === "unit" ? "Đơn vị" : "Chủ đề"));
  for (const p of data.provinces) head.append(element("th", "", p.name));
  table.append(element("thead"), element("tbody"));
  table.tHead.append(head);
  for (const row of data.rows) {
    const tr = element("tr");
    tr.append(element("th", "sv-row", row.label));
    for (const p of data.provinces) {
      const cell = element("td");
      const group = row.groups[p.slug];
      if (group) cell.append(line("Nhóm nhiệm vụ", group));
      for (const e of row.cells[p.slug]) cell.append(entry(e, data.by));
      if (!row.cells[p.slug].length) cell.append(element("span", "sv-empty", EMPTY));
      tr.append(cell);
    }
    table.tBodies[0].append(tr);
  }
  view.append(table);
  return view;
}

// `documents` are those of /api/study/options; `open(quote, button)` shows a quote in its plan.
export function renderView(name, data, { documents, open }) {
  labels = new Map(documents.map((d) => [d.doc_id, d.label]));
  openQuote = open;
  const oneEach = new Set(documents.map((d) => d.province)).size === documents.length;
  onePlan = name === "summary" || (oneEach && ["matrix", "topic"].includes(name));
  if (name === "overview") return overview(data);
  if (name === "summary") return renderSummary(data, quote);
  if (name === "key") return renderKeyMatrix(data, quote);
  if (name === "distinctive") return renderDistinctive(data, quote);
  if (name === "deadlines") return renderCalendar(data, quote);
  if (name === "quiz") return renderQuiz(data, quote);
  return matrix(data);
}
