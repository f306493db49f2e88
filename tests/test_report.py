"""The report pieces on hand-made records: the markdown and HTML reports, the plots,
`--compare`, the metric definitions and the run's provenance."""

import base64
import copy
import hashlib
import re
import subprocess

import pytest

from assistant.errors import AssistantError
from assistant.evaluation import provenance
from assistant.evaluation.definitions import METRICS, fmt, fmt_delta
from assistant.evaluation.html_report import render_html
from assistant.evaluation.report import render
from assistant.evaluation.figures import summarise

QUOTE = "1.1. Kịp thời khen thưởng các tổ chức.\n- Đơn vị thực hiện: Sở Nội vụ."


def _record(id_, correct, *, type_="who", variant="plain", answer="Đơn vị thực hiện: Sở Nội vụ", found=True,
            took=40.0, question=None, **extra) -> dict:
    answerable = type_ != "unanswerable"
    return {
        "id": id_, "question": question or f"Câu hỏi {id_}?", "type": type_, "variant": variant, "province": None,
        "answers": ["Sở Nội vụ", ["Sở Tài chính", "STC"]] if answerable else [],
        "evidence": ["Đơn vị thực hiện: Sở Nội vụ"] if answerable else [], "answerable": answerable,
        "found": found, "answer": answer, "took_ms": took, "embed_ms": 30.0,
        "confidence": ("high" if correct else "low") if found else "",
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


def test_the_markdown_report_defines_each_figure_with_its_interval_beside_the_baseline():
    report = render(_result(RECORDS))
    assert report.startswith("# Kết quả đánh giá 2026-12-01T10:00:00+00:00\n")
    assert "Phiên bản mã: commit aaaaaaaaaaaa; mã băm gói `0123456789abcdef`" in report
    # 1 of 3 answerable right: Wilson 95%, z = 1.96: centre (1/3 + z²/6) / (1 + z²/3) = 0.4269,
    # half-width z·√(2/27 + z²/36) / (1 + z²/3) = 0.3654, so 6.1–79.2%; the baseline's 0 of 3:
    # 0 to z² / (3 + z²) = 56.1%
    assert ("| Trả lời đúng (nghiêm) | 33,3% (6,1–79,2; 1/3) | 0,0% (0,0–56,1; 0/3) | Câu có lời đáp được trả lời, "
            "chứa đáp án mong đợi: mọi mục với câu liệt kê và so sánh, một mục với các loại khác. |") in report
    assert "| Độ phủ bằng chứng (recall@5) | 33,3% | 0,0% |" in report  # a mean: no interval
    # a group of one: 0 of 1 is 0–79.3% (z² / (1 + z²)), and the group is marked small
    assert ("| list (liệt kê) | 1 (nhóm nhỏ) | 1 | 0,0% (0,0–79,3) | 0,0% (0,0–79,3) | — | 0,0% (0,0–79,3) "
            "| 0,0% (0,0–79,3) | 0,0% (0,0–79,3) | 0,0% (0,0–79,3) |") in report
    assert "| followup (hỏi tiếp (có câu trước)) | 1 (nhóm nhỏ) | 1 |" in report
    for title in ("Theo loại câu hỏi", "Theo cách diễn đạt", "Theo tỉnh"):
        assert f"\n## {title}\n" in report
    assert "## Theo văn bản" not in report  # these records predate documents and formats


def test_the_report_breaks_down_by_province_document_and_format():
    records = [_record("p1", True, province="gia-lai", docs=["gia-lai-157"], formats=["pdf"]),
               _record("p2", False, province="gia-lai", docs=["gia-lai-157"], formats=["pdf"]),
               _record("p3", True, docs=["gia-lai-157", "bac-giang-kh"], formats=["docx", "pdf"]),
               _record("p4", True, type_="unanswerable", found=False, docs=[], formats=[])]
    summary = summarise(records)
    assert [k for k in summary if k.split(":")[0] in ("province", "document", "format")] == [
        "province:gia-lai", "province:(none)", "document:gia-lai-157", "document:(none)", "document:(several)",
        "format:pdf", "format:(none)", "format:(several)"]
    assert summary["province:gia-lai"]["proportions"]["answer_accuracy"] == {
        "successes": 1, "total": 2, "rate": 0.5, "low": pytest.approx(0.0945, abs=1e-4),
        "high": pytest.approx(0.9055, abs=1e-4), "small": True}
    report = render(_result(records))
    assert "| gia-lai (Gia Lai) | 2 (nhóm nhỏ) | 2 | 50,0% (9,5–90,5) |" in report
    assert "| (không về riêng một tỉnh) | 2 (nhóm nhỏ) | 1 | 100,0% (20,7–100,0) |" in report
    assert "| (nhiều văn bản) | 1 (nhóm nhỏ) |" in report and "| pdf (PDF có lớp chữ) | 2 (nhóm nhỏ) |" in report


def test_the_report_says_whether_the_set_was_tuned_on_and_on_what_machine_it_ran():
    result = _result(RECORDS)
    assert "> **Bộ câu hỏi không khai báo đã dùng để điều chỉnh hay chưa" in render(result)
    result["question_set"] = {"tuned_on": True, "role": "phát triển", "note": "Dùng khi phát triển."}
    result["context"] = {"wall_seconds": 125.4,
                         "start": {"cpu_count": 2, "cpus_usable": 2, "load_average": [8.61, 8.7, 8.8]},
                         "end": {"cpu_count": 2, "cpus_usable": 2, "load_average": [9.0, 8.75, 8.8]}}
    report = render(result)
    assert report.split("\n")[2] == ("> **Bộ câu hỏi đã dùng để điều chỉnh: số liệu lạc quan. "
                                     "Dùng khi phát triển.**")
    assert ("- Máy: 2 nhân CPU (tiến trình dùng được 2); tải trung bình 1 / 5 / 15 phút lúc bắt đầu "
            "8,61 / 8,70 / 8,80, lúc kết thúc 9,00 / 8,75 / 8,80; chạy hết 2 phút 5 giây") in report
    result["question_set"] = {"tuned_on": False}
    assert "điều chỉnh" not in render(result).split("## Các chỉ số")[0]


def test_embedding_longer_than_its_ask_is_reported_as_inconsistent():
    consistent = render(_result(RECORDS))  # embed 30 ms, ask 35–80 ms
    assert "- Kiểm tra nhất quán: thời gian nhúng không vượt thời gian trả lời ở câu nào (4 câu có đo thời gian)." \
        in consistent
    records = [_record("q1", True, took=20.0), *RECORDS[1:]]  # embed 30 ms measured apart from a 20 ms ask
    report = render(_result(records))
    assert ("- **Không nhất quán:** thời gian nhúng lớn hơn thời gian trả lời ở 1/4 câu (q1): hai thời gian này "
            "được đo tách rời, không đọc thời gian nhúng như một phần của thời gian trả lời.") in report
    assert summarise(records)["consistency"] == {"items": 4, "embed_exceeds_ask": ["q1"], "p50_ok": True,
                                                 "ok": False}


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


def test_the_html_report_is_self_contained_escaped_and_has_five_plots():
    records = RECORDS + [_record("q5", False, question="<script>alert(1)</script> Ai ký?")]
    page = render_html(_result(records))
    assert page.startswith("<!doctype html>") and page.count("<script") == 1  # the items table's filters
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ai ký?" in page
    # the page's policy lets nothing load and runs only that script, by its hash
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page).group(1)
    script = page.split("<script>")[1].split("</script>")[0]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert policy == f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{digest}'"
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)  # nothing fetched when opened
    assert not re.search(r"xlink:href=\"(?!#)", page)
    for name in ("plot-baseline", "plot-type", "plot-variant", "plot-province", "plot-latency"):
        figure = page.split(f'<figure id="{name}">')[1].split("</figure>")[0]
        assert figure.count("<svg ") == 1 and f'aria-labelledby="{name}-title"' in figure
    assert page.count('<article class="miss"') == 4
    assert '<table id="by-type">' in page and '<table id="by-variant">' in page and '<table id="by-province">' in page


def test_the_items_table_lists_every_item_failures_first_with_expected_and_given():
    page = render_html(_result(RECORDS))
    table = page.split('<table id="items">')[1].split("</table>")[0]
    rows = re.findall(r'<tr class="(wrong|right)" data-verdict="(\w+)" data-type="(\w+)"[^>]*>(.*?)</tr>', table, re.S)
    assert [(cls, verdict, type_) for cls, verdict, type_, _ in rows] == [
        ("wrong", "sai", "list"), ("wrong", "sai", "unanswerable"), ("wrong", "sai", "who"), ("right", "đúng", "who")]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", rows[0][3], re.S)
    assert cells[0] == '<code><a href="#miss-q2">q2</a></code><br><small>list · followup</small>'
    assert cells[1] == ("Câu hỏi q2?<br><small>sau: «Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?»</small>"
                        "<br><small>hiểu là: Câu hỏi đầy đủ q2?</small>")
    assert cells[2] == "«Sở Nội vụ»; «Sở Tài chính» hoặc «STC»"
    assert cells[3] == '<div class="given">Dòng một: Sở Nội vụ\nDòng hai: hết.</div>'
    assert cells[4:] == ["chưa chắc chắn", "<strong>sai</strong><br><small>trả lời sai</small><br><small>không có "
                         "bằng chứng trong 5 trích dẫn đầu</small>", "40 ms"]
    last = re.findall(r"<td[^>]*>(.*?)</td>", rows[3][3])
    assert last[0] == "<code>q1</code><br><small>who · plain</small>" and last[4:] == ["cao", "<strong>đúng</strong>",
                                                                                      "35 ms"]
    assert "Mọi câu (4; 3 sai, xếp trước)" in page


def test_the_plots_draw_the_figures_they_are_given_with_their_intervals():
    records = copy.deepcopy(RECORDS)
    for r, took in zip(records, (900.0, 1000.0, 1100.0, 1200.0)):
        r["baseline"]["took_ms"] = took
    page = render_html(_result(records))
    by_type = page.split('<figure id="plot-type">')[1].split("</figure>")[0]
    # bar labels are text in the SVG, one series after the other over the groups list, unanswerable, who
    labels = re.findall(r">(\d+%|—)<", by_type)
    assert labels == ["0%", "0%", "50%", "0%", "—", "50%", "0%", "0%", "0%"]
    assert "who (ai, đơn vị nào) n=2, nhóm nhỏ" in by_type and "từ chối đúng" in by_type
    assert by_type.count('<g id="LineCollection_') == 3  # an error bar collection per series
    latency = page.split('<figure id="plot-latency">')[1].split("</figure>")[0]
    assert "trung vị: 40 ms" in latency and "phân vị 95: 80 ms" in latency and "cơ sở, trung vị: 1050 ms" in latency


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
