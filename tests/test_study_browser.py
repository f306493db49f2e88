"""The "Học tập" area in a real browser (Debian's chromium, headless) against a real
`assistant serve`: views, subsets, downloads, the quiz, printing to PDF, "Chữ lớn".
Printed pages are read back with poppler (pdfinfo, pdftotext, pdftoppm)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from .browser_fixtures import ask, keep_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

PROVINCES = ["Bắc Giang", "Gia Lai", "Ninh Thuận", "Quảng Ngãi", "Tuyên Quang"]
CONTROLS = ["Kiểm tra", "Hiện đáp án", "Tải .docx", "Tải .xlsx", "In / lưu PDF", "Chữ lớn", "Học tập",
            "Cuộc trò chuyện mới", "Sao chép câu trả lời", "Enter để gửi", "Số câu", "Đề số", "Tất cả các tỉnh",
            "Trình chiếu", "Tải gói tài liệu", "Bài giảng .pptx"]
ACCENT = (0xA3, 0x16, 0x1A)  # the red of the header bar, the buttons and the tabs


def _open_study(page, tab: str):
    page.click("#study-toggle")
    page.locator(".sv-summary").wait_for()  # a plan's one-page summary comes first
    page.get_by_role("tab", name=tab).click()


def _poppler(tool: str, *args) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is not installed: run ./scripts/setup.sh --browser (apt-get install -y poppler-utils)")
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout


def _print(page, path: Path) -> tuple[int, str, str]:
    """Print the page as the browser's print dialog would (print stylesheet, CSS page sizes)."""
    page.pdf(path=str(path), format="A4", prefer_css_page_size=True, print_background=True)
    info = _poppler("pdfinfo", str(path))
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    size = next(line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("Page size:"))
    return pages, size, _poppler("pdftotext", "-layout", str(path), "-")


def _accent_pixels(pdf: Path, page_number: int, tmp_path: Path) -> int:
    """Render one printed page to an image and count the pixels in the controls' red."""
    stem = tmp_path / f"page-{page_number}"
    _poppler("pdftoppm", "-r", "60", "-f", str(page_number), "-l", str(page_number), "-singlefile", str(pdf), str(stem))
    data = Path(f"{stem}.ppm").read_bytes()
    header = data.split(b"\n", 3)  # P6, width height, 255, pixels
    width, height = map(int, header[1].split())
    pixels = header[3]
    assert len(pixels) == width * height * 3 and width > height / 2
    near = sum(1 for i in range(0, len(pixels), 3)
               if all(abs(pixels[i + k] - ACCENT[k]) < 40 for k in range(3)))
    return near


def test_the_matrix_compares_units_across_provinces_and_a_subset_downloads(page, server, tmp_path):
    _open_study(page, "Ma trận theo đơn vị")
    table = page.locator(".sv-matrix table")
    table.wait_for()
    assert table.locator("thead th").all_inner_texts() == ["Đơn vị", *PROVINCES]
    police = table.locator("tbody tr", has=page.locator("th", has_text="Công an tỉnh"))
    assert police.locator("td").nth(0).locator(".sv-entry").count() == 5
    assert police.locator("td").nth(1).inner_text() == "— (không nêu)"
    keep_screenshot(page, tmp_path, "study-matrix.png")  # the picture the README shows
    page.check("#study-provinces input[value='gia-lai']")
    page.check("#study-topics input[value='nguon-luc']")
    page.wait_for_function("() => document.querySelectorAll('.sv-matrix thead th').length === 2")
    link = page.locator("#study-downloads a[data-format='xlsx']").get_attribute("href")
    assert link == "/api/study/matrix?province=gia-lai&topic=nguon-luc&format=xlsx"
    response = httpx.get(server + link)
    assert response.status_code == 200 and response.headers["content-disposition"].endswith(
        'ma-tran-theo-don-vi-gia-lai-nguon-luc.xlsx"')  # the view, its grouping, the province and topic
    assert page.outside == []


def test_the_overview_of_a_letter_and_a_quote_opens_the_plan(page):
    _open_study(page, "Tổng quan kế hoạch")
    page.select_option("#study-doc", "tuyen-quang-ubnd-thcbks-2024")
    page.locator(".sv-overview h2", has_text="Tuyên Quang").wait_for()
    assert "không chia nhóm nhiệm vụ" in page.locator(".sv-overview").inner_text()
    assert page.locator(".sv-overview .sv-task").count() == 18 + 2  # its tasks, then its two reporting duties
    first = page.locator(".sv-overview .sv-task .sv-words").first
    quoted = first.inner_text().strip("«»")
    first.click()
    mark = page.locator("#viewer-text mark#highlight")
    mark.wait_for()
    assert mark.text_content() == quoted


def test_the_quiz_checks_an_answer_and_shows_the_quote(page, server):
    _open_study(page, "Câu hỏi ôn tập")
    page.fill("#study-count", "6")
    page.fill("#study-seed", "11")
    page.press("#study-seed", "Tab")
    page.wait_for_function("() => document.querySelectorAll('.sq-question').length === 6")
    quiz = httpx.get(f"{server}/api/study/quiz", params={"count": 6, "seed": 11}).json()
    for n, question in enumerate(quiz["questions"]):
        item = page.locator(".sq-question").nth(n)
        if question["choices"]:
            wrong = next(c for c in question["choices"] if c != question["answer"])
            item.locator(f"input[value='{wrong}']").check()
            item.locator(".sq-check").click()
            assert item.locator(".sq-wrong").inner_text() == "✗ Chưa đúng."
            item.locator(f"input[value='{question['answer']}']").check()
        else:
            item.locator(".sq-blank").fill(f"  {question['answer'].upper()} ")
        item.locator(".sq-check").click()
        assert item.locator(".sq-right").inner_text() == "✓ Đúng."
        assert item.locator(".sq-result .sv-words").inner_text() == f"«{question['citation']['quote']}»"


def test_a_printed_study_view_is_clean_a4_pages(page, tmp_path):
    _open_study(page, "Câu hỏi ôn tập")
    page.fill("#study-count", "4")
    page.press("#study-count", "Tab")
    page.wait_for_function("() => document.querySelectorAll('.sq-question').length === 4")
    pdf = tmp_path / "quiz.pdf"
    pages, size, text = _print(page, pdf)
    assert pages == 2 and size.endswith("(A4)")  # the questions, then the answer key on its own page
    questions, key = text.split("\f")[:2]
    assert questions.lstrip().startswith("Đề ôn tập số 1") and key.lstrip().startswith("Đáp án đề ôn tập số 1")
    assert "Họ và tên: ……" in questions and "Đơn vị: ……" in questions
    assert "Trả lời: ………" in questions or " A. " in questions
    assert [word for word in CONTROLS if word in text] == []
    assert _accent_pixels(pdf, 1, tmp_path) == 0 and _accent_pixels(pdf, 2, tmp_path) == 0
    if os.environ.get("ASSISTANT_SCREENSHOT_DIR"):
        _poppler("pdftoppm", "-r", "80", "-f", "1", "-l", "1", "-singlefile", "-png", str(pdf),
                 str(Path(os.environ["ASSISTANT_SCREENSHOT_DIR"]) / "study-print"))


def test_a_printed_matrix_runs_across_a4_pages_with_its_header_on_each(page, tmp_path):
    _open_study(page, "Theo chủ đề Kết luận 57")
    page.locator(".sv-by-topic table").wait_for()
    pdf = tmp_path / "topics.pdf"
    pages, size, text = _print(page, pdf)
    assert size == "841.92 x 594.96 pts (A4)" and pages >= 2  # A4 across the page
    printed = [p for p in text.split("\f") if p.strip()]
    assert len(printed) == pages and all(re.search(r"Chủ đề\s+Bắc Giang\s+Gia Lai", p) for p in printed)
    assert [word for word in CONTROLS if word in text] == []


def test_a_printed_chat_answer_keeps_the_answer_and_quotes_and_drops_the_controls(page, tmp_path):
    turn = ask(page, "Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?")
    quotes = [q.split("\n")[0][:60] for q in turn.locator(".quote").all_inner_texts()]
    pdf = tmp_path / "answer.pdf"
    pages, size, text = _print(page, pdf)
    printed = [p for p in text.split("\f") if p.strip()]
    assert size.endswith("(A4)") and len(printed) == pages  # no blank page
    assert "Hỏi: Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?" in printed[0]
    flat = " ".join(text.split())
    assert "Đơn vị thực hiện: Sở Nội vụ" in flat and all(" ".join(q.split()) in flat for q in quotes)
    assert [word for word in CONTROLS if word in text] == []
    assert all(_accent_pixels(pdf, n, tmp_path) == 0 for n in range(1, pages + 1))


def test_large_text_enlarges_everything_read(page):
    turn = ask(page, "Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?")
    turn.locator(".citation-open").first.click()
    page.locator("#highlight").wait_for()
    page.click("#study-toggle")
    page.locator(".sv-summary .sv-words").first.wait_for()
    page.click("#study-toggle")
    selectors = [".answer", ".quote", ".citation-open", "#viewer-text", "#viewer-title", ".sv-words", ".sv-cite",
                 ".study-tab"]
    size = "(s) => { const e = document.querySelector(s); return parseFloat(getComputedStyle(e).fontSize); }"
    before = {s: page.evaluate(size, s) for s in selectors}
    page.click("#large-text")
    after = {s: page.evaluate(size, s) for s in selectors}
    assert [s for s in selectors if not after[s] >= before[s] * 1.2] == []
