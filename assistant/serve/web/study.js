// The "Học tập" area: overview, matrices, deadlines and quiz, read from /api/study/…
// It takes the chat's place on the page (app.js switches between them); the views are
// drawn by study-views.js. Like the chat, everything from the server is inserted as
// text, never as HTML.
"use strict";

import { request } from "./api.js";
import { $, button, element, errorContent } from "./dom.js";
import { renderView } from "./study-views.js";
import { showDocument } from "./viewer.js";

const VIEWS = [
  { key: "overview", label: "Tổng quan kế hoạch", topics: true },
  { key: "matrix", label: "Ma trận theo đơn vị", topics: true },
  { key: "topic", label: "Theo chủ đề Kết luận 57", topics: true },
  { key: "deadlines", label: "Thời hạn, báo cáo", topics: false },
  { key: "quiz", label: "Câu hỏi ôn tập", topics: false },
];
const study = { view: "overview", doc: "", provinces: new Set(), topics: new Set(), count: 10, seed: 1,
                options: null, request: 0 };
let ready = null;  // reading the options and building the controls, once

// --- the address of a view, for the page and for downloads ---------------------------

function address(format) {
  const params = new URLSearchParams();
  const view = study.view === "topic" ? "matrix" : study.view;
  if (study.view === "topic") params.set("by", "topic");
  for (const slug of study.provinces) params.append("province", slug);
  const withTopics = VIEWS.find((v) => v.key === study.view).topics;
  if (withTopics) for (const key of study.topics) params.append("topic", key);
  if (study.view === "quiz") {
    params.set("count", String(study.count));
    params.set("seed", String(study.seed));
  }
  if (format) params.set("format", format);
  const path = view === "overview" ? `overview/${encodeURIComponent(study.doc)}` : view;
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
}

function syncControls() {
  const view = VIEWS.find((v) => v.key === study.view);
  for (const tab of $("study-tabs").children) {
    tab.setAttribute("aria-selected", String(tab.dataset.view === study.view));
  }
  $("study-doc-field").hidden = study.view !== "overview";
  $("study-provinces-field").hidden = study.view === "overview";
  $("study-topics-field").hidden = !view.topics;
  $("study-quiz-field").hidden = study.view !== "quiz";
  for (const link of $("study-downloads").querySelectorAll("a")) {
    link.href = address(link.dataset.format);
  }
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
