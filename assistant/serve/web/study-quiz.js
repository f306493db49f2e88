// The quiz on the page: a trainee answers, "Kiểm tra" says right or wrong and shows the
// quote that proves the answer. Printed, it is a question sheet, then the answer key
// on a page of its own.
"use strict";

window.StudyQuiz = (() => {
  const LETTERS = "ABCDEFGH";

  // answers typed by hand: case, spacing, accents' composition and end punctuation aside
  function same(typed, answer) {
    const norm = (text) => text.normalize("NFC").toLowerCase().replace(/[«»“”"'.,;:!?…]/g, " ")
      .replace(/\s+/g, " ").trim();
    return norm(typed) !== "" && norm(typed) === norm(answer);
  }

  function question(q, tools) {
    const { node, quote } = tools;
    const item = node("li", "sq-question");
    item.dataset.kind = q.kind;
    item.append(node("p", "sq-text", q.question));
    let read;
    if (q.choices.length) {
      const choices = node("ol", "sq-choices");
      q.choices.forEach((choice, i) => {
        const label = node("label", "sq-choice");
        const input = node("input");
        input.type = "radio";
        input.name = `sq-${q.number}`;
        input.value = choice;
        label.append(input, ` ${LETTERS[i]}. ${choice}`);
        const li = node("li");
        li.append(label);
        choices.append(li);
      });
      item.append(choices);
      read = () => { const picked = choices.querySelector("input:checked"); return picked ? picked.value : ""; };
    } else {
      const input = node("input", "sq-blank");
      input.type = "text";
      input.setAttribute("aria-label", `Câu ${q.number}: điền vào chỗ trống`);
      item.append(input, node("p", "sq-line", "Trả lời: ……………………………………………"));  // on paper
      read = () => input.value;
    }
    const check = node("button", "sq-check", "Kiểm tra");
    check.type = "button";
    const result = node("div", "sq-result");
    result.hidden = true;
    check.addEventListener("click", () => {
      const right = same(read(), q.answer);
      result.replaceChildren(node("p", right ? "sq-right" : "sq-wrong", right ? "✓ Đúng." : "✗ Chưa đúng."),
        node("p", "sq-answer", `Đáp án: ${q.answer}`), quote(q.citation));
      result.hidden = false;
      item.classList.toggle("sq-done", true);
    });
    item.append(check, result);
    return item;
  }

  // the answer key, shown only on paper (and with "Hiện đáp án")
  function key(data, tools) {
    const { node, quote } = tools;
    const box = node("section", "sq-key");
    box.append(node("h3", "", "Đáp án"));
    const list = node("ol", "sq-key-list");
    for (const q of data.questions) {
      const letter = q.choices.length ? `${LETTERS[q.choices.indexOf(q.answer)]}. ` : "";
      const item = node("li");
      item.append(node("p", "sq-answer", `${letter}${q.answer}`), quote(q.citation));
      list.append(item);
    }
    box.append(list);
    return box;
  }

  function render(data, tools) {
    const { node } = tools;
    const view = node("article", "sq-quiz");
    view.append(node("h2", "", "Câu hỏi ôn tập"),
      node("p", "sv-note", `${data.questions.length} câu hỏi, mã đề ${data.seed}. Mỗi đáp án kèm nguyên văn trích dẫn.`));
    const list = node("ol", "sq-questions");
    for (const q of data.questions) list.append(question(q, tools));
    const answers = key(data, tools);
    const reveal = node("button", "sq-reveal", "Hiện đáp án");
    reveal.type = "button";
    reveal.setAttribute("aria-pressed", "false");
    reveal.addEventListener("click", () => {
      const shown = answers.classList.toggle("sq-key-shown");
      reveal.setAttribute("aria-pressed", String(shown));
    });
    view.append(list, reveal, answers);
    return view;
  }

  return { render };
})();
