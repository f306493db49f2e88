import json
from pathlib import Path

import pytest

from assistant.errors import CorpusError
from assistant.ingest.documents import load_document, parse_document, read_corpus
from assistant.ingest.text import clean_document

from .samples import PLAN_A, PLAN_B


def test_metadata_is_read_from_the_text():
    doc = parse_document("a", clean_document(PLAN_A))
    assert (doc.province, doc.province_name, doc.kind) == ("ninh-thuan", "Ninh Thuận", "kế hoạch")
    assert (doc.number, doc.symbol, doc.date) == ("12/KH-UBND", "KH-UBND", "ngày 05 tháng 8 năm 2024")
    assert doc.issuer == "Ủy ban nhân dân tỉnh Ninh Thuận"
    assert doc.title.startswith("Triển khai Nghị quyết số 47/NQ-CP")
    assert doc.implements == ("Nghị quyết số 47/NQ-CP ngày 15/4/2024", "Kế hoạch số 240-KH/TU ngày 13/9/2023")
    assert doc.signer == "" and doc.replaces == ()
    assert doc.recipients == ("Bộ Thông tin và Truyền thông", "Lưu: VT")


def test_blank_number_signer_and_replaced_plan():
    doc = parse_document("b", clean_document(PLAN_B))
    assert (doc.number, doc.symbol, doc.date) == ("", "KH-UBND", "ngày tháng 7 năm 2024")
    assert doc.issuer == "Chủ tịch UBND tỉnh Bắc Giang"
    assert (doc.signer, doc.signer_title) == ("Mai Sơn", "KT. CHỦ TỊCH, PHÓ CHỦ TỊCH")
    assert doc.replaces == ("Kế hoạch số 192/KH-UBND ngày 26/11/2023 của Chủ tịch UBND tỉnh",)
    assert doc.label == "Kế hoạch chưa ghi số (Bắc Giang)"  # never "Kế hoạch /KH-UBND"


def test_every_value_keeps_the_span_it_was_read_from():
    doc = parse_document("b", clean_document(PLAN_B))
    start, end = doc.span("signer")
    assert doc.text[start:end] == "Mai Sơn"
    start, end = doc.span("number")
    assert doc.text[start:end] == "Số: /KH-UBND"


def test_a_letter_is_a_cong_van_with_its_subject_as_title():
    text = clean_document("Số: /UBND-THCBKS\n\nTuyên Quang, ngày tháng 6 năm 2024\n\n"
                          "V/v triển khai thực hiện Nghị quyết\nsố 47/NQ-CP\n\nKính gửi:\n\n- Các sở, ban, ngành;\n"
                          "- Ủy ban nhân dân huyện, thành phố.\n\nỦy ban nhân dân tỉnh chỉ đạo:\n")
    doc = parse_document("c", text)
    assert (doc.kind, doc.title, doc.province) == ("công văn", "triển khai thực hiện Nghị quyết số 47/NQ-CP",
                                                    "tuyen-quang")
    assert doc.recipients == ("Các sở, ban, ngành", "Ủy ban nhân dân huyện, thành phố")
    assert doc.display_title == "Công văn về việc triển khai thực hiện Nghị quyết số 47/NQ-CP"


def test_a_document_naming_no_province_has_none(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Ghi chú về công tác thông tin đối ngoại.\n", encoding="utf-8")
    doc = load_document(path)
    assert (doc.doc_id, doc.province, doc.label) == ("note", "", "Văn bản")


def test_a_sidecar_sets_fields_the_text_lacks(tmp_path):
    (tmp_path / "qn.txt").write_text("KẾ HOẠCH\n\nthực hiện Kết luận\n", encoding="utf-8")
    (tmp_path / "qn.meta.json").write_text(json.dumps({"province": "quang-ngai", "number": "09-KH/TU"}))
    doc = load_document(tmp_path / "qn.txt")
    assert (doc.province, doc.province_name, doc.number) == ("quang-ngai", "Quảng Ngãi", "09-KH/TU")


def test_a_sidecar_with_an_unknown_field_is_refused(tmp_path):
    (tmp_path / "qn.txt").write_text("KẾ HOẠCH\n", encoding="utf-8")
    (tmp_path / "qn.meta.json").write_text(json.dumps({"author": "x"}))
    with pytest.raises(CorpusError, match=r"^tệp qn.meta.json có trường không hợp lệ \['author'\]"):
        load_document(tmp_path / "qn.txt")


def test_bad_files_are_named_and_skipped_while_the_others_are_read(tmp_path):
    (tmp_path / "good.txt").write_text(PLAN_A, encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes(b"S\xf5 N\xf4i v\xf9")  # a legacy 8-bit encoding
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    documents, problems = read_corpus(tmp_path)
    assert [d.doc_id for d in documents] == ["good"]
    assert problems == [
        "tệp empty.txt trống nên không được đưa vào chỉ mục",
        "tệp latin.txt không phải văn bản UTF-8 (byte thứ 1); hãy lưu lại dưới dạng UTF-8 rồi chạy lại "
        "`assistant build`",
    ]


def test_a_missing_corpus_folder_says_how_to_set_it(tmp_path):
    with pytest.raises(CorpusError) as error:
        read_corpus(tmp_path / "nowhere")
    assert str(error.value) == (f"không tìm thấy thư mục văn bản {tmp_path / 'nowhere'} "
                                "(đặt bằng --corpus hoặc ASSISTANT_CORPUS_DIR)")


DECREE = """CHÍNH PHỦ
Số: 30/2020/NĐ-CP

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Hà Nội, ngày 05 tháng 3 năm 2020

NGHỊ ĐỊNH
Về công tác văn thư

Theo đề nghị của Bộ trưởng Bộ Nội vụ;
Chính phủ ban hành Nghị định về công tác văn thư.
"""


def test_a_decree_reads_its_issuer_and_kind_and_names_no_province():
    doc = parse_document("nd", clean_document(DECREE))
    assert (doc.kind, doc.issuer, doc.title, doc.province) == ("nghị định", "Chính phủ", "Về công tác văn thư", "")
    assert doc.label == "Nghị định 30/2020/NĐ-CP"
    start, end = doc.span("issuer")
    assert doc.text[start:end] == "Chính phủ"


def test_a_department_under_a_province_takes_the_province_from_its_header():
    text = clean_document("UBND TỈNH QUẢNG NGÃI\nSỞ NGOẠI VỤ\nSố: 45/HD-SNgV\n\nHà Nội, ngày 02 tháng 4 năm 2024\n\n"
                          "HƯỚNG DẪN\nCông tác thông tin đối ngoại năm 2024\n\nSở Ngoại vụ hướng dẫn như sau:\n")
    doc = parse_document("hd", text)
    assert (doc.kind, doc.issuer, doc.province) == ("hướng dẫn", "Sở Ngoại vụ", "quang-ngai")


def test_the_other_domain_texts_are_read_sensibly():
    folder = Path(__file__).resolve().parents[1] / "eval" / "other-domain" / "corpus"
    read = {d.doc_id: (d.kind, d.issuer, d.number) for d in read_corpus(folder)[0]}
    assert read == {
        "huong-dan-thuc-tap-thuc-te": ("hướng dẫn", "Trường Đại học Việt Nhật", "483/HD-ĐHVN"),
        "nghi-dinh-cong-tac-van-thu": ("nghị định", "Chính phủ", "30/2020/NĐ-CP"),
        "quy-dinh-co-van-hoc-tap": ("quyết định", "Trường Đại học Việt Nhật", "473/QĐ-ĐHVN"),
        "thong-tu-quy-che-dao-tao-dai-hoc": ("thông tư", "Bộ Giáo dục và Đào tạo", "08/2021/TT-BGDĐT"),
    }
