"""The chat page's behaviour where timing matters (a pending, queued, cancelled, late or
failed question), focus, the phone layout and the low-confidence warning. Answers are
held, stubbed or failed with Playwright routes; the rest is the real server."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from .browser_fixtures import HeldAnswers, ask, in_view, keep_screenshot, text_lines

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[1]
FIRST, SECOND = "Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?", "Thời gian thực hiện là khi nào?"
PAUSED = "Máy chủ trợ lý đang tạm dừng, vui lòng thử lại sau."


def _send(page, question: str) -> None:
    page.fill("#question", question)
    page.press("#question", "Enter")


def test_the_answer_is_in_view_when_it_arrives_with_its_citations_below(page):
    for question in ("Ai chịu trách nhiệm khen thưởng?", "Bắc Giang báo cáo trước ngày nào?"):
        ask(page, question)
    turn = ask(page, "Các tỉnh triển khai thông tin đối ngoại theo phương châm gì?")
    assert page.evaluate("document.getElementById('messages').scrollTop") > 0  # the chat had to scroll
    assert in_view(page, ".turn:last-child .answer", "#messages")
    assert in_view(page, ".turn:last-child .question", "#messages")
    answer_box, citation_box = turn.locator(".answer").bounding_box(), turn.locator(".citation").first.bounding_box()
    assert citation_box["y"] > answer_box["y"]


def test_a_question_sent_while_one_is_pending_waits_its_turn_and_reads_the_first_answer(page):
    held = HeldAnswers(page)
    _send(page, FIRST)
    held.wait_for(1)
    _send(page, SECOND)
    second = page.locator(".turn").nth(1)
    assert second.locator(".pending-text").inner_text() == "Đang chờ câu hỏi trước trả lời xong…"
    assert page.input_value("#question") == "" and page.inner_text("#status") == "Đang trả lời… (1 câu đang chờ)"
    page.wait_for_timeout(300)
    assert len(held.routes) == 1  # the second is not sent while the first is pending
    held.routes[0].continue_()
    held.wait_for(2).continue_()
    second.locator(".reply.found").wait_for()
    first_answer = page.locator(".turn").nth(0).locator(".answer").inner_text()
    assert held.bodies()[1]["history"] == [{"question": FIRST, "answer": first_answer}]
    assert second.locator(".interpreted").inner_text() == \
        "Hiểu là: Thời gian thực hiện khen thưởng ở Ninh Thuận là khi nào?"
    assert page.inner_text("#status") == ""


def test_a_full_queue_is_refused_clearly_and_the_typed_text_stays(page):
    held = HeldAnswers(page)
    for n in range(4):  # one pending, three waiting
        _send(page, f"Câu hỏi số {n + 1} về khen thưởng?")
    held.wait_for(1)
    _send(page, "Câu hỏi thứ năm?")
    assert page.locator(".turn").count() == 4
    assert page.input_value("#question") == "Câu hỏi thứ năm?"
    assert page.inner_text("#status") == ("Đã có 3 câu hỏi đang chờ. Câu của bạn vẫn ở ô nhập; "
                                          "hãy gửi lại khi bớt câu chờ.")


def test_a_new_conversation_cancels_the_pending_question_and_its_late_answer_lands_nowhere(page, server):
    held = HeldAnswers(page)
    _send(page, FIRST)
    held.wait_for(1)
    page.click("#new-chat")
    late = httpx.post(f"{server}/api/ask", json={"question": FIRST}).json()
    try:  # the page has given up on it; answer it anyway, as a slow server would
        held.routes[0].fulfill(json=late)
    except Exception:  # noqa: BLE001 - the aborted request may already be gone
        pass
    page.wait_for_timeout(300)
    assert page.locator(".turn").count() == 0 and page.locator("#intro").is_visible()
    _send(page, SECOND)
    held.wait_for(2).continue_()
    page.locator(".turn .reply:not(.pending)").wait_for()
    assert held.bodies()[1]["history"] == []  # the cancelled question is not part of the new conversation
    assert page.locator(".turn").count() == 1 and page.locator(".interpreted").count() == 0


def test_cancel_stops_the_pending_question_and_gives_it_back_for_editing(page):
    held = HeldAnswers(page)
    _send(page, FIRST)
    held.wait_for(1)
    page.click(".turn .cancel")
    reply = page.locator(".turn .reply")
    assert reply.get_attribute("class") == "reply cancelled" and reply.inner_text() == "Đã hủy câu hỏi này."
    assert page.input_value("#question") == FIRST and page.inner_text("#status") == ""
    page.fill("#question", SECOND)
    page.press("#question", "Enter")
    held.wait_for(2)
    assert held.bodies()[1]["history"] == []


def test_a_question_that_takes_too_long_is_stopped_with_a_clear_message(page):
    HeldAnswers(page)  # never answered
    page.evaluate("document.body.dataset.askTimeoutMs = '1500'")
    _send(page, FIRST)
    reply = page.locator(".turn .reply.error")
    reply.wait_for(timeout=10_000)
    assert reply.locator(".error-message").inner_text() == (
        "Trợ lý chưa trả lời sau 2 giây nên câu hỏi đã được dừng. "
        "Vui lòng thử lại; có thể hỏi ngắn gọn hơn hoặc chọn một tỉnh.")
    assert reply.locator(".error-detail code").text_content() == "Hết thời gian chờ 1500 ms · POST /api/ask"
    assert page.input_value("#question") == FIRST


ERRORS = [
    ("refused", None, PAUSED, "POST /api/ask: không kết nối được"),
    ("status", 503, PAUSED, "HTTP 503"),
    ("status", 429, "Trợ lý đang bận trả lời nhiều câu hỏi, vui lòng thử lại sau ít phút.", "HTTP 429"),
    ("status", 500, "Trợ lý gặp lỗi khi xử lý yêu cầu này. Vui lòng thử lại sau; nếu lỗi lặp lại, hãy báo cho quản "
                    "trị viên.", "HTTP 500 internal_error: lỗi nội bộ (RuntimeError)"),
]


@pytest.mark.parametrize("how, status, message, detail", ERRORS)
def test_errors_speak_to_an_official_with_the_technical_detail_folded_away(page, how, status, message, detail):
    def fail(route):
        if how == "refused":
            route.abort("connectionrefused")
        else:
            error = {"status": status, "code": "internal_error" if status == 500 else "unavailable",
                     "message": "lỗi nội bộ (RuntimeError)" if status == 500 else "tạm dừng"}
            route.fulfill(status=status, json={"error": error})

    page.route("**/api/ask", fail)
    _send(page, FIRST)
    reply = page.locator(".turn .reply.error")
    reply.wait_for()
    assert reply.locator(".error-message").inner_text() == message
    code = reply.locator(".error-detail code")
    assert not code.is_visible() and detail in code.text_content()
    reply.locator(".error-detail summary").click()
    assert code.is_visible()
    assert "assistant serve" not in page.inner_text("body")
    page.unroute("**/api/ask")
    reply.locator(".retry").click()  # the same question again, to the working server
    page.locator(".turn").nth(1).locator(".reply.found").wait_for(timeout=60_000)


def test_escape_closes_the_source_pane_and_focus_goes_to_the_pane_and_back(page):
    turn = ask(page, FIRST)
    turn.locator(".citation-open").first.click()
    page.locator("#highlight").wait_for()
    assert page.evaluate("document.getElementById('viewer').contains(document.activeElement)")
    page.keyboard.press("Escape")
    assert page.locator("#viewer").is_hidden()
    assert page.evaluate("document.activeElement.id") == "question"
    turn.locator(".citation-open").nth(1).click()
    page.locator("#viewer").wait_for()
    page.click("#viewer-close")
    assert page.locator("#viewer").is_hidden() and page.evaluate("document.activeElement.id") == "question"


def test_close_is_one_line_on_the_desktop(page):
    ask(page, FIRST).locator(".citation-open").first.click()
    page.locator("#highlight").wait_for()
    assert text_lines(page, "#viewer-close") == 1


@pytest.mark.parametrize("confidence, shown", [("low", True), ("high", False), (None, False)])
def test_a_low_confidence_answer_says_so_plainly(page, server, confidence, shown):
    answer = httpx.post(f"{server}/api/ask", json={"question": FIRST}).json()
    if confidence:
        answer["confidence"] = confidence
    page.route("**/api/ask", lambda route: route.fulfill(json=answer))
    reply = ask(page, FIRST).locator(".reply")
    shown = shown or (confidence is None and answer["confidence"] == "low")  # None: as the server said
    assert ("low-confidence" in reply.get_attribute("class")) is shown
    assert reply.locator(".confidence-low").all_inner_texts() == (["Chưa chắc chắn"] if shown else [])
    assert reply.locator(".answer").inner_text() == answer["answer"]


def test_the_examples_are_those_of_examples_json(page):
    examples = json.loads((ROOT / "assistant" / "serve" / "web" / "examples.json").read_text(encoding="utf-8"))
    chips = page.locator("#examples .example")
    assert [chip.text_content().split(" · ví dụ")[0] for chip in chips.all()] == [e["question"] for e in examples]
    chips.last.click()  # the refusal example
    page.locator(".turn .reply.not-found").wait_for(timeout=60_000)


def test_on_a_phone_the_header_is_compact_and_the_passage_in_view(phone, tmp_path):
    assert phone.locator("header.top").bounding_box()["height"] <= 72
    for button in ("#study-toggle", "#large-text", "#new-chat", "#send"):
        assert text_lines(phone, button) == 1, button
    turn = ask(phone, "Ai chịu trách nhiệm khen thưởng?")
    assert in_view(phone, ".turn:last-child .answer", "#messages")
    keep_screenshot(phone, tmp_path, "phone-answer.png")
    turn.locator(".citation-open").first.click()
    mark = phone.locator("#highlight")
    mark.wait_for()
    assert text_lines(phone, "#viewer-close") == 1
    pane, top = phone.locator("#viewer-text").bounding_box(), mark.bounding_box()["y"]
    assert pane["y"] <= 200  # the pane's heading stays short
    assert pane["y"] <= top <= pane["y"] + pane["height"] / 2  # the passage starts in the upper half
    keep_screenshot(phone, tmp_path, "phone-source.png")


def test_an_unsure_answer_says_so_once_and_leads_with_its_one_candidate(page, server):
    answer = {"question": FIRST, "found": True, "confidence": "low", "interpreted_as": FIRST, "took_ms": 1,
              "citations": [], "lead": "Có thể là: Đơn vị thực hiện: Sở Nội vụ",
              "answer": "Có thể là: Đơn vị thực hiện: Sở Nội vụ\nCác đoạn khác có thể liên quan:\n- Sở Tài chính"}
    page.route("**/api/ask", lambda route: route.fulfill(json=answer))
    reply = ask(page, FIRST).locator(".reply")
    assert reply.inner_text().count("Chưa chắc chắn") == 1
    assert reply.locator(".answer-lead").inner_text() == answer["lead"]
    assert reply.locator(".answer-others").inner_text() == "Các đoạn khác có thể liên quan:\n- Sở Tài chính"
    assert reply.locator(".answer").inner_text() == answer["answer"]


def test_a_citation_is_labelled_by_province_short_name_and_section(page):
    turn = ask(page, "Bắc Giang báo cáo trước ngày nào?")
    label = turn.locator(".citation-open").first.inner_text()
    assert label.startswith("[1] Bắc Giang · Kế hoạch") and " · mục " in label and len(label) <= 60, label


def test_the_placeholder_fits_on_one_line_of_a_phone(phone):
    fits = phone.evaluate("""() => {
        const q = document.getElementById('question'), style = getComputedStyle(q);
        const context = document.createElement('canvas').getContext('2d');
        context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const room = q.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return [context.measureText(q.placeholder).width, room];
    }""")
    assert fits[0] <= fits[1], fits


@pytest.mark.parametrize("width, height", [(1280, 720), (390, 844)])
def test_with_large_text_the_answer_read_stays_above_the_input(browser, server, width, height):
    from .browser_fixtures import open_page

    page = open_page(browser, server, width, height)
    try:
        page.click("#large-text")
        for question in ("Ai chịu trách nhiệm khen thưởng?", "Bắc Giang báo cáo trước ngày nào?"):
            ask(page, question)
        answer = page.locator(".turn:last-child .answer").bounding_box()
        form = page.locator("#ask-form").bounding_box()
        assert in_view(page, ".turn:last-child .answer", "#messages")
        assert answer["y"] + answer["height"] <= form["y"]
    finally:
        page.context.close()
