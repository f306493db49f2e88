// The chat page: a client of /api/ask and /api/documents, nothing more.
// Everything shown from questions, answers or documents is inserted as text
// (textContent, text nodes), never as HTML.
"use strict";

const EXAMPLES = [
  "Ai chịu trách nhiệm khen thưởng?",
  "Kế hoạch của Gia Lai do ai ký?",
  "Thời gian thực hiện hội nghị quán triệt ở Tuyên Quang là khi nào?",
  "So sánh đơn vị chủ trì tuyên truyền về biển đảo của các tỉnh",
];
const HISTORY_TURNS = 10;  // the server reads the last few questions of a conversation

const state = { history: [], documents: new Map(), documentTexts: new Map(), busy: false };
const $ = (id) => document.getElementById(id);

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// --- talking to the server ----------------------------------------------------

async function api(path, options) {
  let response;
  try {
    response = await fetch(path, options);
  } catch (err) {
    throw new Error("Không kết nối được máy chủ. Hãy kiểm tra `assistant serve` còn chạy rồi thử lại.");
  }
  let body = null;
  try {
    body = await response.json();
  } catch (err) {
    body = null;
  }
  if (!response.ok) {
    const message = body && body.error ? body.error.message : `Máy chủ trả lỗi ${response.status}.`;
    throw new Error(message.charAt(0).toUpperCase() + message.slice(1));
  }
  return body;
}

async function loadDocuments() {
  const documents = await api("/api/documents");
  const select = $("province");
  const seen = new Set();
  for (const doc of documents) {
    state.documents.set(doc.doc_id, doc);
    if (doc.province && !seen.has(doc.province)) {
      seen.add(doc.province);
      const option = element("option", "", doc.province_name || doc.province);
      option.value = doc.province;
      select.append(option);
    }
  }
}

// --- the conversation ------------------------------------------------------------

async function ask(question) {
  question = question.trim();
  if (!question || state.busy) return;
  setBusy(true);
  $("intro").hidden = true;
  const turn = element("li", "turn");
  turn.append(element("p", "question", question));
  const reply = element("div", "reply pending", "Đang tìm trong các văn bản…");
  turn.append(reply);
  $("messages").append(turn);
  turn.scrollIntoView({ block: "end" });
  const province = $("province").value || null;
  try {
    const answer = await api("/api/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question, province, history: state.history.slice(-HISTORY_TURNS) }),
    });
    reply.replaceWith(renderAnswer(answer));
    state.history.push({ question, answer: answer.answer });
  } catch (err) {
    reply.replaceWith(element("div", "reply error", err.message));
    if (!$("question").value) $("question").value = question;  // let the asker fix it, not retype it
  } finally {
    setBusy(false);
    turn.scrollIntoView({ block: "end" });
  }
}

function renderAnswer(answer) {
  const reply = element("div", answer.found ? "reply found" : "reply not-found");
  if (answer.interpreted_as && answer.interpreted_as !== answer.question) {
    reply.append(element("p", "interpreted", `Hiểu là: ${answer.interpreted_as}`));
  }
  if (!answer.found) {
    reply.append(element("p", "not-found-title", "Không tìm thấy trong văn bản"));
  }
  reply.append(element("p", "answer", answer.answer));
  if (!answer.found) {
    reply.append(element("p", "not-found-hint",
      "Các kế hoạch hiện có không nêu nội dung này. Hãy thử diễn đạt khác, nêu rõ tỉnh hoặc chọn tỉnh khác."));
  }
  if (answer.citations.length) {
    const list = element("ol", "citations");
    answer.citations.forEach((citation, i) => list.append(renderCitation(citation, i + 1)));
    reply.append(list);
  }
  const actions = element("div", "reply-actions");
  const copy = element("button", "copy", "Sao chép câu trả lời");
  copy.type = "button";
  copy.addEventListener("click", () => copyAnswer(answer, copy));
  actions.append(copy);
  reply.append(actions);
  return reply;
}

function provinceName(citation) {
  const doc = state.documents.get(citation.doc_id);
  return doc && doc.province_name ? doc.province_name : citation.province;
}

function shorten(text, limit) {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  return `${cut.slice(0, cut.lastIndexOf(" ") > 0 ? cut.lastIndexOf(" ") : limit)} …`;
}

function citationLabel(citation, number) {
  return `[${number}] ${provinceName(citation)} · ${citation.title} · mục ${citation.section}`;
}

function renderCitation(citation, number) {
  const item = element("li", "citation");
  const open = element("button", "citation-open");
  open.type = "button";
  open.title = `Mở văn bản tại đoạn trích: ${citation.title}`;
  open.append(element("span", "citation-number", `[${number}]`), " ",
    element("span", "citation-province", provinceName(citation)), " · ",
    element("span", "citation-title", shorten(citation.title, 110)), " · ",
    element("span", "citation-section", `mục ${citation.section}`));
  open.addEventListener("click", () => showDocument(citation, number));
  item.append(open, element("blockquote", "quote", citation.quote));
  return item;
}

function answerAsText(answer) {
  const lines = [`Hỏi: ${answer.question}`, `Trả lời: ${answer.answer}`];
  if (answer.citations.length) {
    lines.push("", "Nguồn:");
    answer.citations.forEach((c, i) => {
      lines.push(citationLabel(c, i + 1));
      lines.push(`«${c.quote}»`);
    });
  }
  return lines.join("\n");
}

async function copyAnswer(answer, button) {
  const text = answerAsText(answer);
  try {
    await navigator.clipboard.writeText(text);
  } catch (err) {  // no clipboard permission: copy through a selected, hidden text area
    const area = element("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "offscreen";
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  button.textContent = "Đã sao chép";
  setTimeout(() => { button.textContent = "Sao chép câu trả lời"; }, 2000);
}

function setBusy(busy) {
  state.busy = busy;
  $("send").disabled = busy;
  $("status").textContent = busy ? "Đang trả lời…" : "";
}

function newConversation() {
  state.history = [];
  $("messages").replaceChildren();
  $("intro").hidden = false;
  closeViewer();
  $("question").focus();
}

// --- the source document beside the chat --------------------------------------

async function fetchDocument(docId) {
  if (!state.documentTexts.has(docId)) {
    state.documentTexts.set(docId, await api(`/api/documents/${encodeURIComponent(docId)}`));
  }
  return state.documentTexts.get(docId);
}

async function showDocument(citation, number) {
  let doc;
  try {
    doc = await fetchDocument(citation.doc_id);
  } catch (err) {
    $("status").textContent = err.message;
    return;
  }
  $("viewer-province").textContent = doc.province_name || doc.province;
  $("viewer-title").textContent = doc.display_title || doc.title;
  $("viewer-meta").textContent = [doc.label, doc.date].filter(Boolean).join(" · ");
  $("viewer-location").textContent = `Trích dẫn [${number}] · mục ${citation.section}`;
  renderOutline(doc);
  const text = $("viewer-text");
  // the citation's offsets index the document text: three text nodes, the middle one marked
  const mark = element("mark", "highlight", doc.text.slice(citation.start, citation.end));
  mark.id = "highlight";
  text.replaceChildren(document.createTextNode(doc.text.slice(0, citation.start)), mark,
    document.createTextNode(doc.text.slice(citation.end)));
  $("viewer").hidden = false;
  document.body.classList.add("viewing");
  mark.scrollIntoView({ block: "center" });
}

function renderOutline(doc) {
  const outline = $("viewer-outline");
  outline.replaceChildren();
  for (const section of doc.sections) {
    if (!section.number) continue;
    const link = element("button", "outline-link", `${section.number}. ${section.title}`);
    link.type = "button";
    link.style.paddingLeft = `${(section.path.split("›").length - 1) * 0.8 + 0.4}em`;
    link.addEventListener("click", () => scrollToOffset(doc, section.start));
    const item = element("li");
    item.append(link);
    outline.append(item);
  }
}

function scrollToOffset(doc, offset) {
  // put a zero-width anchor at the offset, scroll to it, and take it out again
  const text = $("viewer-text");
  const range = document.createRange();
  let remaining = offset;
  for (const node of text.childNodes) {
    const length = node.textContent.length;
    if (remaining <= length) {
      const target = node.nodeType === Node.TEXT_NODE ? node : node.firstChild;
      range.setStart(target, Math.min(remaining, target.textContent.length));
      break;
    }
    remaining -= length;
  }
  const anchor = element("span");
  range.insertNode(anchor);
  anchor.scrollIntoView({ block: "start" });
  anchor.remove();
  text.normalize();
}

function closeViewer() {
  $("viewer").hidden = true;
  document.body.classList.remove("viewing");
}

// --- wiring ------------------------------------------------------------------------

function start() {
  for (const example of EXAMPLES) {
    const button = element("button", "example", example);
    button.type = "button";
    button.addEventListener("click", () => ask(example));
    const item = element("li");
    item.append(button);
    $("examples").append(item);
  }
  $("ask-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const question = $("question").value;
    $("question").value = "";
    ask(question);
  });
  $("question").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("ask-form").requestSubmit();
    }
  });
  $("viewer-close").addEventListener("click", closeViewer);
  $("new-chat").addEventListener("click", newConversation);
  $("large-text").addEventListener("click", () => {
    const large = document.body.classList.toggle("large");
    $("large-text").setAttribute("aria-pressed", String(large));
  });
  loadDocuments().catch((err) => { $("status").textContent = err.message; });
  $("question").focus();
}

document.addEventListener("DOMContentLoaded", start);
