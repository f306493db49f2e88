"""The HTML evaluation report and the compare page opened in Debian's chromium: they
load nothing from anywhere, each plot is drawn (bars in the project's colours), the
items table filters as an evaluator types and picks, and the compare page shows its
warning and verdict."""

from __future__ import annotations

import copy
import io

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from assistant.evaluation.compare import write_comparison
from assistant.evaluation.html_report import render_html

from .test_report import RECORDS, _record, _result

pytestmark = pytest.mark.browser

ASSISTANT_RED, BASELINE_GREY = (163, 22, 26), (154, 163, 176)


def _pixels_of(png: bytes, colour: tuple[int, int, int]) -> int:
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    return int((np.abs(pixels - np.array(colour)).max(axis=2) <= 8).sum())


def _open(browser, path):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    requests, problems = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(path.as_uri())
    return page, requests, problems


def test_the_html_report_renders_its_plots_offline(browser, tmp_path):
    report = tmp_path / "latest.html"
    records = copy.deepcopy(RECORDS)
    records[0]["baseline"].update(correct=True, correct_lenient=True, evidence_rank=1)  # a grey bar to see
    report.write_text(render_html(_result(records)), encoding="utf-8")
    page, requests, problems = _open(browser, report)
    assert requests == [report.as_uri()] and problems == []  # the page itself, nothing else, no CSP refusal
    for name, baseline_drawn in [("plot-baseline", True), ("plot-type", True), ("plot-variant", True),
                                 ("plot-province", True), ("plot-latency", False)]:
        plot = page.locator(f"#{name} svg")
        box = plot.bounding_box()
        assert box["width"] > 300 and box["height"] > 150, name
        png = plot.screenshot()
        assert _pixels_of(png, ASSISTANT_RED) > 1000, name  # bars, not just the legend's swatch
        assert (_pixels_of(png, BASELINE_GREY) > 1000) is baseline_drawn, name
    assert page.locator("#plot-type-title").inner_text() == "Trả lời đúng theo loại câu hỏi"
    assert page.locator("article.miss").count() == 3
    page.close()


def test_the_items_table_filters_by_text_without_accents_and_by_each_select(browser, tmp_path):
    report = tmp_path / "latest.html"
    records = [*RECORDS, _record("q5", True, question="Ninh Thuận giao ai khen thưởng?", province="ninh-thuan"),
               _record("q6", False, question="Ninh Thuận báo cáo khi nào?", type_="when", province="ninh-thuan")]
    report.write_text(render_html(_result(records)), encoding="utf-8")
    page, _, problems = _open(browser, report)
    rows = page.locator("#items tbody tr:not([hidden])")
    count = page.locator("#item-count")
    assert page.locator("#item-filters").is_visible() and count.inner_text() == "Đang hiện 6 / 6 câu"
    # failures first, in file order, then the right answers
    assert rows.locator("td:first-child a, td:first-child code:not(:has(a))").all_inner_texts() == [
        "q2", "q3", "q4", "q6", "q1", "q5"]
    page.fill("#item-search", "ninh thuan")  # typed without accents; q2 names it in its earlier question
    assert count.inner_text() == "Đang hiện 3 / 6 câu"
    page.select_option("#item-filters select[name=verdict]", "sai")
    assert rows.locator("td:first-child a").all_inner_texts() == ["q2", "q6"]
    page.fill("#item-search", "ninh thuan bao cao")  # every word typed
    assert rows.locator("td:first-child a").all_inner_texts() == ["q6"]
    page.locator("#item-filters button[type=reset]").click()
    expect(count).to_have_text("Đang hiện 6 / 6 câu")  # reset applies after the form has cleared
    page.select_option("#item-filters select[name=type]", "unanswerable")
    assert rows.locator("td:first-child a").all_inner_texts() == ["q3"]
    page.select_option("#item-filters select[name=type]", "")
    page.select_option("#item-filters select[name=confidence]", "high")
    assert rows.locator("td:first-child code").all_inner_texts() == ["q1", "q5"]
    page.locator("#items tbody tr:not([hidden]) td:first-child").first.screenshot()  # drawn, not just in the DOM
    assert problems == []
    page.close()


def test_without_scripts_the_whole_items_table_still_shows(browser, tmp_path):
    report = tmp_path / "latest.html"
    report.write_text(render_html(_result(RECORDS)), encoding="utf-8")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(report.as_uri())
    assert page.locator("#items tbody tr").count() == 4 and page.locator("#items tbody tr:visible").count() == 4
    assert not page.locator("#item-filters").is_visible()  # filters that could not work are not offered
    context.close()


def test_the_compare_page_shows_its_warning_and_verdict_offline(browser, tmp_path):
    a = _result(RECORDS)
    b = _result([*RECORDS[:3], _record("q9", True)], commit="b" * 40)
    write_comparison(a, b, "a", "b", tmp_path, allow_different=True)
    page, requests, problems = _open(browser, tmp_path / "compare.html")
    assert requests == [(tmp_path / "compare.html").as_uri()] and problems == []
    warning = page.locator("#different")
    assert warning.is_visible() and warning.bounding_box()["y"] < 60  # the first thing on the page
    assert warning.inner_text().startswith("Cảnh báo: hai lần chạy đo trên những thứ khác nhau: bộ câu hỏi khác nhau")
    assert page.locator("#verdict strong").inner_text() == "không khác biệt có ý nghĩa"
    assert page.locator("#figures tbody tr").count() == 20  # every figure (with the lead's), then the item counts
    page.close()
