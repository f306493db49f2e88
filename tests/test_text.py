import unicodedata

import pytest

from assistant.ingest.text import (
    canonical_tones,
    clean_document,
    clean_question,
    fold,
    has_diacritics,
    match_form,
    sentence_spans,
)


def test_clean_document_composes_decomposed_unicode():
    raw = unicodedata.normalize("NFD", "Sở Nội vụ chủ trì.")
    assert clean_document(raw) == "Sở Nội vụ chủ trì.\n"


def test_clean_document_removes_markdown_and_tags():
    raw = "## KẾ HOẠCH\n\nGia Lai, ngày<sup>22</sup> tháng 01 năm 2024\n\n- **Thời gian thực hiện:** *thường xuyên*."
    assert clean_document(raw) == (
        "KẾ HOẠCH\n\nGia Lai, ngày 22 tháng 01 năm 2024\n\n- Thời gian thực hiện: thường xuyên.\n")


def test_clean_document_splits_a_bold_heading_glued_to_the_line_before():
    assert clean_document("I. MỤC ĐÍCH, YÊU CẦU**1. Mục đích**\n") == "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n"


def test_clean_document_joins_a_sentence_broken_across_lines():
    raw = "là bộ phận quan trọng của công\n\ntác chính trị, tư tưởng.\n\nTiếp theo."
    assert clean_document(raw) == "là bộ phận quan trọng của công tác chính trị, tư tưởng.\n\nTiếp theo.\n"


def test_clean_document_joins_a_title_after_a_dangling_word():
    raw = "thực hiện Kết luận số 57-KL/TW của\nBộ Chính trị về thông tin\n"
    assert clean_document(raw) == "thực hiện Kết luận số 57-KL/TW của Bộ Chính trị về thông tin\n"


def test_clean_document_keeps_headings_lists_and_capitals_apart():
    raw = "KẾ HOẠCH\n\nthực hiện Kết luận\n1. Mục đích\n- Sở Nội vụ\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n"
    assert clean_document(raw) == raw


@pytest.mark.parametrize("a, b", [("hoá", "hóa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("Uỷ ban", "Ủy ban"),
                                  ("hoà bình", "hòa bình")])
def test_canonical_tones_makes_both_spellings_equal(a, b):
    assert canonical_tones(a) == canonical_tones(b) == b


@pytest.mark.parametrize("word", ["hoàn", "quả", "giữ", "gì", "người", "ngoài", "tuổi", "của", "thuyết"])
def test_canonical_tones_leaves_standard_spellings(word):
    assert canonical_tones(word) == word


def test_fold_and_diacritics():
    assert fold("Đẩy mạnh Sở Nội vụ") == "day manh so noi vu"
    assert has_diacritics("Sở Nội vụ") and not has_diacritics("so noi vu")


def test_match_form_compares_spellings_case_and_spaces():
    assert match_form("Văn  hoá") == match_form("văn hóa") == "văn hóa"


def test_clean_question_collapses_whitespace():
    assert clean_question("  Ai\n chịu   trách nhiệm? ") == "Ai chịu trách nhiệm?"


def test_sentence_spans_do_not_split_dates_codes_or_signature_titles():
    text = "Định kỳ trước ngày 15/11 hằng năm, các cơ quan báo cáo. Theo Kết luận số 57-KL/TW. Hết.\nKT. CHỦ TỊCH"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Định kỳ trước ngày 15/11 hằng năm, các cơ quan báo cáo.", "Theo Kết luận số 57-KL/TW.", "Hết.",
        "KT. CHỦ TỊCH"]


def test_sentence_spans_keep_a_heading_number_with_its_sentence():
    text = "5.1. Chú trọng thông tin về hợp tác. Thứ hai."
    assert [text[s:e] for s, e in sentence_spans(text)] == ["5.1. Chú trọng thông tin về hợp tác.", "Thứ hai."]
