"""Format readers on copies of a real plan (tests/fixtures/formats, made by
scripts/make_format_fixtures.py from corpus/tuyen-quang-ubnd-thcbks-2024.txt) and on
small documents made here."""

import shutil
import unicodedata
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from assistant.errors import UnreadableDocumentError
from assistant.ingest import formats
from assistant.ingest.documents import load_document
from assistant.ingest.formats.layout import Line, Page, page_text
from assistant.ingest.structure import parse_sections
from assistant.ingest.text import clean_document

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "formats"
PLAN = "tuyen-quang-ubnd-thcbks-2024"
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="Tesseract is installed by scripts/setup.sh")


def cer(reference: str, text: str) -> float:
    """Character error rate after whitespace normalisation."""
    ref, hyp = (" ".join(unicodedata.normalize("NFC", t).split()) for t in (reference, text))
    return Levenshtein.distance(ref, hyp) / len(ref)


@pytest.fixture(scope="module")
def original() -> str:
    return clean_document((ROOT / "corpus" / f"{PLAN}.txt").read_text(encoding="utf-8"))


def test_docx_gives_back_the_plan_text(original):
    extracted = formats.read(FIXTURES / f"{PLAN}.docx")
    assert (extracted.format, extracted.pages) == ("docx", ())
    assert cer(original, extracted.text) == 0.0
    assert unicodedata.is_normalized("NFC", extracted.text)


def test_pdf_text_layer_without_page_numbers_and_footers(original):
    extracted = formats.read(FIXTURES / f"{PLAN}.pdf")
    assert extracted.format == "pdf" and len(extracted.pages) == 3 and extracted.pages[0] == 0
    assert cer(original, extracted.text) == 0.0  # the running footer and the page numbers are gone
    assert "bản sao để kiểm thử" not in extracted.text
    second = extracted.pages[1]
    # a page starts where the text of that page starts
    assert extracted.text[second:].startswith("- Coi không gian mạng như một không gian mới")


def test_a_pdf_document_knows_the_page_of_each_offset(tmp_path):
    document = load_document(FIXTURES / f"{PLAN}.pdf")
    assert (document.format, document.source) == ("pdf", f"{PLAN}.pdf")
    first, second, third = document.page_ranges()
    assert (first["page"], first["start"], second["start"], third["end"]) == (1, 0, document.pages[1],
                                                                           len(document.text))
    offset = document.text.index("Nơi nhận")
    assert document.page_at(0) == 1 and document.page_at(offset) == 3


@needs_tesseract
def test_a_scanned_pdf_is_read_by_ocr():
    text_layer = formats.read(FIXTURES / f"{PLAN}.pdf")
    scanned = formats.read(FIXTURES / f"{PLAN}.scan.pdf")  # pages 1–2, black and white, 300 dpi
    assert scanned.format == "pdf-ocr" and len(scanned.pages) == 2
    assert cer(text_layer.text[: text_layer.pages[2]], scanned.text) <= 0.03
    assert "Kính gửi:\n\n- Các sở, ban, ngành;" in scanned.text


@needs_tesseract
def test_an_image_is_read_by_ocr():
    text_layer = formats.read(FIXTURES / f"{PLAN}.pdf")
    image = formats.read(FIXTURES / f"{PLAN}.p1.png")
    assert (image.format, image.pages) == ("png", ())
    assert cer(text_layer.text[: text_layer.pages[1]], image.text) <= 0.03


def test_docx_numbering_and_tables_read_as_they_appear(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Mục đích", style="List Number")
    document.add_paragraph("Yêu cầu", style="List Number")
    table = document.add_table(rows=3, cols=4)
    for row, cells in zip(table.rows, [("STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian thực hiện"),
                                       ("1", "Khen thưởng tổ chức, cá nhân", "Sở Nội vụ", "Hằng năm"),
                                       ("2", "Bồi dưỡng cán bộ", "Sở Ngoại vụ", "")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    document.add_paragraph("Nơi nhận:")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    text = formats.read(path).text
    assert text == ("KẾ HOẠCH\n\n1. Mục đích\n\n2. Yêu cầu\n\n1. Khen thưởng tổ chức, cá nhân\n"
                    "- Đơn vị chủ trì: Sở Nội vụ\n- Thời gian thực hiện: Hằng năm\n\n2. Bồi dưỡng cán bộ\n"
                    "- Đơn vị chủ trì: Sở Ngoại vụ\n\nNơi nhận:\n")
    task = next(s for s in parse_sections(text) if s.title == "Khen thưởng tổ chức, cá nhân")
    assert (task.field("lead").value, task.field("timeline").value) == ("Sở Nội vụ", "Hằng năm")


def _line(text, top, x1=500.0, x0=90.0, first_word=30.0):
    return Line(text, x0, x1, top, top + 12, first_word)


def test_layout_drops_page_numbers_and_running_lines_and_joins_wrapped_lines():
    pages = []
    for n in range(1, 4):
        pages.append(Page((
            _line(str(n), 30, x1=310, x0=300),  # page number in the top margin
            _line(f"tham-gia-thu-{n}", 100, x1=400),  # body: short, ends a paragraph
            _line("Số 57-", 116, x1=498),  # reaches the margin: wrapped, cut after a code's hyphen
            _line("KL/TW của Bộ Chính trị và thông tin infor-", 132, x1=499),
            _line("mation cho nhân dân.", 148, x1=300),
            _line("Bản sao lưu hành nội bộ", 770, x1=400),  # running footer
        ), 600.0, 800.0))
    text, starts = page_text(pages)
    assert text.split("\n")[:2] == ["tham-gia-thu-1", "Số 57-KL/TW của Bộ Chính trị và thông tin information cho nhân dân."]
    assert "Bản sao" not in text and "\n2\n" not in text
    assert text[starts[1]:].startswith("tham-gia-thu-2") and starts[0] == 0


def test_a_compound_cut_at_its_hyphen_keeps_it():
    page = Page((_line("phát triển kinh tế-", 100, x1=499), _line("xã hội của tỉnh.", 116, x1=200)), 600, 800)
    assert page_text([page])[0] == "phát triển kinh tế-xã hội của tỉnh."


def test_unreadable_files_get_a_message_naming_them(tmp_path):
    from PIL import Image
    from pypdf import PdfReader, PdfWriter

    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    locked = tmp_path / "khoa.pdf"
    writer = PdfWriter(clone_from=PdfReader(str(FIXTURES / f"{PLAN}.pdf")))
    writer.encrypt("mat-khau", algorithm="AES-256")
    writer.write(str(locked))
    blank = tmp_path / "trang.png"
    Image.new("L", (1200, 1600), 255).save(blank)
    old = tmp_path / "cu.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    messages = {}
    for path in (broken, locked, old) + ((blank,) if shutil.which("tesseract") else ()):
        with pytest.raises(UnreadableDocumentError) as error:
            formats.read(path)
        messages[path.name] = str(error.value)
    assert messages["hong.docx"].startswith("tệp hong.docx không phải tệp Word .docx đọc được")
    assert messages["khoa.pdf"] == ("tệp khoa.pdf được bảo vệ bằng mật khẩu nên không đọc được; hãy gỡ mật khẩu "
                                    "(in ra PDF hoặc lưu bản không khóa) rồi thêm lại")
    assert messages["cu.doc"] in (  # a damaged .doc: LibreOffice cannot read it, or is not there to try
        "LibreOffice không đọc được tệp cu.doc (tệp hỏng hoặc không phải .doc); hãy mở bằng Word và lưu thành .docx",
        "tệp cu.doc là .doc, cần LibreOffice để đọc (chưa cài: apt-get install libreoffice-writer, hoặc "
        "scripts/setup.sh); hoặc hãy lưu thành .docx bằng Word rồi thêm lại")
    if "trang.png" in messages:
        assert messages["trang.png"].startswith("không tìm thấy chữ trong ảnh trang.png")
