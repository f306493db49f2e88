"""The HTML evaluation report opened in Debian's chromium: it loads nothing from
anywhere, and each of its four plots is drawn (bars in the project's colours)."""

from __future__ import annotations

import copy
import io

import numpy as np
import pytest
from PIL import Image

from assistant.evaluation.html_report import render_html

from .test_report import RECORDS, _result

pytestmark = pytest.mark.browser

ASSISTANT_RED, BASELINE_GREY = (163, 22, 26), (154, 163, 176)


def _pixels_of(png: bytes, colour: tuple[int, int, int]) -> int:
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    return int((np.abs(pixels - np.array(colour)).max(axis=2) <= 8).sum())


def test_the_html_report_renders_its_plots_offline(browser, tmp_path):
    report = tmp_path / "latest.html"
    records = copy.deepcopy(RECORDS)
    records[0]["baseline"].update(correct=True, correct_lenient=True, evidence_rank=1)  # a grey bar to see
    report.write_text(render_html(_result(records)), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report.as_uri())
    assert requests == [report.as_uri()]  # the page itself, nothing else
    for name, baseline_drawn in [("plot-baseline", True), ("plot-type", True), ("plot-variant", True),
                                 ("plot-latency", False)]:
        plot = page.locator(f"#{name} svg")
        box = plot.bounding_box()
        assert box["width"] > 300 and box["height"] > 150, name
        png = plot.screenshot()
        assert _pixels_of(png, ASSISTANT_RED) > 1000, name  # bars, not just the legend's swatch
        assert (_pixels_of(png, BASELINE_GREY) > 1000) is baseline_drawn, name
    assert page.locator("#plot-type-title").inner_text() == "Trả lời đúng theo loại câu hỏi"
    assert page.locator("article.miss").count() == 3
    page.close()
