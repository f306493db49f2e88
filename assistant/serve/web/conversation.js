// A conversation owns its questions: the one being answered, those waiting behind
// it, and the history later follow-ups are read against. Closing it (a new
// conversation) cancels them all, and an answer that arrives late is dropped: it
// never lands in another conversation or in its history.
"use strict";

import { askServer, PageError } from "./api.js";

export const MAX_WAITING = 3;  // questions queued behind the one being answered
export const HISTORY_TURNS = 10;  // the server reads the last few questions of a conversation
const DEFAULT_TIMEOUT_MS = 60_000;

// The time limit; a page (or a test) may set data-ask-timeout-ms on <body>.
function timeoutMs() {
  return Number(document.body.dataset.askTimeoutMs) || DEFAULT_TIMEOUT_MS;
}

function timeoutError(ms) {
  const seconds = Math.round(ms / 1000);
  return new PageError(
    `Trợ lý chưa trả lời sau ${seconds} giây nên câu hỏi đã được dừng. ` +
    "Vui lòng thử lại; có thể hỏi ngắn gọn hơn hoặc chọn một tỉnh.",
    `Hết thời gian chờ ${ms} ms · POST /api/ask`, "timeout");
}

const cancelled = () => new PageError("Đã hủy câu hỏi này.", "", "cancelled");

// `view` draws the turns: waiting(job), pending(job), answered(job, answer),
// failed(job, error), and changed() when the number of pending questions changes.
export class Conversation {
  constructor(view) {
    this.view = view;
    this.history = [];
    this.waiting = [];
    this.active = null;
    this.closed = false;
  }

  get pending() {
    return this.waiting.length + (this.active ? 1 : 0);
  }

  canTakeMore() {
    return !this.active || this.waiting.length < MAX_WAITING;
  }

  // Queue a question ({question, province, turn}); it is asked when the ones before it are done.
  submit(job) {
    Object.assign(job, { controller: null, conversation: this });
    this.waiting.push(job);
    if (this.active) this.view.waiting(job);
    this.view.changed();
    this.next();
    return job;
  }

  cancel(job) {
    if (job === this.active) {
      job.controller.abort(cancelled());
      return;
    }
    const at = this.waiting.indexOf(job);
    if (at >= 0) {
      this.waiting.splice(at, 1);
      this.view.failed(job, cancelled());
      this.view.changed();
    }
  }

  close() {
    this.closed = true;
    this.waiting = [];
    if (this.active) this.active.controller.abort(cancelled());
  }

  async next() {
    if (this.active || this.closed || !this.waiting.length) return;
    const job = this.waiting.shift();
    this.active = job;
    job.controller = new AbortController();
    const limit = timeoutMs();
    const timer = setTimeout(() => job.controller.abort(timeoutError(limit)), limit);
    this.view.pending(job);
    this.view.changed();
    // the history is read now, so a queued follow-up sees the answers before it
    const history = this.history.slice(-HISTORY_TURNS);
    try {
      const answer = await askServer(job.question, job.province, history, job.controller.signal);
      if (this.closed) return;  // a late answer to a closed conversation goes nowhere
      this.history.push({ question: job.question, answer: answer.answer });
      this.view.answered(job, answer);
    } catch (err) {
      if (this.closed) return;
      this.view.failed(job, err instanceof PageError ? err : new PageError(String(err), String(err), "failed"));
    } finally {
      clearTimeout(timer);
      if (this.active === job) this.active = null;
      if (!this.closed) {
        this.view.changed();
        this.next();
      }
    }
  }
}
