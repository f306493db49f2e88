"""The "Học tập" area and the chat on one page: a question pending while the trainer
studies is answered and shown on coming back, "Cuộc trò chuyện mới" leaves the study area,
the source pane opened from a quote gives focus back to it, and on a phone the header with
its extra button stays one row. Answers are held with Playwright routes; the rest is the
real server."""

from __future__ import annotations

import pytest

from .browser_fixtures import HeldAnswers, ask, in_view, keep_screenshot, text_lines

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

QUESTION = "Các tỉnh triển khai thông tin đối ngoại theo phương châm gì?"
TOP_BUTTONS = ("#study-toggle", "#large-text", "#new-chat")


def _send(page, question: str) -> None:
    page.fill("#question", question)
    page.press("#question", "Enter")


def _study(page, tab: str = "Tổng quan kế hoạch") -> None:
    page.click("#study-toggle")
    page.locator(".sv-summary").wait_for()  # the first view: a plan's one-page summary
    page.get_by_role("tab", name=tab).click()
    page.locator(".sv-overview").wait_for()


def test_a_question_pending_while_studying_is_answered_and_in_view_on_coming_back(page):
    for question in ("Ai chịu trách nhiệm khen thưởng?", "Bắc Giang báo cáo trước ngày nào?"):
        ask(page, question)
    held = HeldAnswers(page)
    _send(page, QUESTION)
    held.wait_for(1)
    _study(page)
    assert page.locator("#chat").is_hidden() and page.get_attribute("#study-toggle", "aria-pressed") == "true"
    assert page.inner_text("#study-toggle") == "Hỏi đáp"
    held.routes[0].continue_()
    last = page.locator(".turn").nth(2)
    last.locator(".reply.found").wait_for(state="attached")
    assert page.locator("#study").is_visible()  # the answer does not pull the trainer away
    page.click("#study-toggle")
    assert page.locator("#study").is_hidden() and page.inner_text("#study-toggle") == "Học tập"
    assert page.evaluate("document.getElementById('messages').scrollTop") > 0
    assert in_view(page, ".turn:last-child .question", "#messages")
    assert in_view(page, ".turn:last-child .answer", "#messages")
    assert page.evaluate("document.activeElement.id") == "question" and page.inner_text("#status") == ""


def test_a_new_conversation_from_the_study_area_goes_back_to_an_empty_chat(page):
    held = HeldAnswers(page)
    _send(page, QUESTION)
    held.wait_for(1)
    _study(page)
    page.click("#new-chat")
    assert page.locator("#chat").is_visible() and page.locator("#study").is_hidden()
    assert page.locator(".turn").count() == 0 and page.locator("#intro").is_visible()
    assert page.evaluate("document.activeElement.id") == "question"


def test_a_quote_opens_its_plan_and_closing_it_comes_back_to_the_quote(page):
    ask(page, "Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?").locator(".citation-open").first.click()
    page.locator("#highlight").wait_for()
    _study(page)
    assert page.locator("#viewer").is_hidden()  # the chat's source pane closes with the chat
    words = page.locator(".sv-overview .sv-task .sv-words").nth(2)
    words.click()
    page.locator("#highlight").wait_for()
    assert page.locator("#highlight").text_content() == words.inner_text().strip("«»")
    assert page.inner_text("#viewer-location").startswith("Trích dẫn trong trang học tập · mục ")
    assert page.evaluate("document.getElementById('viewer').contains(document.activeElement)")
    page.keyboard.press("Escape")
    assert page.locator("#viewer").is_hidden()
    assert page.evaluate("document.activeElement.textContent") == words.text_content()


def test_on_a_phone_the_header_with_the_study_button_stays_one_row(phone, tmp_path):
    _study(phone)
    phone.click("#large-text")  # "Chữ lớn" enlarges what is read, not the header
    assert phone.locator("header.top").bounding_box()["height"] <= 72
    for button in TOP_BUTTONS:
        assert text_lines(phone, button) == 1, button
    tops = {round(box["y"]) for box in (phone.locator(b).bounding_box() for b in TOP_BUTTONS)}
    assert len(tops) == 1  # side by side
    tabs = {round(tab.bounding_box()["y"]) for tab in phone.locator(".study-tab").all()}
    assert len(tabs) == 1  # one row that scrolls sideways
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    assert phone.evaluate("(s => s.scrollWidth <= s.clientWidth)(document.getElementById('study'))")
    keep_screenshot(phone, tmp_path, "phone-study.png")


def test_large_text_keeps_what_was_read_in_view(page):
    for question in ("Ai chịu trách nhiệm khen thưởng?", "Bắc Giang báo cáo trước ngày nào?", QUESTION):
        turn = ask(page, question)
    turn.locator(".citation-open").first.click()
    page.locator("#highlight").wait_for()
    size = "(s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)"
    before = page.evaluate(size, ".turn:last-child .answer")
    page.click("#large-text")
    assert page.evaluate(size, ".turn:last-child .answer") >= before * 1.2
    # the answer being read still starts inside the conversation (a five-plan answer in large
    # text is taller than the pane, so its top, not all of it, is what stays in view)
    assert page.evaluate("""() => {
        const box = document.querySelector('#messages').getBoundingClientRect();
        const top = [...document.querySelectorAll('.turn:last-child .answer')].pop().getBoundingClientRect().top;
        return top >= box.top && top < box.bottom;
    }""")
    pane, top = page.locator("#viewer-text").bounding_box(), page.locator("#highlight").bounding_box()["y"]
    assert pane["y"] <= top <= pane["y"] + pane["height"] / 2  # the passage still starts in the upper half


def test_a_refused_study_request_is_worded_for_the_reader_with_the_detail_folded(page):
    _study(page)
    page.get_by_role("tab", name="Câu hỏi ôn tập").click()
    page.locator(".sq-quiz").wait_for()
    page.fill("#study-count", "500")
    page.press("#study-count", "Tab")
    error = page.locator("#study-content .study-error")
    error.wait_for()
    assert error.locator(".error-message").inner_text() == \
        "Yêu cầu không hợp lệ: trường «count» không được vượt quá 100."
    assert error.locator(".error-detail code").is_hidden()  # folded away
    assert error.locator(".error-detail code").text_content().startswith("HTTP 422 invalid_request")
