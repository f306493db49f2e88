"""The chat page in a real browser (Debian's chromium, headless, driven by Playwright)
against the real server started with `assistant serve` on a free loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
STARTUP_SECONDS = 600  # a fresh machine builds the model folder and the index first


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _assistant_command() -> list[str]:
    script = Path(sys.executable).with_name("assistant")  # the console script the README runs
    return [str(script)] if script.exists() else [sys.executable, "-m", "assistant.cli"]


@pytest.fixture(scope="module")
def server(real_settings, tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "serve.log"
    command = _assistant_command() + ["serve", "--host", "127.0.0.1", "--port", str(port),
                                      "--index", str(real_settings.index_dir), "--corpus", str(real_settings.corpus_dir)]
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"assistant serve exited with {process.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"assistant serve did not answer within {STARTUP_SECONDS} s:\n{log.read_text()}")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("chromium is not installed: run ./scripts/setup.sh --browser (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="vi-VN",
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.dialogs, page.outside = [], []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: None if request.url.startswith(server) else page.outside.append(request.url))
    page.goto(server + "/")
    page.wait_for_selector("#province option[value='gia-lai']", state="attached")
    yield page
    context.close()


def _ask(page, question: str):
    """Type a question, press Enter, and return the reply it gets."""
    before = page.locator(".turn").count()
    page.fill("#question", question)
    page.press("#question", "Enter")
    turn = page.locator(".turn").nth(before)
    turn.locator(".reply:not(.pending)").wait_for(timeout=60_000)
    return turn


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
    screenshot = tmp_path / "chat-answer.png"
    page.screenshot(path=str(screenshot))
    if os.environ.get("ASSISTANT_SCREENSHOT_DIR"):  # refresh the picture the README shows
        shutil.copy(screenshot, Path(os.environ["ASSISTANT_SCREENSHOT_DIR"]) / "chat-answer.png")


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
    turn = _ask(page, "Thủ tục cấp hộ chiếu gồm những giấy tờ gì?")
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
    assert lines[:2] == ["Hỏi: Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?", "Trả lời: Đơn vị thực hiện: Sở Nội vụ"]
    assert lines[3] == "Nguồn:" and lines[4].startswith("[1] Ninh Thuận · ") and lines[4].endswith("mục II › 2 › 2.3")
    first_quote = "\n".join(lines[5:]).split("\n[2] ")[0]  # a quote may run over several lines
    assert first_quote.startswith("«2.3. Kịp thời khen thưởng") and first_quote.endswith("»")
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
