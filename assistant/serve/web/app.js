// The chat page: a client of /api/ask and /api/documents, and the "Học tập" area beside it.
// Modules: api (requests, messages for officials), conversation (pending and queued
// questions), answer (one answer and its citations), viewer (the source pane), study
// (the trainers' views of /api/study/…, drawn by study-views and study-quiz).
"use strict";

import { MESSAGES, request } from "./api.js";
import { pageLabel, renderAnswer, rememberDocuments } from "./answer.js";
import { Conversation, MAX_WAITING } from "./conversation.js";
import { $, button, element, errorContent } from "./dom.js";
import { isStudying, showStudy } from "./study.js";
import { closeViewer, isOpen, showDocument } from "./viewer.js";

let conversation = null;
let unseen = null;  // a turn answered while the study area was showing: shown on coming back

// --- the turns of the conversation on the page -----------------------------------------

const WAITING_TEXT = "Đang chờ câu hỏi trước trả lời xong…";
const PENDING_TEXT = "Đang tìm trong các văn bản…";

function progressReply(job, text) {
  const reply = element("div", "reply pending");
  reply.append(element("span", "pending-text", text), " ",
    button("cancel", "Hủy", () => job.conversation.cancel(job)));
  return reply;
}

function errorReply(job, error) {
  const reply = element("div", `reply ${error.kind === "cancelled" ? "cancelled" : "error"}`);
  reply.append(...errorContent(error));
  if (error.kind !== "cancelled" && error.kind !== "request") {
    reply.append(button("retry", "Hỏi lại", () => ask(job.question, job.province)));
  }
  return reply;
}

function setReply(job, reply) {
  job.turn.querySelector(".reply").replaceWith(reply);
}

// Scroll the chat (only the chat) so the turn starts at its top: the answer in view,
// its citations below it.
function showTurn(turn) {
  const messages = $("messages");
  messages.scrollTop += turn.getBoundingClientRect().top - messages.getBoundingClientRect().top - 8;
}

const view = {
  waiting: (job) => setReply(job, progressReply(job, WAITING_TEXT)),
  pending: (job) => setReply(job, progressReply(job, PENDING_TEXT)),
  answered(job, answer) {
    setReply(job, renderAnswer(answer, openCitation));
    if (isStudying()) unseen = job.turn; else showTurn(job.turn);
  },
  failed(job, error) {
    setReply(job, errorReply(job, error));
    // never lose what was typed: a failed or cancelled question goes back to an empty box
    if (!$("question").value) $("question").value = job.question;
  },
  changed: () => showStatus(),
};

function showStatus(message) {
  if (message) {
    $("status").textContent = message;
    return;
  }
  const pending = conversation.pending;
  const waiting = pending - 1;
  $("status").textContent = !pending ? "" :
    waiting > 0 ? `Đang trả lời… (${waiting} câu đang chờ)` : "Đang trả lời…";
}

// --- asking -------------------------------------------------------------------------------

// Returns false, and leaves the typed text alone, when the question cannot be taken.
function ask(question, province = $("province").value || null) {
  question = question.trim();
  if (!question) return false;
  if (!conversation.canTakeMore()) {
    showStatus(`Đã có ${MAX_WAITING} câu hỏi đang chờ. Câu của bạn vẫn ở ô nhập; hãy gửi lại khi bớt câu chờ.`);
    return false;
  }
  $("intro").hidden = true;
  const turn = element("li", "turn");
  turn.append(element("p", "question", question), element("div", "reply"));
  $("messages").append(turn);
  conversation.submit({ question, province, turn });
  showTurn(turn);
  return true;
}

function openCitation(citation, number) {
  showDocument(citation, `Trích dẫn [${number}] · mục ${citation.section}${pageLabel(citation)}`,
    (error) => showStatus(error.message));
}

function newConversation() {
  if (isStudying()) showArea(false);
  conversation.close();  // its pending and queued questions are cancelled; late answers are dropped
  conversation = new Conversation(view);
  unseen = null;
  $("messages").replaceChildren();
  $("intro").hidden = false;
  showStatus();
  closeViewer();
  $("question").focus();
}

// --- the chat or the study area ----------------------------------------------------------

// Pending questions go on while the study area shows; an answer that came meanwhile is
// put in view on coming back. The source pane belongs to what opened it, so it closes.
function showArea(studying) {
  closeViewer(false);
  $("chat").hidden = studying;
  showStudy(studying);
  if (studying) return;
  if (unseen) showTurn(unseen);
  unseen = null;
  $("question").focus();
}

// --- "Chữ lớn": every text read grows, and what was being read stays where it was -----------

const SCROLLED = ["messages", "study", "study-content", "viewer-text"];

// The innermost element at the top line of a scrolled pane (in the source pane, the
// highlighted passage), and its distance to the pane's top.
function readingPlace(pane) {
  if (pane.scrollHeight <= pane.clientHeight) return null;
  const top = pane.getBoundingClientRect().top;
  let node = pane;
  for (;;) {
    const next = [...node.children].find((child) => child.getBoundingClientRect().bottom > top);
    if (!next) break;
    node = next;
  }
  return node === pane ? null : { pane, node, offset: node.getBoundingClientRect().top - top };
}

function toggleLargeText() {
  const places = SCROLLED.map((id) => readingPlace($(id))).filter(Boolean);
  const large = document.documentElement.classList.toggle("large");
  $("large-text").setAttribute("aria-pressed", String(large));
  for (const { pane, node, offset } of places) {
    pane.scrollTop += node.getBoundingClientRect().top - pane.getBoundingClientRect().top - offset;
  }
}

// --- examples: questions of the evaluation set (see examples.json and its test) -------------

async function loadExamples() {
  const examples = await request("/static/examples.json");
  for (const example of examples) {
    const chip = button(`example${example.expect === "refusal" ? " refusal" : ""}`, example.question,
      () => ask(example.question));
    if (example.expect === "refusal") {
      chip.append(element("span", "example-note", " · ví dụ câu các kế hoạch không nêu"));
      chip.title = "Trợ lý sẽ nói rõ là không tìm thấy, thay vì đoán.";
    }
    const item = element("li");
    item.append(chip);
    $("examples").append(item);
  }
}

async function loadProvinces() {
  const documents = await request("/api/documents");
  rememberDocuments(documents);
  const seen = new Set();
  for (const doc of documents) {
    if (doc.province && !seen.has(doc.province)) {
      seen.add(doc.province);
      const option = element("option", "", doc.province_name || doc.province);
      option.value = doc.province;
      $("province").append(option);
    }
  }
}

// --- wiring ----------------------------------------------------------------------------------

function start() {
  conversation = new Conversation(view);
  $("ask-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (ask($("question").value)) $("question").value = "";
  });
  $("question").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("ask-form").requestSubmit();
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && isOpen()) closeViewer();
  });
  $("viewer-close").addEventListener("click", () => closeViewer());
  $("new-chat").addEventListener("click", newConversation);
  $("study-toggle").addEventListener("click", () => showArea(!isStudying()));
  $("large-text").addEventListener("click", toggleLargeText);
  const unavailable = () => showStatus(MESSAGES.paused);
  loadProvinces().catch(unavailable);
  loadExamples().catch(unavailable);
  $("question").focus();
}

document.addEventListener("DOMContentLoaded", start);
