"""The session views on the page, in Debian's chromium against a real server: a new plan
or tab opens at its top, "Trình chiếu" on a 1280×720 projector with "Chữ lớn", every
summary prints on one A4 page, typed answers are folded as the server folds them, and
the pack downloads as one .zip."""

from __future__ import annotations

import io
import subprocess
import zipfile

import httpx
import pytest

from assistant.study.quiz import answer_form

from .browser_fixtures import keep_screenshot, open_page

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
DOCS = ["bac-giang-kh-ubnd-2024", "gia-lai-157-kh-ubnd-2024", "ninh-thuan-kh-ubnd-2024", "quang-ngai-kh-tu",
        "tuyen-quang-ubnd-thcbks-2024"]
SCROLLED = "() => document.querySelector('#study-content').scrollTop"


@pytest.fixture
def projector(browser, server):
    page = open_page(browser, server, 1280, 720)
    yield page
    page.context.close()


def _open(page):
    page.click("#study-toggle")
    page.locator(".sv-summary").wait_for()


def test_a_new_plan_or_tab_opens_at_its_top(page):
    _open(page)
    page.get_by_role("tab", name="Tổng quan kế hoạch").click()
    page.locator(".sv-overview").wait_for()
    page.evaluate("() => { document.querySelector('#study-content').scrollTop = 2300; }")
    assert page.evaluate(SCROLLED) > 1000
    page.select_option("#study-doc", "gia-lai-157-kh-ubnd-2024")
    page.locator(".sv-overview h2", has_text="Gia Lai").wait_for()
    assert page.evaluate(SCROLLED) == 0
    page.evaluate("() => { document.querySelector('#study-content').scrollTop = 800; }")
    page.get_by_role("tab", name="Ma trận theo đơn vị").click()
    page.locator(".sv-by-unit").wait_for()
    assert page.evaluate(SCROLLED) == 0


def test_presenting_on_a_projector_with_large_text_shows_one_part_at_a_time(projector, tmp_path):
    page = projector
    _open(page)
    page.click("#large-text")
    page.get_by_role("tab", name="Tóm tắt một trang").click()
    page.click("#study-present")
    page.locator(".sp-bar").wait_for()
    assert page.locator(".top").is_hidden() and page.locator(".study-controls").is_hidden()
    parts = page.locator("#study-content .sv-part")
    visible = [parts.nth(n).is_visible() for n in range(parts.count())]
    assert visible == [True, False, False, False, False]
    assert page.inner_text(".sp-count") == "1/5"
    top = page.evaluate("() => document.querySelector('.sv-summary h2').getBoundingClientRect().top")
    assert top < 60  # the view starts at the top of the screen, no header above it
    assert page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.sv-item')).fontSize)") >= 20
    width = "() => [document.querySelector('#study-content').scrollWidth, document.querySelector('#study-content').clientWidth]"
    scroll, client = page.evaluate(width)
    assert scroll <= client  # nothing runs off the screen sideways
    page.keyboard.press("ArrowRight")
    assert [parts.nth(n).is_visible() for n in range(parts.count())] == [False, True, False, False, False]
    assert page.inner_text(".sp-count") == "2/5"
    keep_screenshot(page, tmp_path, "study-present.png")
    page.keyboard.press("Escape")
    assert page.locator(".top").is_visible() and page.locator(".sp-bar").count() == 0
    assert all(parts.nth(n).is_visible() for n in range(parts.count()))
    page.get_by_role("tab", name="Ma trận chính").click()
    page.locator(".sv-keymatrix").wait_for()
    page.click("#study-present")
    assert page.evaluate(width)[0] <= page.evaluate(width)[1]  # the key matrix fits 1280 px with large text


@pytest.mark.parametrize("doc_id", DOCS)
def test_each_summary_prints_on_one_a4_page(page, tmp_path, doc_id):
    _open(page)
    page.select_option("#study-doc", doc_id)
    page.wait_for_function("(id) => document.querySelector('.sv-summary') && "
                           "document.querySelector('#study-doc').value === id", arg=doc_id)
    page.locator(".sv-summary h2").wait_for()
    pdf = tmp_path / "summary.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info


def test_typed_answers_are_folded_as_the_server_folds_them(page):
    samples = ["hàng năm", "Hằng năm.", "quí", "quý", "Kĩ thuật", "kỹ thuật", "hay", "hai", "uy tín",
               " «Định kỳ hàng quý» ", "lý luận", "LÍ LUẬN"]
    folded = page.evaluate("async (texts) => { const m = await import('/static/study-quiz.js'); "
                           "return texts.map((t) => m.answerForm(t)); }", samples)
    assert folded == [answer_form(text) for text in samples]
    assert folded[0] == folded[1] and folded[2] == folded[3] and folded[6] != folded[7]


def test_the_pack_link_downloads_the_chosen_provinces_as_one_zip(page, server):
    _open(page)
    page.get_by_role("tab", name="Ma trận chính").click()
    page.locator("#study-provinces input[value='gia-lai']").check()
    page.locator("#study-provinces input[value='tuyen-quang']").check()
    href = page.get_attribute("#study-pack", "href")
    assert href == "/api/study/pack?province=gia-lai&province=tuyen-quang"
    archive = zipfile.ZipFile(io.BytesIO(httpx.get(server + href, timeout=120).content))
    assert archive.namelist()[:3] == ["goi-hoc-tap-gia-lai-tuyen-quang/tom-tat-gia-lai.docx",
                                      "goi-hoc-tap-gia-lai-tuyen-quang/tom-tat-tuyen-quang.docx",
                                      "goi-hoc-tap-gia-lai-tuyen-quang/ma-tran-chinh.docx"]
    assert page.get_attribute("#study-slides", "href") == "/api/study/slides?province=gia-lai&province=tuyen-quang"
