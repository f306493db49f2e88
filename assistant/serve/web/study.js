// The "Học tập" area: overview, matrices, deadlines and quiz, read from /api/study/…
// It takes the chat's place on the page (app.js switches between them); the views are
// drawn by study-views.js. Like the chat, everything from the server is inserted as
// text, never as HTML.
"use strict";

import { request } from "./api.js";
import { $, button, element, errorContent } from "./dom.js";
import { isPresenting, refreshPresentation, startPresenting } from "./study-present.js";
import { renderView } from "./study-views.js";
import { showDocument } from "./viewer.js";

// `path`: the view's address under /api/study/; `doc`: it is about one plan (chosen by
// "Kế hoạch"), else about the provinces chosen; `formats`: the files it downloads as
const VIEWS = [
  { key: "summary", label: "Tóm tắt một trang", path: "summary", doc: true, formats: ["docx", "md"] },
  { key: "key", label: "Ma trận chính", path: "key-matrix", formats: ["docx", "xlsx", "md"] },
  { key: "deadlines", label: "Lịch thời hạn", path: "deadlines", formats: ["docx", "ics", "xlsx", "md"] },
  { key: "distinctive", label: "Điểm riêng", path: "distinctive", formats: ["docx", "xlsx", "md"] },
  { key: "quiz", label: "Câu hỏi ôn tập", path: "quiz", formats: ["docx", "xlsx", "md"] },
  { key: "overview", label: "Tổng quan kế hoạch", path: "overview", doc: true, topics: true,
    formats: ["docx", "xlsx", "md"] },
  { key: "matrix", label: "Ma trận theo đơn vị", path: "matrix", topics: true, formats: ["docx", "xlsx", "md"] },
  { key: "topic", label: "Theo chủ đề Kết luận 57", path: "matrix", topics: true, formats: ["docx", "xlsx", "md"] },
];
const study = { view: "summary", doc: "", provinces: new Set(), topics: new Set(), count: 10, seed: 1,
                options: null, request: 0, drawn: "" };
let ready = null;  // reading the options and building the controls, once

// --- the address of a view, for the page and for downloads ---------------------------

function current() {
  return VIEWS.find((v) => v.key === study.view);
}

function provinceParams() {
  const params = new URLSearchParams();
  for (const slug of study.provinces) params.append("province", slug);
  return params;
}

function address(format) {
  const view = current();
  const params = view.doc ? new URLSearchParams() : provinceParams();
  if (study.view === "topic") params.set("by", "topic");
  if (view.topics) for (const key of study.topics) params.append("topic", key);
  if (study.view === "quiz") {
    params.set("count", String(study.count));
    params.set("seed", String(study.seed));
  }
  if (format) params.set("format", format);
  const path = view.doc ? `${view.path}/${encodeURIComponent(study.doc)}` : view.path;
  const query = params.toString();
  return `/api/study/${path}${query ? `?${query}` : ""}`;
}

// --- controls --------------------------------------------------------------------------

function checkboxes(container, items, chosen, name) {
  container.replaceChildren();
  for (const item of items) {
    const label = element("label", "study-check");
    const box = element("input");
    box.type = "checkbox";
    box.name = name;
    box.value = item.value;
    box.checked = chosen.has(item.value);
    box.addEventListener("change", () => {
      if (box.checked) chosen.add(item.value); else chosen.delete(item.value);
      refresh();
    });
    label.append(box, " ", item.label);
    container.append(label);
  }
}

function numberInput(id, key, fallback) {
  $(id).addEventListener("change", (event) => {
    study[key] = Number(event.target.value) || fallback;
    refresh();
  });
}

function buildControls() {
  for (const view of VIEWS) {
    const tab = button("study-tab", view.label, () => { study.view = view.key; refresh(); });
    tab.dataset.view = view.key;
    tab.setAttribute("role", "tab");
    $("study-tabs").append(tab);
  }
  const { provinces, topics, documents } = study.options;
  checkboxes($("study-provinces"), provinces.map((p) => ({ value: p.slug, label: p.name })),
    study.provinces, "province");
  checkboxes($("study-topics"), topics.map((t) => ({ value: t.key, label: t.label })), study.topics, "topic");
  const select = $("study-doc");
  for (const doc of documents) {
    const option = element("option", "", doc.label);
    option.value = doc.doc_id;
    select.append(option);
  }
  study.doc = documents.length ? documents[0].doc_id : "";
  select.addEventListener("change", () => { study.doc = select.value; refresh(); });
  numberInput("study-count", "count", 10);
  numberInput("study-seed", "seed", 1);
  $("study-print").addEventListener("click", () => window.print());
  $("study-present").addEventListener("click", startPresenting);
}

function syncControls() {
  const view = current();
  for (const tab of $("study-tabs").children) {
    tab.setAttribute("aria-selected", String(tab.dataset.view === study.view));
  }
  $("study-doc-field").hidden = !view.doc;
  $("study-provinces-field").hidden = Boolean(view.doc);
  $("study-topics-field").hidden = !view.topics;
  $("study-quiz-field").hidden = study.view !== "quiz";
  for (const link of $("study-downloads").querySelectorAll("a[data-format]")) {
    link.hidden = !view.formats.includes(link.dataset.format);
    link.href = address(link.dataset.format);
  }
  const session = provinceParams().toString();
  $("study-pack").href = `/api/study/pack${session ? `?${session}` : ""}`;
  $("study-slides").href = `/api/study/slides${session ? `?${session}` : ""}`;
}

// A new plan or a new tab opens at its top, however far down the last one was read.
function toTopIfNew(content) {
  const drawn = `${study.view} ${current().doc ? study.doc : ""}`;
  if (drawn === study.drawn) return;
  study.drawn = drawn;
  content.scrollTop = 0;
  $("study").scrollTop = 0;  // a phone scrolls the whole area
  window.scrollTo(0, 0);
}

// --- drawing -----------------------------------------------------------------------------

function showError(error) {
  const box = element("div", "study-error");
  box.append(...errorContent(error));
  $("study-content").replaceChildren(box);
}

// A quote of a view opens its plan beside the view; closing the plan comes back to the quote.
function openQuote(quote, opener) {
  $("study-status").textContent = "";
  const where = `Trích dẫn trong trang học tập${quote.section ? ` · mục ${quote.section}` : ""}`;
  showDocument(quote, where, (error) => { $("study-status").textContent = error.message; }, opener);
}

async function refresh() {
  syncControls();
  const content = $("study-content");
  const asked = ++study.request;  // a slower earlier answer never replaces a later one
  content.setAttribute("aria-busy", "true");
  try {
    const data = await request(address());
    if (asked !== study.request) return;
    content.replaceChildren(renderView(study.view, data, { documents: study.options.documents, open: openQuote }));
    content.dataset.view = study.view;
    toTopIfNew(content);
    if (isPresenting()) refreshPresentation();
  } catch (err) {
    if (asked === study.request) showError(err);
  } finally {
    if (asked === study.request) content.removeAttribute("aria-busy");
  }
}

// --- showing the area --------------------------------------------------------------------

export function isStudying() {
  return !$("study").hidden;
}

// Shows the study area in the chat's place (or hides it); the first time, reads the options.
export async function showStudy(shown) {
  $("study").hidden = !shown;
  document.body.classList.toggle("studying", shown);
  $("study-toggle").setAttribute("aria-pressed", String(shown));
  $("study-toggle").textContent = shown ? "Hỏi đáp" : "Học tập";
  if (!shown) return;
  ready = ready || request("/api/study/options").then((options) => {
    study.options = options;
    buildControls();
  });
  try {
    await ready;
  } catch (err) {
    ready = null;  // the next visit tries again
    showError(err);
    return;
  }
  if (isStudying()) refresh();
}
