// The source document beside the chat or the study view (over it, on a phone): the
// cited passage highlighted and scrolled to near the top, an outline, and focus handed
// to the pane when it opens and back to where the reader was when it closes.
"use strict";

import { request } from "./api.js";
import { $, button, element } from "./dom.js";

const texts = new Map();  // doc_id → the document, fetched once
let returnTo = null;  // where focus goes back to on closing; null: the question box

async function fetchDocument(docId) {
  if (!texts.has(docId)) texts.set(docId, await request(`/api/documents/${encodeURIComponent(docId)}`));
  return texts.get(docId);
}

export function isOpen() {
  return !$("viewer").hidden;
}

// Opens the document at the citation, `location` (which quote this is) under its title;
// a failure is passed to `onError(error)`. Closing gives focus back to `back`, if it is
// still on screen, else to the question box.
export async function showDocument(citation, location, onError, back = null) {
  let doc;
  try {
    doc = await fetchDocument(citation.doc_id);
  } catch (err) {
    onError(err);
    return;
  }
  $("viewer-province").textContent = doc.province_name || doc.province;
  $("viewer-title").textContent = doc.display_title || doc.title;
  const source = doc.source ? `tệp ${doc.source}` + (doc.pages.length ? ` (${doc.pages.length} trang)` : "") : "";
  // a scan kept below the quality gate (`add --force`) and a converted legacy text say so
  const notes = [doc.forced ? "⚠ bản quét chất lượng thấp, có thể đọc sai chữ" : "",
    doc.converted_from ? `chuyển từ bảng mã ${doc.converted_from}` : ""];
  $("viewer-meta").textContent = [doc.label, doc.date, source, ...notes].filter(Boolean).join(" · ");
  $("viewer-location").textContent = location;
  renderOutline(doc);
  const text = $("viewer-text");
  // the citation's offsets index the document text: three text nodes, the middle one marked
  const mark = element("mark", "highlight", doc.text.slice(citation.start, citation.end));
  mark.id = "highlight";
  text.replaceChildren(document.createTextNode(doc.text.slice(0, citation.start)), mark,
    document.createTextNode(doc.text.slice(citation.end)));
  $("viewer").hidden = false;
  returnTo = back;
  document.body.classList.add("viewing");
  scrollWithin(text, mark);
  text.focus({ preventScroll: true });
}

// Scroll only the pane (never the page), so the passage starts near the pane's top:
// a long passage centred would put its first lines above the screen on a phone.
function scrollWithin(pane, target) {
  const line = parseFloat(getComputedStyle(pane).lineHeight);
  const context = 2 * (Number.isFinite(line) ? line : 20);  // two lines of what comes before
  pane.scrollTop += target.getBoundingClientRect().top - pane.getBoundingClientRect().top - context;
}

export function closeViewer(returnFocus = true) {
  if (!isOpen()) return;
  $("viewer").hidden = true;
  document.body.classList.remove("viewing");
  if (!returnFocus) return;
  const onScreen = returnTo && returnTo.isConnected && returnTo.getClientRects().length > 0;
  (onScreen ? returnTo : $("question")).focus();
}

function renderOutline(doc) {
  const outline = $("viewer-outline");
  outline.replaceChildren();
  for (const section of doc.sections) {
    if (!section.number) continue;
    const link = button("outline-link", `${section.number}. ${section.title}`, () => scrollToOffset(section.start));
    link.style.paddingLeft = `${(section.path.split("›").length - 1) * 0.8 + 0.4}em`;
    const item = element("li");
    item.append(link);
    outline.append(item);
  }
}

function scrollToOffset(offset) {
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
  scrollWithin(text, anchor);
  anchor.remove();
  text.normalize();
}
