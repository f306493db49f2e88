// Small DOM helpers. Everything shown from questions, answers or documents is
// inserted as text (textContent, text nodes), never as HTML.
"use strict";

export const $ = (id) => document.getElementById(id);

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function button(className, text, onClick) {
  const node = element("button", className, text);
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

// An error as an official reads it (see api.js): the message, and the technical detail
// folded away for whoever looks after the server.
export function errorContent(error) {
  const nodes = [element("p", "error-message", error.message)];
  if (error.detail) {
    const detail = element("details", "error-detail");
    detail.append(element("summary", "", "Chi tiết kỹ thuật"), element("code", "", error.detail));
    nodes.push(detail);
  }
  return nodes;
}
