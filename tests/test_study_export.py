"""Handouts exported to .docx, .xlsx and Markdown, opened again and read back."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook

from assistant.errors import UnsupportedFormatError
from assistant.ingest.documents import read_corpus
from assistant.study import StudyCorpus, deadlines_view, overview, quiz, topic_matrix, unit_matrix
from assistant.study.export import check_format, export
from assistant.study.handouts import deadlines_handout, matrix_handout, overview_handout, quiz_handout

ROOT = Path(__file__).resolve().parents[1]
PROVINCES = ["Bắc Giang", "Gia Lai", "Ninh Thuận", "Quảng Ngãi", "Tuyên Quang"]


@pytest.fixture(scope="module")
def corpus() -> StudyCorpus:
    return StudyCorpus(read_corpus(ROOT / "corpus")[0])


@pytest.fixture(scope="module")
def matrix(corpus):
    return matrix_handout(unit_matrix(corpus), deadlines_view(corpus), corpus)


def _docx(handout):
    return Document(BytesIO(export(handout, "docx")))


def _paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_the_matrix_docx_is_a4_across_with_a_table_and_a_citation_under_each_item(corpus, matrix):
    document = _docx(matrix)
    section = document.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (297, 210)
    assert _paragraphs(document)[0] == "Ma trận phân công nhiệm vụ theo đơn vị"
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Đơn vị", *PROVINCES]
    assert len(table.rows) == 1 + len(unit_matrix(corpus).rows)
    police = next(r for r in table.rows if r.cells[0].text == "Công an tỉnh")
    lines = [p.text for p in police.cells[1].paragraphs]
    # the task from its action on: not «Chủ trì, …»
    assert lines[0].startswith("Chủ trì, thực hiện, mục VI › 8 «hướng dẫn, kiểm tra việc chấp hành")
    assert lines[1].startswith("Nguồn: mục VI › 8, ký tự ")
    assert [p.text for p in police.cells[2].paragraphs] == ["— (không nêu)"]


def test_the_overview_docx_has_vietnamese_headings_and_cites_every_quote(corpus):
    document = _docx(overview_handout(overview(corpus, "ninh-thuan-kh-ubnd-2024"), corpus))
    section = document.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:4] == ["Thông tin văn bản", "Mục đích, yêu cầu", "Nhiệm vụ, giải pháp",
                            "1. Công tác quán triệt, tuyên truyền, phổ biến thông tin và triển khai thực hiện Nghị quyết"]
    assert "Tổ chức thực hiện" in headings and "Báo cáo, sơ kết, tổng kết" in headings
    paragraphs = _paragraphs(document)
    task = paragraphs.index(next(p for p in paragraphs if p.startswith("Mục II › 2 › 2.3 «Kịp thời khen thưởng")))
    assert paragraphs[task + 1].startswith("Nguồn: Kế hoạch của UBND tỉnh Ninh Thuận, tháng 8/2024 (chưa ghi số), mục II › 2 › 2.3, ký tự 6960–7299")
    assert paragraphs[task + 2] == "Chủ trì, thực hiện «Sở Nội vụ»"
    quoted = [n for n, p in enumerate(paragraphs) if "«" in p]
    assert len(quoted) > 60 and all(paragraphs[n + 1].startswith("Nguồn: ") for n in quoted)
    groups = [n for n, p in enumerate(document.paragraphs) if p.style.name == "Heading 2" and p.text[0].isdigit()]
    assert len(groups) == 5 and all(paragraphs[n + 1].startswith("Nguồn: ") for n in groups)


def test_the_matrix_xlsx_has_the_matrix_and_the_deadlines_one_sheet_each(corpus, matrix):
    workbook = load_workbook(BytesIO(export(matrix, "xlsx")))
    assert workbook.sheetnames == ["Ma trận", "Thời hạn"]
    sheet = workbook["Ma trận"]
    assert [c.value for c in sheet[1]] == ["Đơn vị", *PROVINCES]
    assert sheet.max_row == 1 + len(unit_matrix(corpus).rows) and sheet.freeze_panes == "B2"
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert rows["Sở Nội vụ"][3].value.startswith("Chủ trì, thực hiện, mục II › 2 › 2.3: «Kịp thời khen thưởng")
    assert rows["Sở Nội vụ"][2].value == "— (không nêu)"
    deadlines = workbook["Thời hạn"]
    assert [c.value for c in deadlines[1]] == ["Tỉnh", "Loại", "Mục", "Nội dung", "Thời hạn", "Đơn vị thực hiện",
                                               "Báo cáo, gửi tới"]
    bac_giang = [[c.value for c in row] for row in deadlines.iter_rows(min_row=2) if row[2].value == "VI › 12"]
    assert bac_giang[0][:3] == ["Bắc Giang", "Báo cáo", "VI › 12"]
    assert bac_giang[0][4].startswith("«Định kỳ trước ngày 15/11 hằng năm»\n(Nguồn: Kế hoạch của UBND tỉnh Bắc Giang, tháng 7/2024 (chưa ghi số)")
    assert deadlines.max_row == 1 + len(deadlines_view(corpus).deadlines)


def test_the_quiz_exports_questions_then_a_separate_answer_key(corpus):
    view = quiz(corpus, 6, 4)
    handout = quiz_handout(view, corpus)
    text = export(handout, "md").decode("utf-8")
    questions, answers = text.split("## Đáp án đề số 4")
    assert "Họ và tên: …" in questions and "Đơn vị: …" in questions and "Đề số 4: 6 câu hỏi" in questions
    assert "seed" not in text
    for question in view.questions:
        assert question.question in questions and question.citation.quote.split("\n")[0] in answers
        assert f"«{question.citation.quote}»" not in questions
    workbook = load_workbook(BytesIO(export(handout, "xlsx")))
    assert workbook.sheetnames == ["Câu hỏi", "Đáp án"]
    letters = ["ABCD"[q.choices.index(q.answer)] + ". " if q.choices else "" for q in view.questions]
    assert [c.value for c in workbook["Đáp án"]["B"][1:]] == [f"{n}{q.answer}" for n, q in zip(letters, view.questions)]
    assert any(letters)  # multiple-choice answers carry their letter
    document = _docx(handout)
    assert "Đáp án đề số 4" in [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    sheet, key = export(quiz_handout(view, corpus, "questions"), "md"), export(quiz_handout(view, corpus, "key"), "md")
    assert b"## \xc4\x90\xc3\xa1p \xc3\xa1n" not in sheet and b"Tr\xc3\xadch d\xe1\xba\xabn" not in sheet
    assert all(f"«{q.citation.quote.split(chr(10))[0]}".encode() in key for q in view.questions)


def test_topic_matrix_and_deadlines_export_in_every_format(corpus):
    for handout in (matrix_handout(topic_matrix(corpus), deadlines_view(corpus), corpus),
                    deadlines_handout(deadlines_view(corpus), corpus)):
        markdown = export(handout, "md").decode("utf-8")
        assert markdown.startswith(f"# {handout.title}\n")
        assert _docx(handout).paragraphs[0].text == handout.title
        assert load_workbook(BytesIO(export(handout, "xlsx"))).sheetnames[-1] == "Thời hạn"
    topics = _docx(matrix_handout(topic_matrix(corpus), deadlines_view(corpus), corpus)).tables[0]
    assert [r.cells[0].text for r in topics.rows][1:] == [
        "Quán triệt, tuyên truyền", "Phối hợp, quản lý nhà nước", "Đổi mới nội dung, phương thức",
        "Đấu tranh phản bác thông tin sai trái", "Nguồn lực"]
    assert topics.rows[1].cells[5].text == "— (không nêu)"


def test_an_unknown_format_is_refused():
    with pytest.raises(UnsupportedFormatError, match="không có định dạng «pdf»; chọn một trong: md, docx, xlsx"):
        check_format("pdf")
