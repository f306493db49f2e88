// The quiz on the page: a trainee answers, "Kiểm tra" says right or wrong and shows the
// quote that proves the answer. Printed, it is a question sheet, then the answer key
// on a page of its own.
"use strict";

import { button, element } from "./dom.js";

const LETTERS = "ABCDEFGH";

// Answers typed by hand, compared as assistant/study/quiz.py's answer_form compares them:
// case, spacing, accents' composition and punctuation aside, "hàng năm" as "hằng năm", and a
// syllable's final "y" after a consonant as "i" ("quý"/"quí", "kỹ"/"kĩ"; not "hay"/"hai").
const I_FOR_Y = { y: "i", "ý": "í", "ỳ": "ì", "ỷ": "ỉ", "ỹ": "ĩ", "ỵ": "ị" };

export function answerForm(text) {
  return text.normalize("NFC").toLowerCase().replace(/[«»“”"'.,;:!?…()]/g, " ")
    .replace(/(^|[^\p{L}])hàng (năm|quý|tháng|tuần|ngày)(?![\p{L}])/gu, "$1hằng $2")
    .replace(/(?<![aăâeêoôơưy])(?<![^q]u)(?<!(?:^|[^\p{L}])u)([ýỳỷỹỵy])(?![\p{L}\p{M}])/gu, (m) => I_FOR_Y[m])
    .replace(/\s+/g, " ").trim();
}

function same(typed, answer) {
  return answerForm(typed) !== "" && answerForm(typed) === answerForm(answer);
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
  box.append(element("h3", "", `Đáp án đề ôn tập số ${data.seed}`));
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
  view.append(element("h2", "", `Đề ôn tập số ${data.seed}`),
    element("p", "sq-participant", "Họ và tên: ……………………………………   Đơn vị: ……………………………………"),
    element("p", "sv-note", `${data.questions.length} câu hỏi. Mỗi đáp án kèm nguyên văn trích dẫn.`));
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
