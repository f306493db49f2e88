"""Documents as offices send them (issue 17): the official layout of Nghị định 30/2020 in
.docx, text PDF and a 200 dpi scan, legacy encodings, and the parts of a scan that could
not be read. Fixtures: tests/fixtures/official, made by scripts/make_format_fixtures.py
from corpus/gia-lai-157-kh-ubnd-2024.txt (its docstring has the command)."""

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.errors import UnreadableDocumentError
from assistant.ingest import formats
from assistant.ingest.documents import load_document, parse_document
from assistant.ingest.formats import legacy
from assistant.ingest.formats.columns import arrange
from assistant.ingest.formats.layout import Line, Page, page_text
from assistant.ingest.formats.sequence import renumber
from assistant.ingest.structure import CLOSING_TITLE, parse_sections

ROOT = Path(__file__).resolve().parents[1]
OFFICIAL = ROOT / "tests" / "fixtures" / "official"
PLAN = "gia-lai-157-kh-ubnd-2024"
FIELDS = ("number", "date", "issuer", "signer", "signer_title", "province", "kind", "title")
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="Tesseract is installed by scripts/setup.sh")


@pytest.fixture(scope="module")
def plain():
    return load_document(ROOT / "corpus" / f"{PLAN}.txt")


def _fields(document) -> dict:
    return {f: getattr(document, f) for f in FIELDS}


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_the_header_and_signature_tables_give_the_same_fields_as_the_plain_text(plain, suffix):
    document = load_document(OFFICIAL / f"{PLAN}{suffix}")
    assert _fields(document) == _fields(plain)
    assert (document.signer, document.number) == ("Nguyễn Thị Thanh Lịch", "157/KH-UBND")
    assert document.recipients == plain.recipients and len(document.recipients) == 13
    assert document.unread == ()


def test_a_pdf_header_is_read_column_by_column_not_across():
    text = formats.read(OFFICIAL / f"{PLAN}.pdf").text
    assert text.startswith("ỦY BAN NHÂN DÂN\nTỈNH GIA LAI\nSố: 157 /KH-UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA")
    assert "Nơi nhận:\n- Bộ Thông tin và Truyền thông (báo cáo);" in text
    assert text.endswith("- Lưu: VT, NC, KTTH, TTTH, KGVX.\n\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n"
                         "Nguyễn Thị Thanh Lịch\nNguyễn Thị Thanh Lịch\n")


@needs_tesseract
def test_a_200_dpi_scan_gives_the_same_number_date_issuer_and_signer(plain):
    document = load_document(OFFICIAL / f"{PLAN}.scan200.pdf")  # its first and last pages
    assert document.format == "pdf-ocr"
    assert _fields(document) | {"title": ""} == _fields(plain) | {"title": ""}
    assert dict(document.ocr_quality)["confidence"] >= 0.9


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_the_closing_part_is_marked_and_is_never_a_section_that_answers(suffix):
    document = load_document(OFFICIAL / f"{PLAN}{suffix}")
    start, end = document.span("closing")
    assert document.text[start:].startswith("Nơi nhận:") and document.text[:end].endswith("Nguyễn Thị Thanh Lịch")
    closing = [s for s in parse_sections(document.text) if s.start >= start]
    assert [s.title for s in closing] == [CLOSING_TITLE]


def test_two_columns_on_a_page_are_read_left_then_right():
    def line(text, x0, x1, top):
        return Line(text, x0, x1, top, top + 10, 20)

    page = Page((line("ỦY BAN NHÂN DÂN", 60, 200, 50), line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 300, 540, 50),
                 line("TỈNH GIA LAI", 90, 170, 63), line("Độc lập - Tự do - Hạnh phúc", 330, 510, 63),
                 line("Số: 157/KH-UBND", 80, 180, 76), line("Gia Lai, ngày 22 tháng 01 năm 2024", 320, 530, 76),
                 line("KẾ HOẠCH", 260, 340, 110),
                 line("Thực hiện Kế hoạch số 184-KH/TU, Ủy ban nhân dân tỉnh ban hành Kế hoạch.", 60, 540, 130)),
                600, 800)
    text, _ = page_text(arrange([page]))
    assert text == ("ỦY BAN NHÂN DÂN\nTỈNH GIA LAI\nSố: 157/KH-UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                    "Độc lập - Tự do - Hạnh phúc\nGia Lai, ngày 22 tháng 01 năm 2024\n\nKẾ HOẠCH\n\n"
                    "Thực hiện Kế hoạch số 184-KH/TU, Ủy ban nhân dân tỉnh ban hành Kế hoạch.")


def test_section_numbers_a_scan_misread_are_put_back_from_their_sequence():
    text, shifts = renumber("I. MỤC ĐÍCH\nII. NHIỆM VỤ\nII. KINH PHÍ\nIV. TỔ CHỨC\n")
    assert text == "I. MỤC ĐÍCH\nII. NHIỆM VỤ\nIII. KINH PHÍ\nIV. TỔ CHỨC\n" and shifts == [(25, 1)]
    assert renumber("I. A\nII. B\nIII. C\n") == ("I. A\nII. B\nIII. C\n", [])


# --- the signer: lacking, or not read ---------------------------------------------

def test_a_signature_whose_name_was_not_read_is_unread_not_absent():
    text = "KẾ HOẠCH\n\nThực hiện công tác.\n\nNơi nhận:\n- Như trên;\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n(ký, đóng dấu)\n"
    assert parse_document("x", text).unread == ("signer",)
    assert parse_document("x", "KẾ HOẠCH\n\nThực hiện công tác.\n").unread == ()  # no signature: absent
    assert parse_document("x", "KẾ HOẠCH\n\nThực hiện công tác.\n", scanned=True).unread == (
        "number", "date", "issuer", "signer")  # a scan: maybe there, unread


def test_the_answer_says_a_field_could_not_be_read_rather_than_that_it_is_missing(assistant):
    from assistant.answer.metadata import metadata_candidates

    index = assistant.index
    doc = index.documents["ninh-thuan-test"]
    index.documents["ninh-thuan-test"] = replace(doc, signer="", signer_title="", unread=("signer",),
                                                 spans=tuple(s for s in doc.spans if s[0] != "signer"))
    question = assistant.understand("Ai ký kế hoạch của Ninh Thuận?")
    (candidate,) = metadata_candidates(index, question, [])
    assert candidate.text == "văn bản có ghi người ký nhưng không đọc được"


# --- legacy encodings -------------------------------------------------------------

UNICODE = "PHÓ CHỦ TỊCH\nKế hoạch triển khai công tác thông tin đối ngoại của tỉnh Gia Lai năm 2024"
TCVN3 = "PHã CHñ TÞCH\nKÕ ho¹ch triÓn khai c«ng t¸c th«ng tin ®èi ngo¹i cña tØnh Gia Lai n¨m 2024"
VNI = "PHOÙ CHUÛ TÒCH\nKeá hoaïch trieån khai coâng taùc thoâng tin ñoái ngoaïi cuûa tænh Gia Lai naêm 2024"


def test_tcvn3_and_vni_are_converted_and_unicode_is_left_alone():
    assert legacy.convert(TCVN3) == (UNICODE, "TCVN3")
    assert legacy.convert(VNI) == (UNICODE, "VNI")
    assert legacy.convert(UNICODE) == (UNICODE, "")


@pytest.mark.skipif(shutil.which("iconv") is None, reason="glibc's iconv")
def test_the_tcvn3_table_is_glibcs():
    for code, letter in legacy.TCVN3.items():
        decoded = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=code.encode("latin-1"),
                                 capture_output=True, check=True).stdout.decode()
        assert decoded == letter, code


def test_a_tcvn3_text_file_is_converted_and_recorded(tmp_path):
    path = tmp_path / "cu.txt"
    path.write_bytes(TCVN3.encode("cp1252"))
    document = load_document(path)
    assert document.text == UNICODE + "\n" and document.converted_from == "TCVN3"


@pytest.mark.parametrize("suffix", [".tcvn3.docx", ".tcvn3.pdf"])
def test_a_docx_and_a_pdf_set_in_vntime_are_read_as_unicode(plain, suffix):
    document = load_document(OFFICIAL / f"{PLAN}{suffix}")
    assert document.converted_from == "TCVN3"
    assert (document.signer, document.number, document.date) == (plain.signer, plain.number, plain.date)
    assert "PHÓ CHỦ TỊCH" in document.signer_title


def test_text_still_garbled_after_conversion_is_refused(tmp_path):
    path = tmp_path / "loi-ma.txt"  # UTF-8 read as Windows-1252 and saved again: no table undoes it
    path.write_text(UNICODE.encode("utf-8").decode("cp1252", errors="replace"), encoding="utf-8")
    with pytest.raises(UnreadableDocumentError, match=r"^tệp loi-ma.txt có chữ bị lỗi mã \(ví dụ «"):
        formats.read(path)


@needs_tesseract
def test_a_page_scanned_upside_down_is_turned_by_osd_before_it_is_read(tmp_path):
    from PIL import Image

    page = ROOT / "tests" / "fixtures" / "formats" / "tuyen-quang-ubnd-thcbks-2024.p1.png"
    upside_down = tmp_path / "nguoc.png"
    Image.open(page).rotate(180).save(upside_down, dpi=(300, 300))
    extracted = formats.read(upside_down)
    assert extracted.text.startswith("Số: UBND-THCBKS\n\nTuyên Quang, ngày tháng 6 năm 2024\n\nV/v triển khai")
    assert dict(extracted.ocr_quality)["confidence"] >= 0.9


def test_the_recipients_list_is_never_an_answer(tmp_path, fake_embedder):
    from assistant.engine import Assistant
    from assistant.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(OFFICIAL / f"{PLAN}.docx", corpus)
    settings = Settings.from_env({}, corpus_dir=corpus, index_dir=tmp_path / "index", chunk_size=400,
                                 answer_model=ROOT / "tests" / "fixtures" / "answer_model.json")
    assistant = Assistant.open(settings, embedder=fake_embedder, warm=False)
    start, end = assistant.index.documents[PLAN].span("closing")
    for question in ("Các hội, đoàn thể của tỉnh Gia Lai làm gì?", "Báo Gia Lai và Đài PT-TH Gia Lai làm gì?",
                     "Văn phòng UBND tỉnh Gia Lai có nhiệm vụ gì?"):
        answer = assistant.ask(question)
        assert all(not start <= c.start < end for c in answer.citations), question
