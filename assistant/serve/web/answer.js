// One answer: the text, a plain warning when the assistant is not sure, the
// numbered citations below it, and a button that copies it all as plain text.
"use strict";

import { button, element } from "./dom.js";

const documents = new Map();  // doc_id → summary, for province names

export function rememberDocuments(list) {
  for (const doc of list) documents.set(doc.doc_id, doc);
}

function provinceName(citation) {
  const doc = documents.get(citation.doc_id);
  return doc && doc.province_name ? doc.province_name : citation.province;
}

function shorten(text, limit) {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  return `${cut.slice(0, cut.lastIndexOf(" ") > 0 ? cut.lastIndexOf(" ") : limit)} …`;
}

// "Kế hoạch 157/KH-UBND": the plan's short name, not its 110-character title
function shortName(citation) {
  const doc = documents.get(citation.doc_id);
  const label = doc && doc.label ? doc.label.replace(/\s*\([^()]*\)$/, "") : "";
  return label || shorten(citation.title, 40);
}

function citationLabel(citation, number) {
  return `[${number}] ${provinceName(citation)} · ${shortName(citation)} · mục ${citation.section}${pageLabel(citation)}`;
}

export function pageLabel(citation) {  // PDFs only: the page the quote starts on
  return citation.page ? ` · trang ${citation.page}` : "";
}

// `onCite(citation, number)` opens the cited document.
export function renderAnswer(answer, onCite) {
  // `confidence` is optional: older servers do not send it, and only "low" changes the page
  const unsure = answer.found && answer.confidence === "low";
  const reply = element("div", `reply ${answer.found ? "found" : "not-found"}${unsure ? " low-confidence" : ""}`);
  if (answer.interpreted_as && answer.interpreted_as !== answer.question) {
    reply.append(element("p", "interpreted", `Hiểu là: ${answer.interpreted_as}`));
  }
  if (unsure) {
    reply.append(element("p", "confidence-low", "Chưa chắc chắn"),
      element("p", "confidence-hint", "Trợ lý không chắc câu trả lời này đúng ý câu hỏi. Hãy đọc kỹ các trích dẫn trước khi dùng."));
  }
  if (!answer.found) reply.append(element("p", "not-found-title", "Không tìm thấy trong văn bản"));
  reply.append(renderText(answer, unsure));
  if (!answer.found) {
    reply.append(element("p", "not-found-hint",
      "Các kế hoạch hiện có không nêu nội dung này. Hãy thử diễn đạt khác, nêu rõ tỉnh hoặc chọn tỉnh khác."));
  }
  if (answer.citations.length) {
    const list = element("ol", "citations");
    answer.citations.forEach((citation, i) => list.append(renderCitation(citation, i + 1, onCite)));
    reply.append(list);
  }
  const actions = element("div", "reply-actions");
  const copy = button("copy", "Sao chép câu trả lời", () => copyAnswer(answer, copy));
  actions.append(copy);
  reply.append(actions);
  return reply;
}

// The answer's text, its lead (what the assistant stands behind) first; when unsure,
// the other passages it lists after "Có thể là: …" are set apart, in smaller type.
function renderText(answer, unsure) {
  const text = element("p", "answer");
  const lead = answer.lead || "";
  if (!unsure || !lead || !answer.answer.startsWith(lead) || lead === answer.answer) {
    text.textContent = answer.answer;
    return text;
  }
  // a block of its own: the line break between them is the block's, as innerText reads it
  text.append(element("span", "answer-lead", lead),
    element("span", "answer-others", answer.answer.slice(lead.length).replace(/^\n/, "")));
  return text;
}

function renderCitation(citation, number, onCite) {
  const item = element("li", "citation");
  const open = button("citation-open", "", () => onCite(citation, number));
  open.title = `Mở văn bản tại đoạn trích: ${citation.title}`;
  open.append(element("span", "citation-number", `[${number}]`), " ",
    element("span", "citation-province", provinceName(citation)), " · ",
    element("span", "citation-title", shortName(citation)), " · ",
    element("span", "citation-section", `mục ${citation.section}${pageLabel(citation)}`));
  item.append(open, element("blockquote", "quote", citation.quote));
  return item;
}

function answerAsText(answer) {
  const lines = [`Hỏi: ${answer.question}`, `Trả lời: ${answer.answer}`];
  if (answer.found && answer.confidence === "low") lines.push("(Chưa chắc chắn)");
  if (answer.citations.length) {
    lines.push("", "Nguồn:");
    answer.citations.forEach((c, i) => {
      lines.push(citationLabel(c, i + 1));
      lines.push(`«${c.quote}»`);
    });
  }
  return lines.join("\n");
}

async function copyAnswer(answer, copy) {
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
  copy.textContent = "Đã sao chép";
  setTimeout(() => { copy.textContent = "Sao chép câu trả lời"; }, 2000);
}
