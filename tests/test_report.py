"""The report pieces on hand-made records: the markdown and HTML reports, the plots,
`--compare`, the metric definitions and the run's provenance."""

import json
import re
import subprocess

import pytest

from assistant.errors import AssistantError
from assistant.evaluation import provenance
from assistant.evaluation.compare import compare, load_result
from assistant.evaluation.definitions import METRICS, fmt, fmt_delta
from assistant.evaluation.html_report import render_html
from assistant.evaluation.report import render
from assistant.evaluation.run import summarise

QUOTE = "1.1. Kịp thời khen thưởng các tổ chức.\n- Đơn vị thực hiện: Sở Nội vụ."


def _record(id_, correct, *, type_="who", variant="plain", answer="Đơn vị thực hiện: Sở Nội vụ", found=True,
            took=40.0, question=None, **extra) -> dict:
    answerable = type_ != "unanswerable"
    return {
        "id": id_, "question": question or f"Câu hỏi {id_}?", "type": type_, "variant": variant, "province": None,
        "answers": ["Sở Nội vụ", ["Sở Tài chính", "STC"]] if answerable else [],
        "evidence": ["Đơn vị thực hiện: Sở Nội vụ"] if answerable else [], "answerable": answerable,
        "found": found, "answer": answer, "took_ms": took, "embed_ms": 30.0,
        "citations": [{"doc_id": "ninh-thuan-test", "section": "II › 1 › 1.1", "start": 10, "end": 10 + len(QUOTE),
                       "quote": QUOTE}] if found else [],
        "verbatim": [True] if found else [], "evidence_rank": 1 if correct else None,
        "evidence_recall": 1.0 if correct else 0.0,
        "correct": correct, "correct_lenient": correct, "correct_all_items": correct,
        "baseline": {"evidence_rank": None, "evidence_recall": 0.0, "correct": False, "correct_lenient": False,
                     "correct_all_items": False, "verbatim": [True], "answer_chars": 900},
        **extra,
    }


def _result(records: list[dict], run_at="2026-12-01T10:00:00+00:00", commit="a" * 40) -> dict:
    return {"run_at": run_at, "questions_file": "eval/questions.jsonl",
            "selection": {"types": [], "variants": [], "limit": None, "baseline": True},
            "code": {"git_commit": commit, "git_dirty": False, "package_hash": "0123456789abcdef",
                     "python": "3.11.7", "machine": "Linux x86_64"},
            "settings": {"chunk_size": "900"}, "index_manifest": {"model": "m", "documents": 2, "chunks": 9},
            "summary": summarise(records), "records": records}


RECORDS = [
    _record("q1", True, took=35.0),
    _record("q2", False, type_="list", variant="followup", answer="Dòng một: Sở Nội vụ\nDòng hai: hết.",
            history=["Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?"], interpreted_as="Câu hỏi đầy đủ q2?"),
    _record("q3", False, type_="unanswerable", answer="Kinh phí: 5 tỷ đồng"),
    _record("q4", False, found=False, answer="Không tìm thấy thông tin này trong các văn bản hiện có.", took=80.0),
]


def test_every_metric_has_a_one_line_definition_and_vietnamese_formats():
    assert all(m.definition and "\n" not in m.definition and m.definition.endswith(".") for m in METRICS)
    assert (fmt(0.8889), fmt(55.4, "ms"), fmt(107.0, "ký tự"), fmt(None)) == ("88,9%", "55 ms", "107", "—")
    assert (fmt_delta(0.5, 0.625), fmt_delta(50.0, 42.0, "ms"), fmt_delta(None, 1)) == ("+12,5 điểm %", "-8 ms", "—")
    assert (fmt_delta(102.0, 102.5, "ký tự"), fmt_delta(55.4, 634.0, "ms")) == ("+0,5", "+578,6 ms")


def test_the_markdown_report_defines_each_figure_beside_the_baseline():
    report = render(_result(RECORDS))
    assert report.startswith("# Kết quả đánh giá 2026-12-01T10:00:00+00:00\n")
    assert "Phiên bản mã: commit aaaaaaaaaaaa; mã băm gói `0123456789abcdef`" in report
    assert ("| Trả lời đúng (nghiêm) | 33,3% | 0,0% | Câu có lời đáp được trả lời, chứa đáp án mong đợi: "
            "mọi mục với câu liệt kê và so sánh, một mục với các loại khác. |") in report
    assert "| list (liệt kê) | 1 | 0,0% · 0,0% |" in report
    assert "| followup (hỏi tiếp (có câu trước)) | 1 |" in report


def test_a_miss_shows_the_question_expected_evidence_full_answer_and_first_citation():
    report = render(_result(RECORDS))
    miss = report.split("### `q2` · list · followup: trả lời sai; không có bằng chứng trong 5 trích dẫn đầu\n")[1]
    miss = miss.split("\n\n### ")[0]
    assert miss.splitlines()[1:] == [
        "- **Câu hỏi:** Câu hỏi q2?",
        "- **Các câu trước:** «Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?»",
        "- **Hiểu là:** Câu hỏi đầy đủ q2?",
        "- **Đáp án mong đợi:** «Sở Nội vụ»; «Sở Tài chính» hoặc «STC»",
        "- **Còn thiếu:** «Sở Tài chính» hoặc «STC»",
        "- **Bằng chứng:**",
        "  > Đơn vị thực hiện: Sở Nội vụ",
        "- **Câu trả lời:**",
        "  > Dòng một: Sở Nội vụ",
        "  > Dòng hai: hết.",
        "- **Trích dẫn đầu:** `ninh-thuan-test` · mục II › 1 › 1.1 · ký tự 10–79",
        "  > 1.1. Kịp thời khen thưởng các tổ chức.",
        "  > - Đơn vị thực hiện: Sở Nội vụ.",
    ]
    assert "### `q3` · unanswerable · plain: trả lời câu không có lời đáp" in report
    assert "- **Mong đợi:** từ chối (văn bản không có thông tin này)" in report
    assert "### `q4` · who · plain: từ chối nhầm" in report and "### `q1`" not in report


def test_the_html_report_is_self_contained_escaped_and_has_four_plots():
    records = RECORDS + [_record("q5", False, question="<script>alert(1)</script> Ai ký?")]
    page = render_html(_result(records))
    assert page.startswith("<!doctype html>") and "<script" not in page.replace("&lt;script", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ai ký?" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)  # nothing fetched when opened
    assert not re.search(r"xlink:href=\"(?!#)", page)
    for name in ("plot-baseline", "plot-type", "plot-variant", "plot-latency"):
        figure = page.split(f'<figure id="{name}">')[1].split("</figure>")[0]
        assert figure.count("<svg ") == 1 and f'aria-labelledby="{name}-title"' in figure
    assert page.count('<article class="miss"') == 4
    assert '<table id="by-type">' in page and '<table id="by-variant">' in page


def test_the_plots_draw_the_figures_they_are_given():
    page = render_html(_result(RECORDS))
    by_type = page.split('<figure id="plot-type">')[1].split("</figure>")[0]
    # bar labels are text in the SVG, one series after the other over the groups list, unanswerable, who
    labels = re.findall(r">(\d+%|—)<", by_type)
    assert labels == ["0%", "0%", "50%", "0%", "—", "50%", "0%", "0%", "0%"]
    assert "who (ai, đơn vị nào) n=2" in by_type and "từ chối đúng" in by_type
    latency = page.split('<figure id="plot-latency">')[1].split("</figure>")[0]
    assert "trung vị: 40 ms" in latency and "phân vị 95: 80 ms" in latency


def test_compare_prints_changed_conditions_figures_and_flipped_items(tmp_path):
    before = _result(RECORDS)
    after_records = [_record("q1", False, answer="Sở Tài chính"), *RECORDS[1:3],
                     _record("q4", True), _record("q9", True)]
    after = _result(after_records, run_at="2026-12-02T10:00:00+00:00", commit="b" * 40)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "latest.json").write_text(json.dumps(before), encoding="utf-8")
    text = compare(load_result(tmp_path / "a"), after, "a", "b")
    assert text.startswith("So sánh hai lần chạy: A = a, B = b\n")
    assert f"- commit: {'a' * 40} → {'b' * 40}" in text and "- chạy lúc: " in text
    assert "- thiết lập chunk_size" not in text  # unchanged conditions are not listed
    assert "| Trả lời đúng (nghiêm) | 33,3% | 50,0% | +16,7 điểm % (tốt hơn) | 0,0% | 0,0% |" in text
    assert "| Từ chối nhầm | 33,3% | 0,0% | -33,3 điểm % (tốt hơn) |" in text
    assert "## Câu đổi kết quả: 1 sai → đúng, 1 đúng → sai" in text
    fixed, broken = text.split("### Sai → đúng\n")[1].split("### Đúng → sai\n")
    assert fixed.splitlines()[1:4] == ["- `q4` (who, plain) Câu hỏi q4?", "  A: từ chối",
                                       "  B: «Đơn vị thực hiện: Sở Nội vụ»"]
    assert broken.splitlines()[1:4] == ["- `q1` (who, plain) Câu hỏi q1?", "  A: «Đơn vị thực hiện: Sở Nội vụ»",
                                       "  B: «Sở Tài chính»"]
    assert "Chỉ có ở A: 0 câu; chỉ có ở B: 1 câu (q9)." in text
    assert "cùng câu trả lời" not in text  # both flips changed their answers


def test_compare_says_when_a_flip_comes_from_the_scoring_not_the_answer():
    before = _result([_record("q1", True)])
    after = _result([_record("q1", False)])  # the same answer, now scored wrong
    assert "  (cùng câu trả lời: kết quả đổi vì cách chấm hoặc đáp án mong đợi đổi)" in compare(before, after)


def test_compare_says_what_it_cannot_read(tmp_path):
    with pytest.raises(AssistantError, match="không đọc được kết quả .*latest.json"):
        load_result(tmp_path)
    (tmp_path / "x.json").write_text('{"a": 1}', encoding="utf-8")
    with pytest.raises(AssistantError, match="không phải kết quả của assistant eval"):
        load_result(tmp_path / "x.json")


def test_the_package_hash_follows_every_code_file(tmp_path):
    package = tmp_path / "pkg"
    (package / "web").mkdir(parents=True)
    (package / "a.py").write_text("x = 1\n")
    (package / "web" / "app.js").write_text("let a;\n")
    first = provenance.package_hash(package)
    (package / "notes.txt").write_text("not code")
    assert provenance.package_hash(package) == first
    (package / "web" / "app.js").write_text("let b;\n")
    assert provenance.package_hash(package) != first


def test_the_git_commit_is_read_when_there_is_a_checkout(tmp_path):
    assert provenance.git_commit(tmp_path) is None  # not a checkout
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "f.txt").write_text("1")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "add", "f.txt"], check=True)
    subprocess.run([*git, "commit", "-qm", "one"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    assert provenance.git_commit(tmp_path) == {"commit": head, "dirty": False}
    (tmp_path / "f.txt").write_text("2")
    assert provenance.git_commit(tmp_path) == {"commit": head, "dirty": True}
