// Talking to the server. Every failure becomes a PageError: a message an official
// can act on, and the technical detail kept apart (shown folded away).
"use strict";

export const MESSAGES = {
  paused: "Máy chủ trợ lý đang tạm dừng, vui lòng thử lại sau.",
  busy: "Trợ lý đang bận trả lời nhiều câu hỏi, vui lòng thử lại sau ít phút.",
  failed: "Trợ lý gặp lỗi khi xử lý yêu cầu này. Vui lòng thử lại sau; nếu lỗi lặp lại, hãy báo cho quản trị viên.",
};

export class PageError extends Error {
  constructor(message, detail, kind) {
    super(message);
    this.detail = detail;  // for whoever looks after the server, not for the official
    this.kind = kind;  // paused | busy | request | failed | timeout | cancelled
  }
}

function capitalised(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// The error for an HTTP status and the server's error body ({"error": {status, code, message}}).
export function errorFor(status, body, where) {
  const server = body && body.error ? body.error : null;
  const detail = `HTTP ${status}${server ? ` ${server.code}: ${server.message}` : ""} · ${where}`;
  if (status === 429) return new PageError(MESSAGES.busy, detail, "busy");
  if (status >= 502 && status <= 504) return new PageError(MESSAGES.paused, detail, "paused");
  // the server's 4xx messages are written in Vietnamese for the person asking: show them
  if (status >= 400 && status < 500 && server && server.message) {
    const text = capitalised(server.message);
    return new PageError(/[.!?]$/.test(text) ? text : `${text}.`, detail, "request");
  }
  return new PageError(MESSAGES.failed, detail, "failed");
}

// fetch + JSON; an aborted request rejects with the reason given to abort().
export async function request(path, options = {}) {
  const where = `${options.method || "GET"} ${path}`;
  const signal = options.signal;
  let response;
  let body = null;
  try {
    response = await fetch(path, options);
    body = await response.json().catch(() => null);
  } catch (err) {
    if (signal && signal.aborted) throw signal.reason;
    throw new PageError(MESSAGES.paused, `${where}: không kết nối được (${err.name}: ${err.message})`, "paused");
  }
  if (signal && signal.aborted) throw signal.reason;  // the answer came, but too late to be wanted
  if (!response.ok) throw errorFor(response.status, body, where);
  if (body === null) throw new PageError(MESSAGES.failed, `${where}: trả lời không phải JSON`, "failed");
  return body;
}

export function askServer(question, province, history, signal) {
  return request("/api/ask", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ question, province, history }),
    signal,
  });
}
