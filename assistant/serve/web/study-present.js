// "Trình chiếu": the study view on a projector. The header and the controls are hidden,
// the view shows one part at a time (a <section class="sv-part">, or a question of the
// quiz), and ←/→ (or the buttons, or a click on the bar) move between parts; Esc leaves.
"use strict";

import { $, button, element } from "./dom.js";

let parts = [];
let shown = 0;
let bar = null;

export function isPresenting() {
  return document.body.classList.contains("presenting");
}

function partsOf(content) {
  const found = [...content.querySelectorAll(".sv-part, .sq-question")];
  return found.length ? found : [...content.children];
}

function show(index) {
  shown = Math.max(0, Math.min(index, parts.length - 1));
  parts.forEach((node, n) => node.classList.toggle("sv-hidden", n !== shown));
  $("study-content").scrollTop = 0;
  bar.querySelector(".sp-count").textContent = `${shown + 1}/${parts.length}`;
}

function onKey(event) {
  if (!isPresenting()) return;
  if (["ArrowRight", "PageDown", " "].includes(event.key)) show(shown + 1);
  else if (["ArrowLeft", "PageUp"].includes(event.key)) show(shown - 1);
  else if (event.key === "Escape") stopPresenting();
  else return;
  event.preventDefault();
}

// Called after every redraw of the view: a new view starts again at its first part.
export function refreshPresentation() {
  if (!isPresenting()) return;
  for (const node of document.querySelectorAll(".sv-hidden")) node.classList.remove("sv-hidden");
  parts = partsOf($("study-content"));
  show(0);
}

export function startPresenting() {
  document.body.classList.add("presenting");
  if (!bar) {
    bar = element("div", "sp-bar");
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Trình chiếu");
    bar.append(button("sp-prev", "‹ Trước", () => show(shown - 1)), element("span", "sp-count", ""),
      button("sp-next", "Sau ›", () => show(shown + 1)), button("sp-exit", "Thoát (Esc)", stopPresenting));
    document.addEventListener("keydown", onKey);
  }
  document.body.append(bar);
  refreshPresentation();
}

export function stopPresenting() {
  document.body.classList.remove("presenting");
  for (const node of document.querySelectorAll(".sv-hidden")) node.classList.remove("sv-hidden");
  if (bar) bar.remove();
  $("study-present").focus();
}
