from assistant.evaluation.metrics import (
    contains_all,
    contains_any,
    evidence_rank,
    evidence_recall,
    normalise,
    percentile,
    rate,
)


def test_normalise_ignores_markup_case_spaces_and_tone_placement():
    assert normalise("**Thời gian  thực hiện:** Hoá") == normalise("thời gian thực hiện: hóa")


def test_contains_any():
    assert contains_any("Ninh Thuận: Đơn vị thực hiện: Sở Nội vụ.", ["sở nội  vụ", "x"])
    assert not contains_any("Sở Tài chính", ["Sở Nội vụ"])


def test_contains_all_needs_every_item_and_accepts_any_spelling_of_one():
    answer = "Sở TT&TT chủ trì; Công an tỉnh phối hợp."
    assert contains_all(answer, [["Sở Thông tin và Truyền thông", "Sở TT&TT"], "công an tỉnh"])
    assert not contains_all(answer, [["Sở Thông tin và Truyền thông", "Sở TT&TT"], "Sở Nội vụ"])
    assert contains_any(answer, [["Sở Thông tin và Truyền thông", "Sở TT&TT"], "Sở Nội vụ"])
    assert not contains_all(answer, [])


def test_evidence_rank_is_the_first_quote_holding_a_span():
    quotes = ["không liên quan", "- Đơn vị thực hiện: Sở Nội vụ.", "Sở Nội vụ"]
    assert evidence_rank(quotes, ["Đơn vị thực hiện: Sở Nội vụ"]) == 2
    assert evidence_rank(quotes, ["Sở Tài chính"]) is None


def test_evidence_recall_counts_spans_found():
    assert evidence_recall(["a b c", "d"], ["b", "d", "z", "y"]) == 0.5


def test_rate_and_nearest_rank_percentile():
    assert rate([True, False, True, True]) == 0.75 and rate([]) is None
    assert percentile([5, 1, 4, 2, 3], 50) == 3
    assert percentile([10.0, 20.0, 30.0, 40.0], 95) == 40.0
