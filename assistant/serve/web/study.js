// The "Học tập" area: overview, matrices, deadlines and quiz, read from /api/study/…
// Like the chat, everything from the server is inserted as text, never as HTML.
// The views themselves are drawn by study-views.js (window.StudyViews); `api`,
// `element` and `$` are the chat page's own helpers (app.js).
"use strict";

(() => {
  const VIEWS = [
    { key: "overview", label: "Tổng quan kế hoạch", topics: true },
    { key: "matrix", label: "Ma trận theo đơn vị", topics: true },
    { key: "topic", label: "Theo chủ đề Kết luận 57", topics: true },
    { key: "deadlines", label: "Thời hạn, báo cáo", topics: false },
    { key: "quiz", label: "Câu hỏi ôn tập", topics: false },
  ];
  const study = { view: "overview", doc: "", provinces: new Set(), topics: new Set(), count: 10, seed: 1,
                  options: null, loaded: false, request: 0 };

  // --- the address of a view, for the page and for downloads ---------------------

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

  // --- controls ------------------------------------------------------------------------

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

  function buildControls() {
    const tabs = $("study-tabs");
    for (const view of VIEWS) {
      const tab = element("button", "study-tab", view.label);
      tab.type = "button";
      tab.dataset.view = view.key;
      tab.setAttribute("role", "tab");
      tab.addEventListener("click", () => { study.view = view.key; refresh(); });
      tabs.append(tab);
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
    $("study-count").addEventListener("change", (event) => {
      study.count = Number(event.target.value) || 10;
      refresh();
    });
    $("study-seed").addEventListener("change", (event) => {
      study.seed = Number(event.target.value) || 1;
      refresh();
    });
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

  // --- drawing ---------------------------------------------------------------------------

  async function refresh() {
    syncControls();
    const content = $("study-content");
    const request = ++study.request;  // a slower earlier answer never replaces a later one
    content.setAttribute("aria-busy", "true");
    try {
      const data = await api(address());
      if (request !== study.request) return;
      content.replaceChildren(window.StudyViews.render(study.view, data, study.options));
      content.dataset.view = study.view;
    } catch (err) {
      if (request !== study.request) return;
      content.replaceChildren(element("p", "study-error", err.message));
    } finally {
      if (request === study.request) content.removeAttribute("aria-busy");
    }
  }

  async function open() {
    const showing = $("study").hidden;
    $("study").hidden = !showing;
    document.querySelector(".chat").hidden = showing;
    document.body.classList.toggle("studying", showing);
    $("study-toggle").setAttribute("aria-pressed", String(showing));
    $("study-toggle").textContent = showing ? "Hỏi đáp" : "Học tập";
    if (!showing) return;
    if (!study.loaded) {
      try {
        study.options = await api("/api/study/options");
      } catch (err) {
        $("study-content").replaceChildren(element("p", "study-error", err.message));
        return;
      }
      buildControls();
      study.loaded = true;
    }
    refresh();
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("study-toggle").addEventListener("click", open);
  });
})();
