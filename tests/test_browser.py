"""The chat page in a real browser (Debian's chromium, headless, driven by Playwright)
against the real server started with `assistant serve` on a free loopback port."""

from __future__ import annotations

import httpx
import pytest

from .browser_fixtures import ask as _ask
from .browser_fixtures import keep_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def test_an_answer_shows_the_unit_with_numbered_citations(page, tmp_path):
    turn = _ask(page, "Ai chịu trách nhiệm khen thưởng?")
    assert turn.locator(".question").inner_text() == "Ai chịu trách nhiệm khen thưởng?"
    assert "Sở Nội vụ" in turn.locator(".answer").inner_text()
    labels = turn.locator(".citation-open").all_inner_texts()
    assert len(labels) >= 2 and labels[0].startswith("[1] ") and labels[1].startswith("[2] ")
    assert any("Ninh Thuận" in label and "mục II › 2 › 2.3" in label for label in labels)
    assert any("Bắc Giang" in label and "mục VI › 7" in label for label in labels)
    assert page.outside == []  # nothing comes from outside this server
    turn.locator(".citation-open").first.click()
    page.locator("#highlight").wait_for()
    keep_screenshot(page, tmp_path, "chat-answer.png")  # the picture the README shows


def test_clicking_a_citation_highlights_the_exact_quote_in_the_document(page, server):
    turn = _ask(page, "Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?")
    citation = turn.locator(".citation").first
    quote = citation.locator(".quote").inner_text()
    citation.locator(".citation-open").click()
    mark = page.locator("#viewer-text mark#highlight")
    mark.wait_for()
    assert page.locator("#viewer").is_visible()
    assert page.locator("#viewer-province").inner_text().lower() == "ninh thuận"
    assert page.locator("#viewer-location").inner_text() == "Trích dẫn [1] · mục II › 2 › 2.3"
    assert mark.text_content() == quote.strip()
    # the highlighted span sits at the citation's offsets of the full text
    answer = httpx.post(f"{server}/api/ask", json={"question": "Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?"}).json()
    first = answer["citations"][0]
    before = page.evaluate("() => document.getElementById('viewer-text').firstChild.textContent.length")
    assert (before, mark.text_content()) == (first["start"], first["quote"])
    in_view = page.evaluate("""() => {
        const mark = document.getElementById('highlight').getBoundingClientRect();
        const pane = document.getElementById('viewer-text').getBoundingClientRect();
        return mark.top >= pane.top && mark.top < pane.bottom;
    }""")
    assert in_view, "the highlighted quote is scrolled into view"


def test_a_follow_up_question_carries_the_topic_over(page):
    _ask(page, "Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?")
    turn = _ask(page, "Thời gian thực hiện là khi nào?")
    assert turn.locator(".interpreted").inner_text() == \
        "Hiểu là: Thời gian thực hiện khen thưởng ở Ninh Thuận là khi nào?"
    assert turn.locator(".answer").inner_text() == "Thời gian thực hiện: Hàng năm"
    turn = _ask(page, "Còn Bắc Giang thì sao?")
    assert turn.locator(".interpreted").inner_text() == "Hiểu là: Thời gian thực hiện khen thưởng ở Bắc Giang là khi nào?"
    assert all(" Bắc Giang · " in label for label in turn.locator(".citation-open").all_inner_texts())


def test_markup_in_a_question_is_shown_as_text_and_runs_nothing(page):
    question = "<img src=x onerror=alert(1)> Ai ký kế hoạch?"
    turn = _ask(page, question)
    assert turn.locator(".question").inner_text() == question
    assert page.locator("#messages img").count() == 0
    page.wait_for_timeout(300)
    assert page.dialogs == []


def test_the_not_found_state(page):
    turn = _ask(page, "Giá vé máy bay là bao nhiêu?")
    reply = turn.locator(".reply")
    assert "not-found" in reply.get_attribute("class")
    assert turn.locator(".not-found-title").inner_text() == "Không tìm thấy trong văn bản"
    assert turn.locator(".answer").inner_text() == "Không tìm thấy thông tin này trong các văn bản hiện có."
    assert turn.locator(".citation").count() == 0


def test_the_province_filter_scopes_the_answer(page):
    page.select_option("#province", "gia-lai")
    turn = _ask(page, "Ai ký kế hoạch?")
    labels = turn.locator(".citation-open").all_inner_texts()
    assert labels and all(" Gia Lai · " in label for label in labels)


def test_copy_puts_the_answer_and_its_citations_on_the_clipboard(page):
    turn = _ask(page, "Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?")
    turn.locator("button.copy").click()
    page.wait_for_function("() => document.querySelector('button.copy').textContent === 'Đã sao chép'")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    lines = copied.splitlines()
    answer = turn.locator(".answer").inner_text()
    assert lines[:2] == ["Hỏi: Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?", "Trả lời: " + answer.splitlines()[0]]
    assert answer.splitlines()[0] in ("Đơn vị thực hiện: Sở Nội vụ", "Có thể là: Đơn vị thực hiện: Sở Nội vụ")
    sources = lines.index("Nguồn:")  # after the whole answer, however many lines it has
    rest = answer.splitlines()[1:]
    assert lines[2:2 + len(rest)] == rest  # the others the answer lists, then its confidence, if low
    assert lines[2 + len(rest):sources] == (["(Chưa chắc chắn)", ""] if answer.startswith("Có thể là") else [""])
    assert lines[sources + 1].startswith("[1] Ninh Thuận · ") and lines[sources + 1].endswith("mục II › 2 › 2.3")
    first_quote = "\n".join(lines[sources + 2:]).split("\n[2] ")[0]  # a quote may run over several lines
    assert first_quote == "«- Đơn vị thực hiện: Sở Nội vụ.»"  # the line the answer comes from, first
    assert turn.locator(".quote").first.inner_text().strip() in first_quote


def test_an_error_is_shown_and_the_question_kept_for_editing(page):
    page.select_option("#province", "gia-lai")
    page.evaluate("() => { const o = document.querySelector('#province option[value=\"gia-lai\"]'); o.value = 'atlantis'; }")
    turn = _ask(page, "Ai ký kế hoạch?")
    assert "error" in turn.locator(".reply").get_attribute("class")
    assert turn.locator(".reply").inner_text().startswith("Không có tỉnh «atlantis» trong bộ văn bản")
    assert page.input_value("#question") == "Ai ký kế hoạch?"


def test_the_api_docs_work_offline(browser, server):
    context = browser.new_context()
    page = context.new_page()
    outside = []
    page.on("request", lambda request: None if request.url.startswith(server) else outside.append(request.url))
    page.goto(server + "/docs")
    page.locator(".swagger-ui .opblock-summary-path", has_text="/api/ask").first.wait_for(timeout=30_000)
    assert outside == []
    context.close()
