"""`assistant study …` on the tiny corpus: the contract other tools read, files written,
errors in Vietnamese, and no embedding model loaded."""

from __future__ import annotations

import json
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from assistant import cli, engine
from assistant.index.embedding import SentenceTransformerEmbedder

from .conftest import FakeEmbedder


@pytest.fixture
def study(monkeypatch, corpus_dir, tmp_path, capsys):
    """main(["study", …]) over an index built first with the fake embedder; loading the
    real model during a study command fails the test."""
    monkeypatch.delenv("ASSISTANT_DEBUG", raising=False)
    with monkeypatch.context() as building:
        building.setattr(engine, "SentenceTransformerEmbedder", lambda settings: FakeEmbedder())
        assert cli.main(["build", "--corpus", str(corpus_dir), "--index", str(tmp_path / "index")]) == 0
    capsys.readouterr()

    def no_model(self):
        raise AssertionError("a study command loaded the embedding model")

    monkeypatch.setattr(SentenceTransformerEmbedder, "_load", no_model)

    def invoke(*argv):
        code = cli.main(["study", *argv, "--index", str(tmp_path / "index")])
        out = capsys.readouterr()
        return code, out.out, out.err

    return invoke


def test_overview_prints_markdown_with_quotes_and_sources(study):
    code, out, err = study("overview", "ninh-thuan-test")
    assert code == 0 and err == ""
    assert out.startswith("# Tổng quan: Kế hoạch số 12/KH-UBND của UBND tỉnh Ninh Thuận, ngày 05/08/2024\n")
    assert "- **Mục II › 1 › 1.1** «Kịp thời khen thưởng các tổ chức, cá nhân" in out
    assert "  - **Chủ trì, thực hiện** «Sở Nội vụ»" in out
    assert "*Nguồn: Kế hoạch số 12/KH-UBND của UBND tỉnh Ninh Thuận, ngày 05/08/2024, mục II › 1 › 1.1, ký tự " in out


def test_json_quotes_are_objects_with_their_offsets(study, corpus_dir):
    code, out, _ = study("matrix", "--json")
    data = json.loads(out)
    assert code == 0 and data["view"] == "matrix" and data["by"] == "unit"
    assert data["provinces"] == [{"slug": "bac-giang", "name": "Bắc Giang"}, {"slug": "ninh-thuan", "name": "Ninh Thuận"}]
    interior = next(r for r in data["rows"] if r["label"] == "Sở Nội vụ")
    entry = interior["cells"]["ninh-thuan"][0]
    text = (corpus_dir / "ninh-thuan-test.txt").read_text(encoding="utf-8")
    assert set(entry["title"]) == {"doc_id", "quote", "start", "end", "section"}
    assert entry["title"]["quote"] in text and entry["unit"]["quote"] == "Sở Nội vụ"


def test_quiz_is_the_same_for_the_same_seed(study):
    first = json.loads(study("quiz", "--count", "4", "--seed", "3", "--json")[1])
    again = json.loads(study("quiz", "--count", "4", "--seed", "3", "--json")[1])
    assert first == again and first["seed"] == 3
    for question in first["questions"]:
        assert set(question) >= {"question", "choices", "answer", "citation"}
        assert question["answer"] in question["citation"]["quote"]


def test_province_subset_and_files_in_each_format(study, tmp_path):
    code, out, _ = study("deadlines", "--province", "bac-giang", "--format", "docx", "--output",
                         str(tmp_path / "han.docx"))
    assert code == 0 and out.startswith(f"Đã ghi {tmp_path / 'han.docx'} (")
    document = Document(BytesIO((tmp_path / "han.docx").read_bytes()))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [
        "Hạn có ngày cụ thể", "Hạn trong một năm", "Nhiệm vụ định kỳ, thường xuyên"]
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 2"] == ["Bắc Giang", "Bắc Giang"]
    code, _, _ = study("matrix", "--output", str(tmp_path / "ma-tran.xlsx"))
    assert code == 0 and load_workbook(tmp_path / "ma-tran.xlsx").sheetnames == ["Ma trận", "Thời hạn"]
    code, _, _ = study("quiz", "--format", "md", "--output", str(tmp_path / "de.md"))
    assert code == 0 and (tmp_path / "de.md").read_text(encoding="utf-8").startswith("# Đề ôn tập số 1\n")


@pytest.mark.parametrize("argv, message", [
    (("overview", "khong-co"), "Error: không có văn bản «khong-co»; các văn bản hiện có: bac-giang-test, ninh-thuan-test"),
    (("matrix", "--province", "ha-noi"), "Error: không có tỉnh «ha-noi» trong bộ văn bản; các tỉnh hiện có: "
                                         "bac-giang, ninh-thuan"),
    (("deadlines", "--format", "pdf"), "Error: không có định dạng «pdf»; chọn một trong: md, docx, xlsx, ics"),
    (("deadlines", "--format", "xlsx"), "Error: định dạng xlsx là tệp nhị phân; thêm --output TỆP.xlsx"),
    (("matrix", "--by", "year"), "Error: --by phải là unit (theo đơn vị) hoặc topic (theo chủ đề), không phải «year»"),
    (("matrix", "--topic", "kinh-te"), "Error: không có chủ đề «kinh-te»; các chủ đề: quan-triet"),
    (("quiz", "--count", "0"), "Error: số câu hỏi phải từ 1 đến 100, không phải 0"),
    (("quiz", "--json", "--format", "md"), "Error: --json in ra màn hình; không dùng cùng --format hay --output"),
    (("quiz", "--output", "de.pdf"), "Error: không đoán được định dạng của tệp de.pdf; thêm --format md, docx hoặc xlsx"),
    (("quiz", "--output", "/khong/co/thu-muc/de.md"), "Error: không có thư mục /khong/co/thu-muc để ghi de.md"),
])
def test_bad_input_is_one_vietnamese_error_line(study, argv, message):
    code, out, err = study(*argv)
    assert code == 1 and out == ""
    assert err.startswith(message) and err.count("\n") == 1


def test_a_failed_export_keeps_the_file_that_was_there(study, tmp_path, monkeypatch):
    target = tmp_path / "de.docx"
    target.write_bytes(b"old")
    def broken(handout, fmt):
        raise OSError("disk full")

    monkeypatch.setattr("assistant.study.command.export", broken)
    code, _, err = study("quiz", "--output", str(target))
    assert code == 70 and target.read_bytes() == b"old"


def test_pack_writes_one_folder_of_files_readable_by_all(study, tmp_path):
    import os
    import stat

    previous = os.umask(0o022)
    try:
        code, out, err = study("pack", "--province", "bac-giang", "--output", str(tmp_path / "buoi-hoc"))
        code_slides, _, _ = study("slides", "--output", str(tmp_path / "bai-giang.pptx"))
        code_file, _, _ = study("summary", "bac-giang-test", "--output", str(tmp_path / "tom-tat.docx"))
    finally:
        os.umask(previous)
    assert (code, err, code_slides, code_file) == (0, "", 0, 0)
    names = sorted(p.name for p in (tmp_path / "buoi-hoc").iterdir())
    assert names == sorted(["tom-tat-bac-giang.docx", "ma-tran-chinh.docx", "ma-tran-day-du.docx", "ma-tran.xlsx",
                            "lich-thoi-han.ics", "lich-thoi-han.docx", "diem-rieng.docx", "bai-giang.pptx",
                            "de-on-tap-1.docx", "dap-an-1.docx", "de-on-tap-2.docx", "dap-an-2.docx",
                            "de-on-tap-3.docx", "dap-an-3.docx"])
    assert out.startswith(f"Đã ghi 14 tệp vào {tmp_path / 'buoi-hoc'}:\n  tom-tat-bac-giang.docx (")
    for path in [*(tmp_path / "buoi-hoc").iterdir(), tmp_path / "bai-giang.pptx", tmp_path / "tom-tat.docx"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path.name


def test_slides_and_pack_refuse_what_they_cannot_write(study, tmp_path):
    (tmp_path / "a-file").write_text("x")
    assert study("pack", "--output", str(tmp_path / "a-file"))[2] == \
        f"Error: {tmp_path / 'a-file'} là một tệp, không phải thư mục; chọn một thư mục cho gói tài liệu\n"
    assert study("slides", "--output", str(tmp_path / "x.docx"))[2] == \
        "Error: bài giảng là tệp .pptx; đặt tên như bai-giang.pptx, không phải x.docx\n"
    assert study("pack", "--province", "ha-noi", "--output", str(tmp_path / "p"))[0] == 1
    assert not (tmp_path / "p").exists()
