"""The normalisation table, by class: spelling variants, administrative abbreviations
and province codes, read alike in the index and in the question."""

from assistant.index.lexical import text_keys, word_keys
from assistant.ingest.normalise import expand_abbreviations, i_for_y, i_for_y_folded
from assistant.ingest.provinces import find_provinces, remove_province_names
from assistant.ingest.text import fold, match_form

CORPUS = frozenset({"bac-giang", "tuyen-quang", "ninh-thuan", "quang-ngai", "gia-lai"})


def test_i_and_y_after_a_consonant_are_one_spelling():
    assert [i_for_y(w) for w in ("ký", "Lý", "mỹ", "tỷ", "kỳ", "quy", "tuy", "ấy", "yên")] == \
        ["kí", "Lí", "mĩ", "tỉ", "kì", "quy", "tuy", "ấy", "yên"]
    assert i_for_y_folded("ai ky, ly do, quy dinh, my") == "ai ki, li do, quy dinh, mi"


def test_both_spellings_have_one_matching_form_with_or_without_marks():
    assert match_form("Ai kí văn bản") == match_form("Ai ký văn bản") == "ai kí văn bản"
    assert fold("Ai kí") == fold("AI KÝ") == "ai ki"
    assert match_form("hoà thuỷ lí") == match_form("hòa thủy lý")


def test_the_index_and_the_question_share_the_keys():
    assert word_keys("kí", accented=True) == word_keys("ký", accented=True)
    assert text_keys("Người ký: Nguyễn Văn A") >= {"~kí", "ki"}


def test_abbreviations_expand_in_capitals_and_in_shorthand():
    assert expand_abbreviations("UBND tỉnh") == "Ủy ban nhân dân tỉnh"
    assert expand_abbreviations("đv nào chủ trì đoàn PV") == "đơn vị nào chủ trì đoàn phóng viên"
    assert expand_abbreviations("dv nao, sở tt&tt") == "đơn vị nao, sở Thông tin và Truyền thông"
    assert expand_abbreviations("ttdn") == "thông tin đối ngoại"


def test_a_document_code_is_not_an_abbreviation():
    assert expand_abbreviations("Số 157/KH-UBND, 47/NQ-CP") == "Số 157/KH-UBND, 47/NQ-CP"


def test_an_everyday_word_in_lower_case_stays():
    # "CA" is Công an only in capitals; "ca" is a word
    assert expand_abbreviations("CA tỉnh, ca khúc") == "Công an tỉnh, ca khúc"


def _named(text: str) -> list[str]:
    return [p.slug for p in find_provinces(text, CORPUS)]


def test_a_province_code_names_the_province_in_any_case():
    assert _named("hạn báo cáo BG?") == ["bac-giang"]
    assert _named("so sánh tq và nt") == ["tuyen-quang", "ninh-thuan"]


def test_a_shared_code_means_the_province_the_corpus_has():
    # QN: Quảng Nam, Quảng Ngãi, Quảng Ninh; the corpus has Quảng Ngãi only
    assert _named("QN ai ký") == ["quang-ngai"]
    assert [p.slug for p in find_provinces("QN ai ký", frozenset({"quang-nam", "quang-ninh"}))] == []


def test_another_provinces_code_counts_only_in_capitals_after_a_place_word():
    assert _named("tỉnh PT có kế hoạch không") == ["phu-tho"]
    assert _named("PT có kế hoạch không") == []
    assert _named("DL") == []  # "du lịch" more often than Đắk Lắk


def test_an_abbreviation_is_never_a_province_code():
    assert _named("KH của tỉnh") == []  # kế hoạch, not Khánh Hòa


def test_documents_are_never_read_by_code():
    assert find_provinces("BG TQ") == []


def test_codes_leave_the_question_for_matching():
    named = find_provinces("BG: đv nào chủ trì?", CORPUS)
    assert remove_province_names("BG: đv nào chủ trì?", named) == ": đv nào chủ trì?"
