// The quiz on the page: a trainee answers, "Kiểm tra" says right or wrong and shows the
// quote that proves the answer. Printed, it is a question sheet, then the answer key
// on a page of its own.
"use strict";

import { button, element } from "./dom.js";

const LETTERS = "ABCDEFGH";

// answers typed by hand: case, spacing, accents' composition and end punctuation aside
function same(typed, answer) {
  const norm = (text) => text.normalize("NFC").toLowerCase().replace(/[«»“”"'.,;:!?…]/g, " ")
    .replace(/\s+/g, " ").trim();
  return norm(typed) !== "" && norm(typed) === norm(answer);
}

function question(q, quote) {
  const item = element("li", "sq-question");
  item.dataset.kind = q.kind;
  item.append(element("p", "sq-text", q.question));
  let read;
  if (q.choices.length) {
    const choices = element("ol", "sq-choices");
    q.choices.forEach((choice, i) => {
      const label = element("label", "sq-choice");
      const input = element("input");
      input.type = "radio";
      input.name = `sq-${q.number}`;
      input.value = choice;
      label.append(input, ` ${LETTERS[i]}. ${choice}`);
      const li = element("li");
      li.append(label);
      choices.append(li);
    });
    item.append(choices);
    read = () => { const picked = choices.querySelector("input:checked"); return picked ? picked.value : ""; };
  } else {
    const input = element("input", "sq-blank");
    input.type = "text";
    input.setAttribute("aria-label", `Câu ${q.number}: điền vào chỗ trống`);
    item.append(input, element("p", "sq-line", "Trả lời: ……………………………………………"));  // on paper
    read = () => input.value;
  }
  const result = element("div", "sq-result");
  result.hidden = true;
  const check = button("sq-check", "Kiểm tra", () => {
    const right = same(read(), q.answer);
    result.replaceChildren(element("p", right ? "sq-right" : "sq-wrong", right ? "✓ Đúng." : "✗ Chưa đúng."),
      element("p", "sq-answer", `Đáp án: ${q.answer}`), quote(q.citation));
    result.hidden = false;
    item.classList.toggle("sq-done", true);
  });
  item.append(check, result);
  return item;
}

// the answer key, shown only on paper (and with "Hiện đáp án")
function key(data, quote) {
  const box = element("section", "sq-key");
  box.append(element("h3", "", "Đáp án"));
  const list = element("ol", "sq-key-list");
  for (const q of data.questions) {
    const letter = q.choices.length ? `${LETTERS[q.choices.indexOf(q.answer)]}. ` : "";
    const item = element("li");
    item.append(element("p", "sq-answer", `${letter}${q.answer}`), quote(q.citation));
    list.append(item);
  }
  box.append(list);
  return box;
}

// `quote(citation)` draws a quote as the other study views do.
export function renderQuiz(data, quote) {
  const view = element("article", "sq-quiz");
  view.append(element("h2", "", "Câu hỏi ôn tập"),
    element("p", "sv-note", `${data.questions.length} câu hỏi, mã đề ${data.seed}. Mỗi đáp án kèm nguyên văn trích dẫn.`));
  const list = element("ol", "sq-questions");
  for (const q of data.questions) list.append(question(q, quote));
  const answers = key(data, quote);
  const reveal = button("sq-reveal", "Hiện đáp án", () => {
    const shown = answers.classList.toggle("sq-key-shown");
    reveal.setAttribute("aria-pressed", String(shown));
  });
  reveal.setAttribute("aria-pressed", "false");
  view.append(list, reveal, answers);
  return view;
}
